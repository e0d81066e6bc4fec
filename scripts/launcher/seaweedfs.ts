/**
 * A project-local SeaweedFS (a real S3-compatible object store) for tests and demos of
 * ASSET_STORE=s3. Built once from the Go module proxy into .tools/seaweedfs-<version>/weed (a
 * gitignored folder keyed by version, so later runs reuse it), then started as `weed server` with
 * master, volume, filer and S3 gateway in one process on loopback, with its own ports and data dir.
 * Not the default for tests (scripts/launcher/s3proxy.ts is): the first build takes tens of minutes
 * on a small machine (about 45 min on 2 shared cores). Select it with TEST_S3_SERVER=seaweedfs.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hasCommand } from "@/scripts/launcher/apt";
import { assertPortsFree, serveS3, TEST_S3_KEYS, type RunningS3 } from "@/scripts/launcher/s3proxy";

/** The version the Go module proxy serves here (a pseudo-version: SeaweedFS tags are not module versions). */
export const SEAWEEDFS_VERSION = "v0.0.0-20261109003541-7506e5f91cd6";
const MODULE = "github.com/seaweedfs/seaweedfs";

/**
 * The weed binary, built on first use. `go install module@version` refuses SeaweedFS (its go.mod
 * has replace directives), so the module is downloaded and built inside its own directory.
 */
export function ensureSeaweedfs(root: string, log: (l: string) => void): string {
  const dir = path.join(root, ".tools", `seaweedfs-${SEAWEEDFS_VERSION}`);
  const bin = path.join(dir, "weed");
  if (existsSync(bin)) return bin;
  if (!hasCommand("go")) throw new Error(`SeaweedFS (${MODULE}) is built from source and needs the Go toolchain (go 1.25 or newer) on PATH.`);
  log(`building SeaweedFS ${SEAWEEDFS_VERSION} with go (first run only; several minutes)...`);
  const started = Date.now();
  const dl = spawnSync("go", ["mod", "download", "-json", `${MODULE}@${SEAWEEDFS_VERSION}`], { encoding: "utf8" });
  if (dl.status !== 0) throw new Error(`go mod download ${MODULE}@${SEAWEEDFS_VERSION} failed:\n${(dl.stdout + dl.stderr).trim().slice(-1500)}`);
  const moduleDir = (JSON.parse(dl.stdout) as { Dir: string }).Dir;
  mkdirSync(dir, { recursive: true });
  const tmp = `${bin}.${process.pid}.tmp`;
  const build = spawnSync("go", ["build", "-trimpath", "-buildvcs=false", "-o", tmp, "./weed"], {
    cwd: moduleDir,
    encoding: "utf8",
    env: { ...process.env, CGO_ENABLED: "0" },
  });
  if (build.status !== 0) throw new Error(`building SeaweedFS failed:\n${(build.stdout + build.stderr).trim().slice(-2000)}`);
  renameSync(tmp, bin);
  log(`SeaweedFS built in ${Math.round((Date.now() - started) / 1000)} s: ${bin}`);
  return bin;
}

export async function startSeaweedfs(opts: {
  root: string;
  dataDir: string;
  /** The S3 port; master, volume and filer take the next three (and gRPC each +10000). */
  port: number;
  bucket: string;
  log: (l: string) => void;
}): Promise<RunningS3> {
  const bin = ensureSeaweedfs(opts.root, opts.log);
  mkdirSync(opts.dataDir, { recursive: true });
  const config = path.join(opts.dataDir, "s3-identities.json");
  writeFileSync(
    config,
    JSON.stringify({ identities: [{ name: "arena", credentials: [{ accessKey: TEST_S3_KEYS.accessKeyId, secretKey: TEST_S3_KEYS.secretAccessKey }], actions: ["Admin", "Read", "List", "Tagging", "Write"] }] }),
    { mode: 0o600 },
  );
  const p = opts.port;
  await assertPortsFree([p, p + 1, p + 2, p + 3], "SeaweedFS");
  const args = [
    "server",
    "-ip=127.0.0.1",
    "-ip.bind=127.0.0.1",
    `-dir=${opts.dataDir}`,
    `-master.port=${p + 1}`,
    `-volume.port=${p + 2}`,
    "-filer",
    `-filer.port=${p + 3}`,
    `-filer.localSocket=${path.join(opts.dataDir, "filer.sock")}`,
    "-s3",
    `-s3.port=${p}`,
    `-s3.config=${config}`,
    `-s3.localSocket=${path.join(opts.dataDir, "s3.sock")}`,
    "-s3.port.iceberg=0",
    "-s3.port.lance=0",
    // Nothing leaves this machine; small volumes keep a test store's disk use small.
    "-master.telemetry=false",
    "-master.volumeSizeLimitMB=64",
    "-volume.max=16",
  ];
  const endpoint = `http://127.0.0.1:${p}`;
  const store = await serveS3({
    command: bin,
    args,
    endpoint,
    // The gateway answers /healthz once it and its filer are up.
    readyUrl: `${endpoint}/healthz`,
    startMs: 90_000,
    pollMs: 250,
    notStarted: `SeaweedFS did not start on port ${p} (data ${opts.dataDir}). Is the port (or ${p + 1}-${p + 3}) in use? Set TEST_S3_PORT.`,
    bucket: opts.bucket,
  });
  opts.log(`SeaweedFS S3 on ${endpoint} (bucket ${opts.bucket}, data in ${opts.dataDir})`);
  return store;
}
