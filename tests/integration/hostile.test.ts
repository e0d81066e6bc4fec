/**
 * Hostile scripts against the real sandbox (issue 3, "Hostile-code proof"): each one must end as a
 * clean failure status with a readable reason, or run OK while every attempt it makes is
 * contained (it prints what it saw as `EVIDENCE=<json>` and the test asserts on that). Issue 10
 * adds scripts that try to forge their result or leak host files through the stored outputs: each
 * ends with its true status and tamper evidence, and no kept byte of any run contains the host's
 * secret. Afterwards a normal job still runs and no sandboxed process (of either uid) is left.
 *
 * Needs DATABASE_URL and REDIS_URL (npm test starts both): the scripts try to reach those very ports.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { PNG } from "pngjs";
import { describeCgroups } from "@/blender-runner/client/cgroup";
import { parseGlb } from "@/blender-runner/client/glb-container";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RenderProfile, RunLimits, RunResult, Runner } from "@/blender-runner/client/types";
import { requireEnv } from "@/tests/support/env";
import { processesOfUid } from "@/tests/support/proc";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TINY: RenderProfile = { name: "tiny", samples: 1, resolution: 32, denoise: false };
const LIMITS: RunLimits = {
  wallSeconds: 30,
  cpuSeconds: 60,
  memoryMiB: 3072,
  maxProcesses: 128,
  maxFileMiB: 64,
  maxDiskMiB: 256,
  threads: 1,
};
const CUBE = "import bpy\nbpy.ops.mesh.primitive_cube_add()\n";

/** The JSON the script printed as EVIDENCE=...; fails with the log when it is missing. */
function evidence<T = Record<string, unknown>>(r: RunResult): T {
  const line = r.logTail.split("\n").find((l) => l.startsWith("EVIDENCE="));
  assert.ok(line, `no EVIDENCE line in the log:\n${r.logTail}`);
  return JSON.parse(line.slice("EVIDENCE=".length)) as T;
}

function canConnect(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host, timeout: 3000 });
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
    s.once("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });
}

const sha = (file: string) => createHash("sha256").update(readFileSync(file)).digest("hex");

function harnessDigest(): string {
  const dir = path.join(ROOT, "blender-runner", "harness");
  const files = ["harness.py", ...readdirSync(path.join(dir, "arena")).map((f) => `arena/${f}`)].sort();
  return files.map((f) => `${f}:${sha(path.join(dir, f))}`).join("\n");
}

