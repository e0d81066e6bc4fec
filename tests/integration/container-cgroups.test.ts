/**
 * The container deployment's per-job cgroups (blender-runner/entrypoint.sh + client/cgroup.ts),
 * replayed without Docker: in a private mount namespace the host's memory and pids cgroup
 * hierarchies are remounted read-only, as Docker mounts them in a container. The runner must then
 * report "no writable cgroup" (not fail every job), and after the entrypoint it must create per-job
 * cgroups again. Needs root and a cgroup v1 memory hierarchy, as on this project's machines.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = process.cwd();
const ENTRYPOINT = path.join(ROOT, "blender-runner/entrypoint.sh");

test("container cgroups: read-only tree falls back cleanly; the entrypoint restores per-job cgroups", () => {
  assert.ok(existsSync("/sys/fs/cgroup/memory/memory.limit_in_bytes"), "this test replays a cgroup v1 host (memory hierarchy at /sys/fs/cgroup/memory)");
  const dir = mkdtempSync(path.join(tmpdir(), "cgroup-check-"));
  const probe = path.join(dir, "probe.ts");
  writeFileSync(
    probe,
    `import { createJobCgroup, describeCgroups } from ${JSON.stringify(path.join(ROOT, "blender-runner/client/cgroup.ts"))};
const cg = createJobCgroup("container-check-" + process.pid, { memoryBytes: 256 * 1024 * 1024, maxProcesses: 64 });
console.log(JSON.stringify({ describe: describeCgroups(), procs: cg ? cg.procsFiles : null }));
cg?.remove();
`,
  );
  const node = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(probe)}`;
  const readOnly = ["memory", "pids"]
    .map((c) => `mount -o remount,bind,ro /sys/fs/cgroup/${c} 2>/dev/null || { mount --bind /sys/fs/cgroup/${c} /sys/fs/cgroup/${c} && mount -o remount,bind,ro /sys/fs/cgroup/${c}; }`)
    .join(" && ");
  const script = `set -e; ${readOnly}; echo BEFORE; ${node}; echo AFTER; ${JSON.stringify(ENTRYPOINT)} ${node}`;
  const out = execFileSync("unshare", ["-m", "--propagation", "private", "sh", "-c", script], { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  const [before, after] = out.split("AFTER").map((part) => JSON.parse(part.replace("BEFORE", "").trim()) as { describe: string; procs: string[] | null });

  assert.match(before!.describe, /^none/, "a read-only cgroup tree is not mistaken for a writable one");
  assert.equal(before!.procs, null);
  assert.match(after!.describe, /^cgroup v1 memory \+ pids/);
  assert.equal(after!.procs?.length, 2, "memory and pids cgroups for the job");
});
