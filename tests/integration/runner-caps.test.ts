/**
 * The capabilities docker-compose grants the blender-runner service are enough for a run, and
 * each one the docs call necessary is: a job runs in a child process whose bounding set is
 * exactly that list (setpriv, as root), then without one of them at a time.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** cap_add of the blender-runner service, read from docker-compose.yml (one "- NAME # why" per line). */
function composeCaps(): string[] {
  const text = readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8");
  const service = text.slice(text.indexOf("\n  blender-runner:"));
  const block = service.slice(service.indexOf("cap_add:"), service.indexOf("mem_limit:"));
  return [...block.matchAll(/^\s+- ([A-Z_]+)\s+#/gm)].map((m) => m[1]!);
}

describe("runner capabilities (docker-compose blender-runner)", { skip: process.getuid?.() !== 0 ? "needs root to shrink the bounding set" : false }, () => {
  let dir: string;
  let script: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "arena-caps-"));
    // .mts: an ES module wherever it lives (top-level await), outside the repository.
    script = path.join(dir, "run.mts");
    await writeFile(
      script,
      `import { createLocalRunner } from "${path.join(ROOT, "blender-runner/client/local-runner.ts")}";
const runner = createLocalRunner({ root: ${JSON.stringify(ROOT)}, jobsRoot: ${JSON.stringify(path.join(dir, "jobs"))}, cgroups: true });
try {
  const r = await runner.run({ id: "caps" + process.pid, code: "import bpy\\nbpy.ops.mesh.primitive_cube_add()\\n", profile: { name: "t", samples: 1, resolution: 16, denoise: false }, render: true },
    { wallSeconds: 60, cpuSeconds: 120, memoryMiB: 4096, maxProcesses: 256, maxFileMiB: 64, threads: 1 });
  console.log("STATUS=" + r.status);
  await r.cleanup();
} catch (err) {
  console.log("STATUS=" + (err as Error).name + ": " + (err as Error).message.split("\\n")[0]);
}
process.exit(0);
`,
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const runWith = (caps: string[]) => {
    const bounding = ["-all", ...caps.map((c) => `+${c.toLowerCase()}`)].join(",");
    const r = spawnSync("setpriv", [`--bounding-set=${bounding}`, "--inh-caps=-all", process.execPath, "--import", "tsx", script], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    return /STATUS=(.*)/.exec(r.stdout)?.[1] ?? `no status: ${r.stderr.slice(-500)}`;
  };

  it("lists exactly the eight capabilities the docs explain", () => {
    assert.deepEqual(composeCaps().sort(), ["CHOWN", "DAC_OVERRIDE", "KILL", "NET_ADMIN", "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN"]);
  });

  it("a run is OK with exactly those capabilities", () => {
    assert.equal(runWith(composeCaps()), "OK");
  });

  // KILL and SETPCAP are defence in depth (the uid sweep after the pid namespace's death; an empty
  // bounding set where no_new_privs already applies): a run works without them, as documented.
  for (const cap of ["SYS_ADMIN", "NET_ADMIN", "SETUID", "SETGID", "CHOWN", "DAC_OVERRIDE"]) {
    it(`a run cannot start without ${cap}`, () => {
      const status = runWith(composeCaps().filter((c) => c !== cap));
      assert.notEqual(status, "OK");
      assert.match(status, /SandboxError|EPERM|EACCES/);
    });
  }
});