describe("hostile scripts in the sandbox", () => {
  const dbUrl = new URL(requireEnv("DATABASE_URL"));
  const redisUrl = new URL(requireEnv("REDIS_URL"));
  const pgPort = Number(dbUrl.port || 5432);
  const redisPort = Number(redisUrl.port || 6379);
  const hostSecret = `hostile-secret-${process.pid}`;
  let jobsRoot: string;
  let canary: string;
  let runner: Runner;
  let harnessBefore: string;
  const results: RunResult[] = [];
  const uids = new Set<number>();
  let seq = 0;

  const run = async (code: string, opts: { render?: boolean; limits?: Partial<RunLimits>; id?: string } = {}) => {
    const r = await runner.run(
      { id: opts.id ?? `h${process.pid}-${seq++}`, code, profile: TINY, render: opts.render ?? false },
      { ...LIMITS, ...opts.limits },
    );
    results.push(r);
    if (r.sandboxUid != null) uids.add(r.sandboxUid);
    if (r.collectUid != null) uids.add(r.collectUid);
    // Nothing of the host in anything that would be stored.
    for (const b of [r.files.metricGlb, r.files.displayGlb, ...r.files.renders.map((v) => v.png)]) {
      if (b) assert.ok(!Buffer.from(b).includes(hostSecret), "host bytes in a stored asset");
    }
    // A readable reason: never an empty error for a failure.
    if (r.status !== "OK") assert.ok((r.errorText ?? "").trim().length > 10, `${r.status} without a reason`);
    return r;
  };

  before(async () => {
    // Where production keeps jobs (<root>/.data/jobs): next to auth-secret, inside the project.
    await mkdir(path.join(ROOT, ".data"), { recursive: true });
    jobsRoot = await mkdtemp(path.join(ROOT, ".data", "hostile-jobs-"));
    canary = path.join(ROOT, ".data", `hostile-canary-${process.pid}`);
    await writeFile(canary, hostSecret, { mode: 0o644 });
    process.env.ARENA_TEST_SECRET = hostSecret;
    harnessBefore = harnessDigest();
    runner = createLocalRunner({ root: ROOT, jobsRoot });
    assert.match(await runner.version(), /^5\./);
    // The services the scripts try to reach are really there (else the network cases prove nothing).
    assert.equal(await canConnect(pgPort), true, `PostgreSQL is not listening on ${pgPort}`);
    assert.equal(await canConnect(redisPort), true, `Redis is not listening on ${redisPort}`);
  });

  after(async () => {
    delete process.env.ARENA_TEST_SECRET;
    for (const r of results) await r.cleanup();
    await rm(jobsRoot, { recursive: true, force: true });
    await rm(canary, { force: true });
  });

  it("sees no secret: environment cleared, /etc/shadow, /root/.ssh, the project's .data and .env absent", async () => {
    const paths = ["/etc/shadow", "/etc/passwd", "/root/.ssh", "/root", "/home", ROOT, path.join(ROOT, ".data/auth-secret"), path.join(ROOT, ".env"), canary, jobsRoot];
    const r = await run(`import bpy, json, os
seen = {}
for p in ${JSON.stringify(paths)}:
    try:
        with open(p, "rb") as fh:
            seen[p] = "read:" + fh.read(64).decode("latin1")
    except OSError as e:
        seen[p] = type(e).__name__
leaks = [k for k, v in os.environ.items() if "${hostSecret}" in v or "postgres" in v.lower() or "redis" in v.lower()]
try:
    pid1 = open("/proc/1/environ", "rb").read().decode("latin1")
except OSError as e:
    pid1 = type(e).__name__
print("EVIDENCE=" + json.dumps({"seen": seen, "env": sorted(os.environ), "leaks": leaks, "pid1": pid1}))
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const ev = evidence<{ seen: Record<string, string>; env: string[]; leaks: string[]; pid1: string }>(r);
    for (const p of paths) assert.match(ev.seen[p] ?? "", /^(FileNotFoundError|PermissionError)$/, `${p}: ${ev.seen[p]}`);
    assert.deepEqual(ev.leaks, []);
    for (const name of ["DATABASE_URL", "REDIS_URL", "AUTH_SECRET", "ARENA_TEST_SECRET", "ARENA_DATA_DIR"]) assert.ok(!ev.env.includes(name), name);
    assert.ok(!ev.pid1.includes(hostSecret));
  });

  describe("network", () => {
    let server: Server;
    let port = 0;
    let connections = 0;
    before(async () => {
      server = createServer((s) => {
        connections++;
        s.end();
      });
      await new Promise<void>((resolve) => server.listen(0, "0.0.0.0", resolve));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it("reaches neither PostgreSQL, Redis, the host on any port, the internet, nor DNS", async () => {
      const hostIps = Object.values(os.networkInterfaces())
        .flat()
        .filter((a) => a && a.family === "IPv4")
        .map((a) => a!.address);
      const targets: [string, number][] = [
        ["127.0.0.1", pgPort],
        ["127.0.0.1", redisPort],
        ["::1", pgPort],
        ["::1", redisPort],
        ...hostIps.flatMap((ip): [string, number][] => [[ip, port], [ip, pgPort], [ip, redisPort]]),
        ["1.1.1.1", 443],
        ["8.8.8.8", 53],
      ];
      const sockets = [`/tmp/.s.PGSQL.${pgPort}`, `/var/run/postgresql/.s.PGSQL.${pgPort}`, `/run/postgresql/.s.PGSQL.${pgPort}`, "/var/run/redis/redis-server.sock"];
      const r = await run(`import bpy, json, socket
tcp = {}
for host, port in ${JSON.stringify(targets)}:
    try:
        s = socket.create_connection((host, port), timeout=2)
        tcp["%s:%d" % (host, port)] = "CONNECTED"
        s.close()
    except OSError as e:
        tcp["%s:%d" % (host, port)] = type(e).__name__
unix = {}
for p in ${JSON.stringify(sockets)}:
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(p)
        unix[p] = "CONNECTED"
    except OSError as e:
        unix[p] = type(e).__name__
dns = {}
for name in ["example.com", "localhost", "postgres"]:
    try:
        dns[name] = str(socket.getaddrinfo(name, 80))
    except OSError as e:
        dns[name] = type(e).__name__
try:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("8.8.8.8", 53))
    udp = "SENT"
except OSError as e:
    udp = type(e).__name__
print("EVIDENCE=" + json.dumps({"tcp": tcp, "unix": unix, "dns": dns, "udp": udp, "ifs": [n for _, n in socket.if_nameindex()]}))
${CUBE}`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      const ev = evidence<{ tcp: Record<string, string>; unix: Record<string, string>; dns: Record<string, string>; udp: string; ifs: string[] }>(r);
      for (const [k, v] of Object.entries(ev.tcp)) assert.notEqual(v, "CONNECTED", k);
      assert.equal(Object.keys(ev.tcp).length, new Set(targets.map(([h, p]) => `${h}:${p}`)).size);
      for (const [k, v] of Object.entries(ev.unix)) assert.notEqual(v, "CONNECTED", k);
      assert.equal(ev.dns["example.com"], "gaierror");
      assert.equal(ev.dns.postgres, "gaierror");
      assert.equal(ev.udp, "OSError", "no route: the only interface is the sandbox's own loopback");
      assert.deepEqual(ev.ifs, ["lo"]);
      assert.equal(connections, 0);
    });
  });

  it("cannot write outside /job (and /tmp, a private tmpfs)", async () => {
    const targets = [
      path.join(ROOT, `pwned-${process.pid}`),
      path.join(jobsRoot, `pwned-${process.pid}`),
      `/opt/harness/pwned-${process.pid}`,
      "/usr/pwned",
      "/etc/pwned",
      "/pwned",
      "/root/pwned",
      "/dev/shm/pwned",
      "/proc/sys/kernel/hostname",
      "/job/ok",
      "/tmp/ok",
    ];
    const r = await run(`import bpy, json
w = {}
for p in ${JSON.stringify(targets)}:
    try:
        with open(p, "w") as fh:
            fh.write("x")
        w[p] = "WROTE"
    except OSError as e:
        w[p] = type(e).__name__
print("EVIDENCE=" + json.dumps(w))
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const ev = evidence<Record<string, string>>(r);
    for (const t of targets.slice(0, -2)) assert.notEqual(ev[t], "WROTE", t);
    assert.equal(ev["/job/ok"], "WROTE");
    assert.equal(ev["/tmp/ok"], "WROTE");
    assert.equal(existsSync(targets[0]!), false);
    assert.equal(existsSync(targets[1]!), false);
  });

  it("cannot see or read another job's folder, even while that job runs", async () => {
    const idA = `h${process.pid}-victim`;
    const secretA = `victim-${process.pid}-${Date.now()}`;
    const hostA = path.join(jobsRoot, idA);
    const victim = run(`import bpy, time
open("/job/secret.txt", "w").write("${secretA}")
time.sleep(6)
${CUBE}`, { id: idA });
    await new Promise((res) => setTimeout(res, 2500));
    const thief = await run(`import bpy, json, os
found = {}
for p in ["${hostA}/secret.txt", "/job/../${idA}/secret.txt", "${jobsRoot}"]:
    try:
        found[p] = open(p).read(100) if os.path.isfile(p) else str(os.listdir(p))
    except OSError as e:
        found[p] = type(e).__name__
hits = []
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            if "${secretA}" in open("/proc/%s/root/job/secret.txt" % pid).read():
                hits.append(pid)
        except OSError:
            pass
walk = []
for top in ["/", "/job", "/tmp", "/opt/harness"]:
    if top == "/":
        walk += [n for n in os.listdir("/") if "${idA}" in n]
        continue
    for d, _, files in os.walk(top):
        for f in files:
            try:
                if "${secretA}" in open(os.path.join(d, f), errors="ignore").read(200):
                    walk.append(os.path.join(d, f))
            except OSError:
                pass
print("EVIDENCE=" + json.dumps({"found": found, "procHits": hits, "walk": walk, "pids": sorted(int(p) for p in os.listdir("/proc") if p.isdigit())}))
${CUBE}`);
    const a = await victim;
    assert.equal(a.status, "OK", a.errorText ?? a.logTail);
    assert.equal(thief.status, "OK", thief.errorText ?? thief.logTail);
    assert.notEqual(a.sandboxUid, thief.sandboxUid, "each job has its own uid");
    const ev = evidence<{ found: Record<string, string>; procHits: string[]; walk: string[]; pids: number[] }>(thief);
    for (const [p, v] of Object.entries(ev.found)) assert.match(v, /^(FileNotFoundError|PermissionError)$/, `${p}: ${v}`);
    assert.deepEqual(ev.procHits, []);
    assert.deepEqual(ev.walk, []);
    assert.ok(ev.pids.every((p) => p < 10), `only its own pid namespace: ${ev.pids.join(",")}`);
  });

  it("a fork bomb is capped by the process limit and killed at the wall clock", async () => {
    const r = await run(`import bpy, os
while True:
    try:
        os.fork()
    except OSError:
        pass
`, { limits: { wallSeconds: 6 } });
    assert.equal(r.status, "ERR_TIMEOUT");
    assert.match(r.errorText!, /Wall-clock limit of 6 s exceeded \(phase: script\)/);
    assert.deepEqual(processesOfUid(r.sandboxUid!), []);
  });

  it("an infinite loop ends at the wall clock, or at the CPU-time limit", async () => {
    const wall = await run("import bpy\nwhile True:\n    pass\n", { limits: { wallSeconds: 4 } });
    assert.equal(wall.status, "ERR_TIMEOUT");
    assert.deepEqual(wall.failure, { group: null, detail: "timeout", ownGroup: "OTHER" });
    const cpu = await run("import bpy\nwhile True:\n    pass\n", { limits: { wallSeconds: 30, cpuSeconds: 3 } });
    assert.equal(cpu.status, "ERR_TIMEOUT");
    assert.match(cpu.errorText!, /CPU time limit of 3 s exceeded/);
    assert.deepEqual(cpu.failure, { group: null, detail: "cpu-time", ownGroup: "OTHER" });
    assert.ok(cpu.timings.total < 20, `took ${cpu.timings.total}s`);
  });

  it("a memory bomb is stopped at the job's real-memory limit (memory cgroup; no address-space limit)", async () => {
    const r = await run(`import bpy
hoard = []
while True:
    hoard.append(b"x" * (64 << 20))
`);
    assert.equal(r.status, "ERR_EXEC");
    assert.match(r.errorText!, /^MemoryLimitExceeded: the job's processes together used more than 3072 MiB/);
    assert.deepEqual(r.failure, { group: "OTHER", detail: "memory", ownGroup: "OTHER" });
    assert.ok((r.peakMemoryMiB ?? 0) < LIMITS.memoryMiB + 512, `peak ${r.peakMemoryMiB} MiB`);
  });

  it("a memory bomb spread over forked children is capped for the job as a whole (memory cgroup)", async () => {
    assert.doesNotMatch(describeCgroups(), /^none/, "this host must offer a writable memory cgroup");
    // Each child stays under the per-process address-space limit; together they exceed memoryMiB.
    const r = await run(`import bpy, json, os, time
kids = []
for i in range(4):
    pid = os.fork()
    if pid == 0:
        hold = b"x" * (1200 << 20)
        time.sleep(30)
        os._exit(0)
    kids.append(pid)
deadline = time.time() + 15
ends = {}
while len(ends) < 2 and time.time() < deadline:
    for pid in kids:
        if pid not in ends:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                ends[pid] = os.waitstatus_to_exitcode(status)
    time.sleep(0.1)
for pid in kids:
    if pid not in ends:
        os.kill(pid, 9)
print("EVIDENCE=" + json.dumps({"ends": list(ends.values())}))
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const ev = evidence<{ ends: number[] }>(r);
    assert.ok(ev.ends.length >= 2 && ev.ends.every((c) => c === -9), `children ended with ${JSON.stringify(ev.ends)}`);
  });

  it("a 10 GB file stops at the file-size limit, sparse or dense", async () => {
    const r = await run(`import bpy, json
ev = {}
try:
    with open("/job/sparse.bin", "wb") as fh:
        fh.seek(10 << 30)
        fh.write(b"x")
    ev["sparse"] = "WROTE"
except OSError as e:
    ev["sparse"] = str(e)
print("EVIDENCE=" + json.dumps(ev), flush=True)
chunk = b"x" * (16 << 20)
with open("/job/big.bin", "wb") as fh:
    for _ in range(640):
        fh.write(chunk)
`);
    assert.match(evidence<{ sparse: string }>(r).sparse, /File too large/);
    assert.equal(r.status, "ERR_EXEC");
    assert.match(r.errorText!, /^OSError: \[Errno 27\] File too large/);
    assert.deepEqual(r.failure, { group: "OTHER", detail: "file-size-limit", ownGroup: "OTHER" });
  });

  it("filling the disk with many files, or with many empty ones, stops at the job folder's budget", async () => {
    const big = await run(`import bpy
for i in range(100):
    with open("/job/part%d.bin" % i, "wb") as fh:
        fh.write(b"x" * (60 << 20))
`);
    assert.equal(big.status, "ERR_EXEC");
    assert.match(big.errorText!, /^DiskLimitExceeded: job folder above 256 MiB; the sandbox was stopped \(phase: script\)/);
    assert.deepEqual(big.failure, { group: "OTHER", detail: "disk-limit", ownGroup: "OTHER" });
    const many = await run(`import bpy, os
os.makedirs("/job/d", exist_ok=True)
for i in range(1000000):
    open("/job/d/%d" % i, "w").close()
`, { limits: { maxDiskEntries: 2000 } });
    assert.equal(many.status, "ERR_EXEC");
    assert.match(many.errorText!, /^DiskLimitExceeded: more than 2000 files in the job folder/);
  });

  it("flooding stdout keeps only a bounded tail and the job still completes", async () => {
    const r = await run(`import bpy, sys
line = "flood " * 1000 + "\\n"
for _ in range(30000):
    sys.stdout.write(line)
sys.stdout.flush()
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? "");
    assert.ok(r.logTail.length < 9000, `log tail is ${r.logTail.length} chars`);
    assert.match(r.logTail, /^\[\.\.\. \d+ bytes cut\]/);
  });

  it("sys.exit is ERR_EXEC; os._exit and killing itself are ERR_NOLOG with the phase named", async () => {
    const exit = await run(`import bpy, sys\n${CUBE}sys.exit("bye")\n`);
    assert.equal(exit.status, "ERR_EXEC");
    assert.ok(exit.errorText!.startsWith("SystemExit: bye\n"), exit.errorText!);
    assert.deepEqual(exit.failure, { group: "OTHER", detail: "system-exit", ownGroup: "OTHER" });

    const hard = await run(`import bpy, os\n${CUBE}os._exit(0)\n`);
    assert.equal(hard.status, "ERR_NOLOG");
    assert.match(hard.errorText!, /Blender stopped during the "script" phase, exit code 0/);
    assert.deepEqual(hard.failure, { group: null, detail: "crash", ownGroup: "OTHER" });

    const self = await run(`import bpy, os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n`);
    assert.equal(self.status, "ERR_NOLOG");
    assert.match(self.errorText!, /"script" phase/);
  });

  it("os.kill of its parent, of pid 1 or of everything reaches nothing outside the sandbox", async () => {
    const r = await run(`import bpy, json, os, signal
ev = {"ppid": os.getppid()}
for name, target in [("parent", os.getppid()), ("pid1", 1)]:
    try:
        os.kill(target, signal.SIGKILL)
        ev[name] = "SENT"
    except OSError as e:
        ev[name] = type(e).__name__
try:
    os.kill(-1, signal.SIGKILL)
    ev["all"] = "SENT"
except OSError as e:
    ev["all"] = type(e).__name__
print("EVIDENCE=" + json.dumps(ev))
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const ev = evidence<{ ppid: number; parent: string; pid1: string; all: string }>(r);
    assert.equal(ev.ppid, 1, "its parent is the sandbox's own init");
    assert.equal(ev.parent, "PermissionError");
    assert.equal(ev.pid1, "PermissionError");
    // kill(-1) may only reach the job's own processes (its uid, its pid namespace).
    assert.ok(["SENT", "ProcessLookupError"].includes(ev.all), ev.all);
    assert.equal(process.ppid > 0, true);
  });

  it("cannot delete or patch the harness, and a forged result.json is ignored", async () => {
    const r = await run(`import bpy, json, os
ev = {}
for name, act in [
    ("remove", lambda: os.remove("/opt/harness/harness.py")),
    ("append", lambda: open("/opt/harness/arena/render.py", "a").write("\\nimport os\\n")),
    ("rename", lambda: os.rename("/opt/harness/arena", "/opt/harness/x")),
    ("chmod", lambda: os.chmod("/opt/harness/harness.py", 0o777)),
    ("new", lambda: open("/opt/harness/arena/sitecustomize.py", "w").write("x")),
]:
    try:
        act()
        ev[name] = "DONE"
    except OSError as e:
        ev[name] = type(e).__name__
with open("/job/out/result.json", "w") as fh:
    json.dump({"status": "OK", "phase": "done", "views": []}, fh)
print("EVIDENCE=" + json.dumps(ev))
raise RuntimeError("after forging")
`);
    const ev = evidence<Record<string, string>>(r);
    for (const [k, v] of Object.entries(ev)) assert.notEqual(v, "DONE", k);
    assert.equal(r.status, "ERR_EXEC", "the host never reads a result file; the script's exception stands");
    assert.ok(r.errorText!.startsWith("RuntimeError: after forging\n"));
    assert.equal(harnessDigest(), harnessBefore);
  });

  it("cannot import the project's modules, nor the harness's live ones", async () => {
    const r = await run(`import bpy, json, runpy, sys
sys.path.insert(0, "${ROOT}")
ev = {}
for name in ["arena", "arena.report", "arena.audit", "harness", "lib", "lib.env", "scripts", "workers", "blender_runner"]:
    try:
        __import__(name)
        ev[name] = "IMPORTED"
    except ImportError as e:
        ev[name] = type(e).__name__
try:
    runpy.run_path("${ROOT}/scripts/check-categories.py")
    ev["run_path"] = "RAN"
except OSError as e:
    ev["run_path"] = type(e).__name__
import numpy, mathutils, bmesh
print("EVIDENCE=" + json.dumps(ev))
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    const ev = evidence<Record<string, string>>(r);
    for (const [k, v] of Object.entries(ev)) {
      if (k === "run_path") assert.equal(v, "FileNotFoundError");
      else assert.equal(v, "ModuleNotFoundError", k);
    }
  });

  it("a daemonised child does not outlive its job", async () => {
    const r = await run(`import bpy, os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(600)
    os._exit(0)
${CUBE}`);
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(processesOfUid(r.sandboxUid!), []);
  });

  describe("results a script cannot forge (two processes)", () => {
    // A GLB whose buffer and image point wherever `uri` says, built in Python inside the sandbox.
    const GLB_PY = `import json, struct
def hostile_glb(uri):
    j = json.dumps({"asset": {"version": "2.0", "generator": "forged"}, "buffers": [{"byteLength": 16, "uri": uri}],
                    "images": [{"uri": uri}], "textures": [{"source": 0}],
                    "materials": [{"name": "x", "pbrMetallicRoughness": {"baseColorTexture": {"index": 0}}}]}).encode()
    j += b" " * (-len(j) % 4)
    return struct.pack("<III", 0x46546C67, 2, 20 + len(j)) + struct.pack("<II", len(j), 0x4E4F534A) + j
`;
    const generator = (b: Uint8Array | null) => (b ? (parseGlb(b).json.asset as { generator?: string }).generator : null);
    const events = (r: RunResult) => r.tamper.evidence.map((e) => `${e.source}:${e.event}`);

    it("ordinary library use is not flagged (logging, namedtuple, typing, enum, warnings, tracebacks, numpy, scipy, temp files, /dev/null)", async () => {
      const r = await run(`import bpy, collections, contextlib, dataclasses, enum, inspect, io, logging, os, subprocess, sys, tempfile, traceback, typing, warnings
import numpy as np, scipy.spatial
logging.basicConfig(level=logging.INFO)
logging.getLogger("build").info("start")
P = collections.namedtuple("P", "x y")
T = typing.TypeVar("T")
class N(typing.NamedTuple):
    a: int
Colour = enum.Enum("Colour", "RED GREEN")
@dataclasses.dataclass
class D:
    v: float = 1.0
warnings.warn("just a warning")
try:
    raise ValueError("handled")
except ValueError:
    traceback.print_exc()
frame = inspect.currentframe()
with tempfile.NamedTemporaryFile("w", delete=False) as fh:
    fh.write("scratch")
open("/job/notes.txt", "w").write("mine")
with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
    print("silenced")
subprocess.run(["true"], stdout=subprocess.DEVNULL)
hull = scipy.spatial.ConvexHull(np.random.default_rng(0).random((20, 3)))
${CUBE}`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.deepEqual(r.tamper, { suspected: false, evidence: [] });
    });

    it("GLBs with external uris (absolute, relative, /proc/self/environ, FIFO, https) written into out/, also by a thread, never reach the host", async () => {
      const r = await run(`import bpy, os, threading, time
${GLB_PY}
uris = ["${canary}", "../../${path.basename(canary)}", "/proc/self/environ", "/job/out/fifo", "https://example.com/x.png"]
os.makedirs("/job/out/renders", exist_ok=True)
os.mkfifo("/job/out/fifo")
for i, uri in enumerate(uris):
    open("/job/out/display-%d.glb" % i, "wb").write(hostile_glb(uri))
open("/job/out/display.glb", "wb").write(hostile_glb("/proc/self/environ"))
open("/job/out/metric.glb", "wb").write(hostile_glb("${canary}"))
os.mkfifo("/job/out/renders/Image_005.png")
def late():
    # Keeps rewriting the files while the harness saves the scene.
    end = time.time() + 3
    while time.time() < end:
        open("/job/out/display.glb", "wb").write(hostile_glb("${canary}"))
        time.sleep(0.01)
threading.Thread(target=late, daemon=True).start()
${CUBE}`, { render: true });
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.equal(r.stats?.vertices, 8);
      assert.equal(generator(r.files.displayGlb), "3DCodeArena", "the served GLB is process 2's, sanitised");
      assert.match(String(generator(r.files.metricGlb)), /^Khronos glTF Blender I\/O/, "the metric GLB is Blender's own export");
      assert.equal(r.files.renders.length, 4);
      assert.equal(r.tamper.suspected, true);
      const writes = r.tamper.evidence.filter((e) => e.event === "open.write").map((e) => e.detail);
      assert.ok(writes.includes("/job/out/display.glb") && writes.includes("/job/out/metric.glb"), JSON.stringify(writes));
    });

    it("a GLB swapped in by render_pre / save_post / depsgraph handlers: handlers never run in the harness's steps", async () => {
      const r = await run(`import bpy
${GLB_PY}
def swap(*args):
    print("HANDLER-RAN", flush=True)
    open("/job/out/display.glb", "wb").write(hostile_glb("${canary}"))
for name in ["render_pre", "render_post", "render_write", "save_pre", "save_post", "load_post", "depsgraph_update_post"]:
    getattr(bpy.app.handlers, name).append(bpy.app.handlers.persistent(swap) if name == "load_post" else swap)
${CUBE}bpy.context.scene.render.engine = "CYCLES"
`, { render: true });
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      // depsgraph_update_post may fire while the script itself still runs (its own process);
      // none fires in the harness's save, and nothing of the script exists in process 2.
      const p2 = r.logTail.split("--- export and render (process 2) ---")[1] ?? "";
      assert.ok(p2.length > 0, "process 2's log is there");
      assert.doesNotMatch(p2, /HANDLER-RAN/);
      assert.equal(generator(r.files.displayGlb), "3DCodeArena");
      assert.equal(r.files.renders.length, 4);
    });

    it("json.dump patched and out/result.json written: the stored status and stats are the true ones, and it is flagged", async () => {
      const r = await run(`import bpy, json
forged = {"status": "OK", "phase": "done", "stats": {"faces": 424242, "vertices": 424242}, "views": []}
json.dump = lambda obj, fh, *a, **k: fh.write(json.JSONEncoder().encode(forged))
json.dumps = lambda *a, **k: json.JSONEncoder().encode(forged)
with open("/job/out/result.json", "w") as fh:
    json.dump(forged, fh)
${CUBE}`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.deepEqual([r.stats?.vertices, r.stats?.faces], [8, 6]);
      assert.equal(r.tamper.suspected, true);
      const details = r.tamper.evidence.map((e) => e.detail ?? "");
      assert.ok(details.includes("json.dump replaced") && details.includes("json.dumps replaced"), JSON.stringify(details));
      assert.ok(details.includes("/job/out/result.json"));
    });

    it("the harness's objects reached through gc and made to report success: the true failure stands, flagged", async () => {
      const r = await run(`import bpy, gc
${CUBE}found = []
for obj in gc.get_objects():
    try:
        kind = type(obj).__name__
        if kind == "Channel" and hasattr(obj, "send"):
            found.append(kind)
            obj.send("script", error=None, seconds=0.0)
            obj.send("saved", file="out/scene.blend", bytes=1, sha256="0" * 64, seconds=0.0)
            obj.send("end")
        if kind == "Auditor":
            obj._count = 10**9  # try to silence it
    except Exception:
        pass  # removed Blender data and other objects that refuse attribute lookups
print("EVIDENCE=" + repr(found).replace("'", '"'))
raise RuntimeError("the real failure")
`);
      assert.deepEqual(evidence<string[]>(r), ["Channel"], "the script did reach the harness's channel");
      assert.equal(r.status, "ERR_EXEC");
      assert.ok(r.errorText!.startsWith("RuntimeError: the real failure\n"), r.errorText!);
      assert.deepEqual(r.files, { metricGlb: null, displayGlb: null, displayGlbSourceBytes: null, renders: [] });
      assert.ok(events(r).includes("audit:gc.get_objects"), JSON.stringify(r.tamper.evidence));
      assert.ok(r.tamper.evidence.some((e) => e.event === "duplicate record" && /"script"/.test(e.detail ?? "")));
    });

    it("records forged on fd 3, result.json and four PNGs drawn, then os._exit: ERR_NOLOG, no views, flagged", async () => {
      const r = await run(`import bpy, os, struct, zlib
def png(rgba, size=32):
    raw = b"".join(b"\\0" + bytes(rgba) * size for _ in range(size))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
os.makedirs("/job/out/renders", exist_ok=True)
for f in (5, 15, 25, 35):
    open("/job/out/renders/Image_%03d.png" % f, "wb").write(png((255, 0, 255, 255)))
open("/job/out/result.json", "w").write('{"status": "OK", "phase": "done"}')
os.write(3, b'\\n{"t":"script","error":null,"seconds":0}\\n{"t":"saved","file":"out/scene.blend","bytes":1,"sha256":"' + b"0" * 64 + b'","seconds":0}\\n{"t":"end"}\\n')
${CUBE}os._exit(0)
`, { render: true });
      assert.equal(r.status, "ERR_NOLOG");
      assert.match(r.errorText!, /"script" phase, exit code 0/);
      assert.deepEqual(r.files.renders, []);
      assert.equal(r.tamper.suspected, true);
      assert.ok(r.tamper.evidence.some((e) => e.detail === "/job/out/renders/Image_005.png"));
    });

    it("four PNGs drawn by a script that also builds its object: the stored views are process 2's renders", async () => {
      const r = await run(`import bpy, os, struct, zlib
def png(rgba, size=32):
    raw = b"".join(b"\\0" + bytes(rgba) * size for _ in range(size))
    chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    return b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
os.makedirs("/job/out/renders", exist_ok=True)
for f in (5, 15, 25, 35):
    open("/job/out/renders/Image_%03d.png" % f, "wb").write(png((255, 0, 255, 255)))
${CUBE}`, { render: true });
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.equal(r.files.renders.length, 4);
      for (const v of r.files.renders) {
        const px = PNG.sync.read(Buffer.from(v.png));
        assert.deepEqual([...px.data.subarray(0, 4)], [0, 0, 0, 0], `${v.name}: a transparent corner, not the script's magenta`);
      }
      assert.equal(r.tamper.suspected, true);
    });

    it("a saved scene made unusable (out/ turned into a symlink) is ERR_EXPORT with a reason, never followed", async () => {
      const r = await run(`import bpy, os, shutil
${CUBE}shutil.rmtree("/job/out")
os.makedirs("/tmp/elsewhere")
os.symlink("/tmp/elsewhere", "/job/out")
`);
      assert.equal(r.status, "ERR_EXPORT");
      assert.match(r.errorText!, /the script's saved scene cannot be used: .*out is a symlink/);
      assert.ok(r.tamper.evidence.some((e) => e.source === "scene"));
    });

    it("nested user namespaces, mounts, ptrace, bpf, keyrings, io_uring are refused by the kernel; threads and fork still work", async () => {
      const r = await run(`import bpy, ctypes, json, os, shutil, subprocess, threading
libc = ctypes.CDLL(None, use_errno=True)
SYS = {"unshare": 272, "clone": 56, "clone3": 435, "mount": 165, "ptrace": 101, "bpf": 321, "keyctl": 250,
       "perf_event_open": 298, "io_uring_setup": 425, "userfaultfd": 323, "setns": 308, "pivot_root": 155}
if os.uname().machine == "aarch64":
    SYS = {"unshare": 97, "clone": 220, "clone3": 435, "mount": 40, "ptrace": 117, "bpf": 280, "keyctl": 219,
           "perf_event_open": 241, "io_uring_setup": 425, "userfaultfd": 282, "setns": 268, "pivot_root": 41}
def call(name, *args):
    ctypes.set_errno(0)
    rc = libc.syscall(SYS[name], *[ctypes.c_long(a) for a in args])
    return "ok" if rc >= 0 else os.strerror(ctypes.get_errno())
ev = {
    "unshare_user": call("unshare", 0x10000000),
    "unshare_mount": call("unshare", 0x20000),
    "clone_user": call("clone", 0x10000000 | 17, 0, 0, 0, 0),
    "clone3": call("clone3", 0, 0),
    "mount": call("mount", 0, 0, 0, 0, 0),
    "ptrace": call("ptrace", 0, 0, 0, 0),
    "bpf": call("bpf", 0, 0, 0),
    "keyctl": call("keyctl", 0, 0, 0),
    "perf_event_open": call("perf_event_open", 0, 0, -1, -1, 0),
    "io_uring_setup": call("io_uring_setup", 1, 0),
    "userfaultfd": call("userfaultfd", 0),
    "setns": call("setns", 0, 0),
    "pivot_root": call("pivot_root", 0, 0),
    "os_unshare": "absent",
}
if hasattr(os, "unshare"):
    try:
        os.unshare(os.CLONE_NEWUSER)
        ev["os_unshare"] = "ok"
    except OSError as e:
        ev["os_unshare"] = e.strerror
ev["unshare_cmd"] = subprocess.run(["unshare", "-U", "true"], capture_output=True, text=True).returncode if shutil.which("unshare") else "absent"
t = threading.Thread(target=lambda: ev.__setitem__("thread", "ok")); t.start(); t.join()
pid = os.fork()
if pid == 0:
    os._exit(3)
ev["fork"] = os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
ev["true"] = subprocess.run(["true"]).returncode
print("EVIDENCE=" + json.dumps(ev))
${CUBE}`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      const ev = evidence<Record<string, string | number>>(r);
      for (const k of ["unshare_user", "unshare_mount", "clone_user", "mount", "ptrace", "bpf", "keyctl", "perf_event_open", "io_uring_setup", "userfaultfd", "setns", "pivot_root"]) {
        assert.equal(ev[k], "Operation not permitted", k);
      }
      assert.equal(ev.clone3, "Function not implemented");
      assert.ok(ev.os_unshare === "absent" || ev.os_unshare === "Operation not permitted", String(ev.os_unshare));
      assert.ok(ev.unshare_cmd === "absent" || ev.unshare_cmd !== 0, `unshare -U exited ${ev.unshare_cmd}`);
      assert.deepEqual([ev.thread, ev.fork, ev.true], ["ok", 3, 0]);
      assert.ok(events(r).some((e) => e.startsWith("audit:ctypes.")), "ctypes use is flagged");
    });

    it("a .blend carrying a Python driver and a registered text block runs neither in process 2", async () => {
      // Positive control: with auto-execution on in the script's own process the driver runs there.
      const r = await run(`import bpy, os
bpy.context.preferences.filepaths.use_scripts_auto_execute = True
where = "p1" if os.path.exists("/job/script.py") else "p2"
${CUBE}obj = bpy.context.object
fc = obj.driver_add("location", 0)
fc.driver.type = "SCRIPTED"
fc.driver.expression = "__import__('builtins').print('DRIVER-RAN-' + ('p1' if __import__('os').path.exists('/job/script.py') else 'p2'), flush=True) or 0.0"
bpy.context.view_layer.update()
bpy.context.scene.frame_set(2)
text = bpy.data.texts.new("autorun.py")
text.write("print('TEXT-RAN', flush=True)\\nimport os\\nopen('/job/out/pwned', 'w').write('x')\\n")
text.use_module = True
`);
      assert.equal(r.status, "OK", r.errorText ?? r.logTail);
      assert.match(r.logTail, /DRIVER-RAN-p1/, "control: the driver is real and runs where auto-execution is on");
      assert.doesNotMatch(r.logTail, /DRIVER-RAN-p2/);
      assert.doesNotMatch(r.logTail, /TEXT-RAN/);
      assert.match(r.logTail, /skipping 'autorun\.py'|scripts disabled/, "process 2 refused the text block");
    });
  });

  it("afterwards a normal job renders OK and no sandboxed process is left", async () => {
    const r = await run(CUBE, { render: true });
    assert.equal(r.status, "OK", r.errorText ?? r.logTail);
    assert.equal(r.files.renders.length, 4);
    await new Promise((res) => setTimeout(res, 300));
    for (const uid of uids) assert.deepEqual(processesOfUid(uid), [], `uid ${uid}`);
    // Each job's cgroup is removed with it.
    for (const dir of ["/sys/fs/cgroup/memory/3dcodearena", "/sys/fs/cgroup/pids/3dcodearena", "/sys/fs/cgroup/3dcodearena"]) {
      if (existsSync(dir)) assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith(`h${process.pid}-`)), [], dir);
    }
    assert.equal(harnessDigest(), harnessBefore);
  });
});
