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

async function ready(endpoint: string): Promise<boolean> {
  try {
    // Any S3 answer (403 to an unsigned request) means the server is listening.
    const r = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
    return r.status < 500;
  } catch {
    return false;
  }
}

export async function startS3proxy(opts: { dataDir: string; port: number; bucket: string; log: (l: string) => void }): Promise<RunningS3> {
  const jar = ensureS3proxy(opts.log);
  await assertPortsFree([opts.port], "S3Proxy");
  const blobs = path.join(opts.dataDir, "blobs");
  mkdirSync(blobs, { recursive: true });
  const accessKeyId = "arena-test-access";
  const secretAccessKey = "arena-test-secret-key-0123456789abcdef";
  const endpoint = `http://127.0.0.1:${opts.port}`;
  const conf = path.join(opts.dataDir, "s3proxy.conf");
  writeFileSync(
    conf,
    [
      `s3proxy.endpoint=${endpoint}`,
      // Requests are signed like against AWS (SigV4 from the SDK), so signing bugs still fail here.
      "s3proxy.authorization=aws-v2-or-v4",
      `s3proxy.identity=${accessKeyId}`,
      `s3proxy.credential=${secretAccessKey}`,
      "jclouds.provider=filesystem-nio2",
      `jclouds.filesystem.basedir=${blobs}`,
      // The filesystem backend ignores its own credentials; jclouds still wants them set.
      "jclouds.identity=local",
      "jclouds.credential=local",
      "",
    ].join("\n"),
    { mode: 0o600 },
  );
  const child: ChildProcess = spawn("java", ["-jar", jar, "--properties", conf], { stdio: ["ignore", "pipe", "pipe"], detached: true });
  let output = "";
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const deadline = Date.now() + 60_000;
  while (!(await ready(endpoint))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`S3Proxy did not start on port ${opts.port} (data ${opts.dataDir}). Is the port in use? Set TEST_S3_PORT.\n${output.trim().slice(-1500)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const region = "us-east-1";
  const stop = () => stopChild(child);
  try {
    await createBucket({ endpoint, region, bucket: opts.bucket, accessKeyId, secretAccessKey });
  } catch (err) {
    await stop();
    throw err;
  }
  opts.log(`S3Proxy ${S3PROXY_VERSION} on ${endpoint} (bucket ${opts.bucket}, data in ${blobs})`);
  return {
    endpoint,
    region,
    bucket: opts.bucket,
    accessKeyId,
    secretAccessKey,
    env: {
      ASSET_S3_ENDPOINT: endpoint,
      ASSET_S3_REGION: region,
      ASSET_S3_BUCKET: opts.bucket,
      ASSET_S3_FORCE_PATH_STYLE: "true",
      ASSET_S3_ACCESS_KEY_ID: accessKeyId,
      ASSET_S3_SECRET_ACCESS_KEY: secretAccessKey,
    },
    stop,
  };
}

/** SIGTERM, then SIGKILL after `graceMs` (a test store's data is throwaway; SeaweedFS's graceful shutdown waits ~10 s for idle connections). */
export function stopChild(child: ChildProcess, graceMs = 2_000): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
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
