/**
 * The runner's privileges. As root: the capabilities docker-compose grants the blender-runner
 * service are enough for a run, and each one the docs call necessary is (a job runs in a child
 * process whose bounding set is exactly that list, then without one of them at a time).
 * Unprivileged: the sandbox gets its own user namespace in which no nested one can be created
 * (--disable-userns), on top of the seccomp filter.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { buildSandboxArgs } from "@/blender-runner/client/sandbox";
import { compileSeccomp } from "@/blender-runner/client/seccomp";

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

describe("unprivileged sandbox: no nested user namespaces", { skip: process.getuid?.() !== 0 ? "needs root to become another user" : false }, () => {
  const limits = { wallSeconds: 10, cpuSeconds: 10, memoryMiB: 1024, maxProcesses: 64, maxFileMiB: 8, threads: 1 };
  const tools = { bwrap: "bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv", taskset: "/usr/bin/taskset" };
  const spec = { stage: "run" as const, install: { kind: "binary" as const, binary: "/usr/bin/python3" }, harnessDir: ROOT, jobDir: "/tmp", pyvenvCfg: null, limits, tmpfsMiB: 16, cpus: null, tools };
  let dir: string;
  before(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "arena-userns-"));
    await chmod(dir, 0o755); // user nobody opens the filter file
    await writeFile(path.join(dir, "seccomp.bpf"), compileSeccomp().bytes, { mode: 0o644 });
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it("the unprivileged command line asks for its own user namespace and disables nested ones; the root one cannot", () => {
    const unpriv = buildSandboxArgs({ ...spec, dropToUid: null });
    for (const flag of ["--unshare-all", "--unshare-user", "--disable-userns", "--seccomp"]) assert.ok(unpriv.includes(flag), flag);
    const root = buildSandboxArgs({ ...spec, dropToUid: 200_001 });
    assert.ok(!root.includes("--disable-userns") && !root.includes("--unshare-user"), "as root the seccomp filter does this job");
    assert.ok(root.includes("--seccomp"));
  });

  // bwrap as user nobody with sandbox.ts's namespace flags, with and without the seccomp filter,
  // and a control without either (nested user namespaces are otherwise allowed on this kernel).
  const tryUnshare = (flags: string[], seccomp: boolean) => {
    const py = "import ctypes, os; libc = ctypes.CDLL(None, use_errno=True); rc = libc.unshare(0x10000000); print('RC', rc, os.strerror(ctypes.get_errno()) if rc else 'ok')";
    const bwrap = ["bwrap", ...flags, "--die-with-parent", ...(seccomp ? ["--seccomp", "4"] : []), "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--", "/usr/bin/python3", "-c", py];
    const sh = `${seccomp ? `exec 4<${path.join(dir, "seccomp.bpf")}; ` : ""}exec "$@"`;
    const r = spawnSync("setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", sh, "sh", ...bwrap], { encoding: "utf8", timeout: 30_000 });
    return /RC (.*)/.exec(r.stdout)?.[1] ?? `no answer: ${r.stderr.slice(-300)}`;
  };
  const flags = ["--unshare-all", "--unshare-user"];

  it("control: without --disable-userns and seccomp, a nested user namespace is created", () => {
    assert.equal(tryUnshare(flags, false), "0 ok");
  });

  it("--disable-userns alone refuses it (ENOSPC), the seccomp filter alone too (EPERM), and both together", () => {
    assert.match(tryUnshare([...flags, "--disable-userns"], false), /^-1 No space left on device/);
    assert.match(tryUnshare(flags, true), /^-1 Operation not permitted/);
    assert.match(tryUnshare([...flags, "--disable-userns"], true), /^-1 Operation not permitted/);
  });
});
