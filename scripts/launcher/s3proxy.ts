/**
 * The S3-compatible server `npm test` starts for suites that use ASSET_STORE=s3: S3Proxy
 * (github.com/gaul/s3proxy, Apache-2.0) with its jclouds filesystem backend, a single Java process on
 * loopback with its own port and data dir. Its jar comes from Maven Central through `mvn` (seconds,
 * once per machine, cached in ~/.m2), which is why it is the default over building SeaweedFS from
 * source (scripts/launcher/seaweedfs.ts, TEST_S3_SERVER=seaweedfs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { ensureAptPackages } from "@/scripts/launcher/apt";
import { stopChild } from "@/scripts/launcher/stop-child";

export const S3PROXY_VERSION = "2.6.0";
const ARTIFACT = `org.gaul:s3proxy:${S3PROXY_VERSION}:jar:jar-with-dependencies`;

export interface RunningS3 {
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The environment that points the application at this store (ASSET_STORE itself excluded). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The S3Proxy jar, fetched from Maven Central on first use (Java and Maven installed with apt as for Redis). */
export function ensureS3proxy(log: (l: string) => void): string {
  ensureAptPackages([{ command: "java", pkg: "default-jre-headless" }], log);
  const jar = path.join(os.homedir(), ".m2", "repository", "org", "gaul", "s3proxy", S3PROXY_VERSION, `s3proxy-${S3PROXY_VERSION}-jar-with-dependencies.jar`);
  if (existsSync(jar)) return jar;
  ensureAptPackages([{ command: "mvn", pkg: "maven" }], log);
  log(`fetching S3Proxy ${S3PROXY_VERSION} from Maven Central (first run only)...`);
  const r = spawnSync("mvn", ["-q", "-B", "dependency:get", `-Dartifact=${ARTIFACT}`, "-Dtransitive=false"], { encoding: "utf8" });
  if (r.status !== 0 || !existsSync(jar)) {
    throw new Error(`mvn dependency:get ${ARTIFACT} did not produce ${jar}:\n${((r.stdout ?? "") + (r.stderr ?? "")).trim().slice(-1500)}`);
  }
  return jar;
}

/** Whether something already listens on this loopback port. */
export function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("timeout", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

/**
 * Refuses a busy port up front: a server left over on it would pass the readiness wait and the
 * tests would silently run against it (its data, its credentials, maybe another server).
 */
export async function assertPortsFree(ports: number[], what: string): Promise<void> {
  for (const p of ports) {
    if (await portInUse(p)) throw new Error(`${what} cannot start: port ${p} is already in use (a server left over from an earlier run?). Stop it or set TEST_S3_PORT.`);
  }
}

/** The throwaway credentials of a test store (both servers are configured with them). */
export const TEST_S3_KEYS = { accessKeyId: "arena-test-access", secretAccessKey: "arena-test-secret-key-0123456789abcdef" } as const;

async function answers(url: string): Promise<boolean> {
  try {
    // Any S3 answer (even 403 to an unsigned request) means the server is listening.
    const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
    return r.status < 500;
  } catch {
    return false;
  }
}

/**
 * What both test servers do once configured: start the process, wait until `readyUrl` answers
 * (or fail with `notStarted` and the process's last output), create the bucket, and describe the
 * store. The process is stopped again if any of it fails.
 */
export async function serveS3(o: {
  command: string;
  args: string[];
  endpoint: string;
  readyUrl: string;
  startMs: number;
  pollMs: number;
  notStarted: string;
  bucket: string;
}): Promise<RunningS3> {
  const child: ChildProcess = spawn(o.command, o.args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + o.startMs;
  while (!(await answers(o.readyUrl))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${o.notStarted}\n${output.trim().slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, o.pollMs));
  }
  const region = "us-east-1";
  // A test store's data is throwaway: 2 s to stop, then SIGKILL.
  const stop = () => stopChild(child, 2_000);
  try {
    await createBucket({ endpoint: o.endpoint, region, bucket: o.bucket, ...TEST_S3_KEYS });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    endpoint: o.endpoint,
    region,
    bucket: o.bucket,
    ...TEST_S3_KEYS,
    env: {
      ASSET_S3_ENDPOINT: o.endpoint,
      ASSET_S3_REGION: region,
      ASSET_S3_BUCKET: o.bucket,
      ASSET_S3_FORCE_PATH_STYLE: "true",
      ASSET_S3_ACCESS_KEY_ID: TEST_S3_KEYS.accessKeyId,
      ASSET_S3_SECRET_ACCESS_KEY: TEST_S3_KEYS.secretAccessKey,
    },
    stop,
  };
}

export async function startS3proxy(opts: { dataDir: string; port: number; bucket: string; log: (l: string) => void }): Promise<RunningS3> {
  const jar = ensureS3proxy(opts.log);
  await assertPortsFree([opts.port], "S3Proxy");
  const blobs = path.join(opts.dataDir, "blobs");
  mkdirSync(blobs, { recursive: true });
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const conf = path.join(opts.dataDir, "s3proxy.conf");
  writeFileSync(
    conf,
    [
      `s3proxy.endpoint=${endpoint}`,
      // Requests are signed like against AWS (SigV4 from the SDK), so signing bugs still fail here.
      "s3proxy.authorization=aws-v2-or-v4",
      `s3proxy.identity=${TEST_S3_KEYS.accessKeyId}`,
      `s3proxy.credential=${TEST_S3_KEYS.secretAccessKey}`,
      "jclouds.provider=filesystem-nio2",
      `jclouds.filesystem.basedir=${blobs}`,
      // The filesystem backend ignores its own credentials; jclouds still wants them set.
      "jclouds.identity=local",
      "jclouds.credential=local",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const store = await serveS3({
    command: "java",
    args: ["-jar", jar, "--properties", conf],
    endpoint,
    readyUrl: `${endpoint}/`,
    startMs: 60_000,
    pollMs: 200,
    notStarted: `S3Proxy did not start on port ${opts.port} (data ${opts.dataDir}). Is the port in use? Set TEST_S3_PORT.`,
    bucket: opts.bucket,
  });
  opts.log(`S3Proxy ${S3PROXY_VERSION} on ${endpoint} (bucket ${opts.bucket}, data in ${blobs})`);
  return store;
}

/** Creates a bucket (idempotent); a server may need a moment after it first answers. */
export async function createBucket(o: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const { S3Client, CreateBucketCommand, HeadBucketCommand } = await import("@aws-sdk/client-s3");
  const client = new S3Client({ endpoint: o.endpoint, region: o.region, forcePathStyle: true, credentials: { accessKeyId: o.accessKeyId, secretAccessKey: o.secretAccessKey } });
  const deadline = Date.now() + 30_000;
  try {
    for (;;) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: o.bucket })).catch((err: Error) => {
          if (err.name !== "BucketAlreadyOwnedByYou" && err.name !== "BucketAlreadyExists") throw err;
        });
        await client.send(new HeadBucketCommand({ Bucket: o.bucket }));
        return;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`could not create bucket ${o.bucket}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  } finally {
    client.destroy();
  }
}
