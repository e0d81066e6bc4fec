/**
 * The one typed environment of every process, in sections: the application (web and workers,
 * with the providers' section inside), the providers alone, and the launcher. Each section is
 * parsed once, lazily (so `next build` needs no runtime services), and a bad value fails fast
 * naming the variable. Nothing else reads process.env, except for the documented exceptions:
 * provider keys, read when used so none is ever cached (envApiKey), and the launcher's own
 * plumbing in scripts/. Every variable is documented in .env.example.
 *
 * Why sections: the launcher runs before the database exists (it starts it), and the provider
 * layer is used by unit tests and scripts that have no database or Redis at all.
 */
import { z } from "zod";
import path from "node:path";
import { parseTrustedProxies } from "@/lib/web/client-ip";
import { EXEC_DEVICES } from "@/blender-runner/client/types";

const int = (def: number) => z.coerce.number().int().positive().default(def);
/** Blank counts as unset (docker compose passes `${VAR:-}` through as ""). */
const unsetIfEmpty = (v: unknown) => (v === "" ? undefined : v);
const optionalUrl = z.preprocess(unsetIfEmpty, z.string().url().optional());
const url = (def: string) => z.preprocess(unsetIfEmpty, z.string().url().default(def));
const limit = (def: number) => z.preprocess(unsetIfEmpty, z.coerce.number().int().min(0).default(def));
const port = (def: number) => z.coerce.number().int().min(1).max(65535).default(def);
const list = z
  .string()
  .default("")
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));
const renderProfile = z.enum(["preview", "benchmark"]).default("preview");

/** Model providers: base URLs and account limits (keys are read when used, see lib/providers/config.ts). */
const ZProviders = z.object({
  OPENAI_BASE_URL: url("https://api.openai.com/v1"),
  ANTHROPIC_BASE_URL: url("https://api.anthropic.com"),
  GEMINI_BASE_URL: url("https://generativelanguage.googleapis.com"),
  // Defaults sit below the lowest paid tiers of the three vendors; 0 = unlimited. A local
  // vLLM/Ollama behind openai-compatible should not be throttled, so it defaults to unlimited.
  PROVIDER_RPM_OPENAI: limit(60),
  PROVIDER_TPM_OPENAI: limit(200_000),
  PROVIDER_RPM_ANTHROPIC: limit(50),
  PROVIDER_TPM_ANTHROPIC: limit(200_000),
  PROVIDER_RPM_GEMINI: limit(60),
  PROVIDER_TPM_GEMINI: limit(200_000),
  PROVIDER_RPM_OPENAI_COMPATIBLE: limit(0),
  PROVIDER_TPM_OPENAI_COMPATIBLE: limit(0),
  /** redis: one budget shared by every worker process; memory: per process (tests, scripts). */
  PROVIDER_RATE_LIMITER: z.preprocess(unsetIfEmpty, z.enum(["redis", "memory"]).default("redis")),
});

/** Read by code that runs without the application's services too (the logger, Python checks). */
const ZBasics = z.object({
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  BLENDER_VENV: z.preprocess(unsetIfEmpty, z.string().optional()),
});

/**
 * Image metrics (docs/metrics.md): folders of ONNX exports with their processor config (and, for
 * SigLIP-2, the tokenizer). Unset = that metric is unavailable on this host, never estimated. Read
 * without services too (npm run bench:metrics).
 */
const ZMetrics = z.object({
  METRIC_SIGLIP2_DIR: z.preprocess(unsetIfEmpty, z.string().refine((p) => path.isAbsolute(p), "must be an absolute path").optional()),
  METRIC_DINOV3_DIR: z.preprocess(unsetIfEmpty, z.string().refine((p) => path.isAbsolute(p), "must be an absolute path").optional()),
  /** ONNX Runtime device: auto = CUDA when its execution provider is installed, else CPU. */
  METRIC_DEVICE: z.preprocess(unsetIfEmpty, z.enum(["auto", "cpu", "cuda"]).default("auto")),
  ARENA_ROOT: z.string().default(process.cwd()),
});

/** The launcher (`npm run up`): what it reads before the services exist. */
const ZLauncher = z.object({
  PORT: port(3000),
  PG_PORT: port(54329),
  REDIS_PORT: port(6390),
  ARENA_DATA_DIR: z.string().default(".data"),
  RENDER_PROFILE: renderProfile,
  ARENA_SWEEP_CATEGORIES: list,
});

/** Asset storage: read by web, workers and `npm run assets:migrate` (which needs no database). */
const ZStorage = z.object({
  ARENA_ROOT: z.string().default(process.cwd()),
  ARENA_DATA_DIR: z.string().optional(),
  /** Where assets (GLBs, renders) live: local disk under ARENA_DATA_DIR/assets, or an S3-compatible store (docs/storage.md). */
  ASSET_STORE: z.preprocess(unsetIfEmpty, z.enum(["local", "s3"]).default("local")),
  ASSET_S3_BUCKET: z.preprocess(unsetIfEmpty, z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "expected an S3 bucket name").optional()),
  /** Unset: AWS itself. Set for SeaweedFS, MinIO, R2 and other S3-compatible servers. */
  ASSET_S3_ENDPOINT: optionalUrl,
  ASSET_S3_REGION: z.preprocess(unsetIfEmpty, z.string().default("us-east-1")),
  /** Path-style URLs (endpoint/bucket/key): what most self-hosted S3-compatible servers need. */
  ASSET_S3_FORCE_PATH_STYLE: z.preprocess(unsetIfEmpty, z.enum(["0", "1", "true", "false"]).default("false")).transform((v) => v === "1" || v === "true"),
  /** Unset: the SDK's default credential chain (instance role, AWS_* variables, profile). */
  ASSET_S3_ACCESS_KEY_ID: z.preprocess(unsetIfEmpty, z.string().optional()),
  ASSET_S3_SECRET_ACCESS_KEY: z.preprocess(unsetIfEmpty, z.string().optional()),
  ASSET_S3_TIMEOUT_MS: int(30_000),
});

function checkStorage(e: z.infer<typeof ZStorage>, ctx: z.RefinementCtx): void {
  if (e.ASSET_STORE === "s3" && !e.ASSET_S3_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["ASSET_S3_BUCKET"], message: "ASSET_STORE=s3 needs ASSET_S3_BUCKET" });
  }
  if (!!e.ASSET_S3_ACCESS_KEY_ID !== !!e.ASSET_S3_SECRET_ACCESS_KEY) {
    ctx.addIssue({ code: "custom", path: ["ASSET_S3_SECRET_ACCESS_KEY"], message: "set both ASSET_S3_ACCESS_KEY_ID and ASSET_S3_SECRET_ACCESS_KEY, or neither" });
  }
}

/** Web and workers. */
const ZApp = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  ARENA_ROOT: z.string().default(process.cwd()),
  ARENA_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().url(),
  REDIS_URL: z.string().url(),
  AUTH_SECRET: z.string().min(32, "AUTH_SECRET must be at least 32 characters"),
  ADMIN_EMAILS: z.string().optional(),
  MAINTAINER_EMAILS: z.string().optional(),
  GITHUB_ID: z.string().optional(),
  GITHUB_SECRET: z.string().optional(),
  GOOGLE_ID: z.string().optional(),
  GOOGLE_SECRET: z.string().optional(),
  /** The site's public URL: verification links, next-auth callbacks, the same-origin check. */
  NEXTAUTH_URL: optionalUrl,
  /** Outgoing mail for verification links (nodemailer URL, e.g. smtps://user:pass@host:465). */
  SMTP_URL: optionalUrl,
  MAIL_FROM: z.string().default("3DCodeArena <no-reply@localhost>"),
  /** Reverse proxies in front of the web server: CIDRs/addresses or a hop count (lib/web/client-ip.ts). */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .superRefine((v, ctx) => {
      try {
        parseTrustedProxies(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
  PORT: int(3000),
  BLENDER: z.string().optional(),
  RENDER_PROFILE: renderProfile,
  /** Profile of the four reference views (the Image->3D input): the benchmark's own unless a test or demo asks for less. */
  REFERENCE_PROFILE: z.enum(["preview", "benchmark"]).default("benchmark"),
  /** Display views for thumbnails and galleries (lib/pipeline/profiles.ts): `fast` for tests, `off` for none. */
  DISPLAY_PROFILE: z.enum(["display", "fast", "off"]).default("display"),
  EXEC_CONCURRENCY: int(2),
  EXEC_TIMEOUT_SEC: int(240),
  EXEC_EXPORT_TIMEOUT_SEC: z.coerce.number().int().nonnegative().default(180),
  EXEC_MEMORY_MIB: int(8192),
  EXEC_THREADS: int(1),
  /**
   * Cycles device of execution and reference views: cpu, or a GPU (cuda, optix) on render nodes.
   * A GPU Blender cannot see is a CPU render, recorded with the run (docs/deploy.md "GPU nodes").
   */
  EXEC_DEVICE: z.preprocess(unsetIfEmpty, z.enum(EXEC_DEVICES).default("cpu")),
  BATTLE_TTL_SEC: int(1800),
  RATE_LIMIT_VOTES_PER_MIN: int(20),
  RATE_LIMIT_IP_VOTES_PER_MIN: int(120),
  RATE_LIMIT_IP_NEW_VOTERS_PER_MIN: int(20),
  SIGNIN_MAX_FAILURES_PER_ACCOUNT: int(10),
  SIGNIN_MAX_FAILURES_PER_IP: int(30),
  MIN_VIEW_MS: int(2000),
  PAIRING_STRATEGY: z.enum(["adaptive", "uniform"]).default("adaptive"),
  FRAUD_MIN_VOTES: int(20),
  FRAUD_IP_BURST_MAX: int(30),
  FRAUD_AUDIT_DEBOUNCE_MS: int(10000),
  RATINGS_BOOTSTRAP_ROUNDS: int(1000),
  /** "<slug>:<elo>": put this model at this Elo on its board instead of centring the board at 1000. */
  RATINGS_ANCHOR: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*:-?\d+(\.\d+)?$/, "expected <model slug>:<elo>, e.g. reference:1000")
    .transform((v) => {
      const at = v.lastIndexOf(":");
      return { slug: v.slice(0, at), elo: Number(v.slice(at + 1)) };
    })
    .optional(),
  RATINGS_DEBOUNCE_MS: int(1500),
  /** At most one vote-triggered ratings recompute starts per this many ms (lib/ratings/schedule.ts). */
  RATINGS_MIN_INTERVAL_MS: limit(5000),
  RATINGS_RECONCILE_MS: int(5000),
  /** Deadline to connect to PostgreSQL and for each query: background processes (workers, scripts). */
  DB_TIMEOUT_MS: int(600_000),
  /** The same deadline inside the web server, where a request must not hang (then 503). */
  WEB_DB_TIMEOUT_MS: int(5000),
  /** Set by the web server's entry (scripts/web-server.ts): this process serves requests. */
  ARENA_WEB_TIER: z.enum(["0", "1"]).default("0"),
  DB_POOL_SIZE: int(10),
  /**
   * Web processes sharing the port (scripts/web-server.ts, node:cluster); unset: one per CPU
   * (os.availableParallelism). 1 runs the server in a single process, without a cluster.
   */
  WEB_PROCESSES: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).max(256).optional()),
  /**
   * Young-generation semi-space of each forked web process, in MiB (V8's --max-semi-space-size):
   * a request allocates a lot that dies young, and V8's default (16 MiB on 64-bit) made the web
   * processes scavenge often; 32 served ~15% more votes per CPU second here (README, issue 12).
   * Costs up to ~3x this in memory per process. With WEB_PROCESSES=1 nothing is forked: pass
   * --max-semi-space-size in NODE_OPTIONS instead.
   */
  WEB_SEMI_SPACE_MB: z.coerce.number().int().min(1).max(1024).default(32),
  /** Set by the web server's entry for each of its processes: how many serve the port together. */
  ARENA_WEB_PROCESS_COUNT: int(1),
  /**
   * How often a web process checks whether what it keeps between ratings snapshots (pairing state,
   * battle pool, rendered leaderboards) is still current: a new snapshot is served within this.
   */
  WEB_CACHE_CHECK_MS: int(250),
  /** Deadline of a Redis command on a web request's path (rate limits, enqueueing after a vote). */
  REDIS_REQUEST_TIMEOUT_MS: int(250),
  /**
   * Sandbox uids of this worker's Blender jobs: EXEC_SANDBOX_UID_COUNT uids from EXEC_SANDBOX_UID_BASE
   * (two per concurrent job). Workers on one machine may share a range (lock files keep uids
   * unique) or take disjoint ones; containers on one host need disjoint ones (docs/deploy.md).
   */
  EXEC_SANDBOX_UID_BASE: z.coerce.number().int().min(1000).default(200_000),
  EXEC_SANDBOX_UID_COUNT: z.coerce.number().int().min(2).default(1000),
  /**
   * External-command metric plugins (docs/metrics.md, "Command plugins"): a JSON array of command
   * definitions, or the absolute path of a JSON file holding one. Unset = no command metrics.
   */
  METRIC_COMMANDS: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((v) => v.trimStart().startsWith("[") || path.isAbsolute(v), "expected a JSON array or the absolute path of a JSON file")
      .optional(),
  ),
  /**
   * How command metrics run: "bwrap" (bubblewrap: the host read-only, a private /tmp, only the
   * command's output folder writable, no network unless the command asks) or "none" (a plain child
   * process with a clean environment; for hosts without user namespaces).
   */
  METRIC_COMMAND_SANDBOX: z.preprocess(unsetIfEmpty, z.enum(["bwrap", "none"]).default("bwrap")),
  /** A 3DCodeBench checkout whose prompt files sweeps may use (docs/sweeps/README.md, "Prompt sets"). */
  BENCHMARK_CHECKOUT: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((p) => path.isAbsolute(p), "must be an absolute path")
      .transform((p) => path.normalize(p).replace(/(.)\/+$/, "$1"))
      .optional(),
  ),
  /**
   * The prompt set of sweeps that do not pick one: arena-default, 3dcodebench, 3dcodebench+api
   * (both with BENCHMARK_CHECKOUT) or a full id (3dcodebench[+api]:<absolute checkout path>).
   */
  PROMPT_SET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .regex(/^(arena-default|3dcodebench(\+api)?(:\/.*)?)$/, "expected arena-default, 3dcodebench, 3dcodebench+api or 3dcodebench[+api]:<absolute checkout path>")
      .optional(),
  ),
});

const ZEnv = ZApp.extend(ZProviders.shape)
  .extend(ZStorage.shape)
  .extend(ZBasics.shape)
  .extend(ZMetrics.shape)
  .superRefine((e, ctx) => {
    if ((e.PROMPT_SET === "3dcodebench" || e.PROMPT_SET === "3dcodebench+api") && !e.BENCHMARK_CHECKOUT) {
      ctx.addIssue({ code: "custom", path: ["PROMPT_SET"], message: `${e.PROMPT_SET} needs BENCHMARK_CHECKOUT (the path of a 3DCodeBench checkout)` });
    }
    checkStorage(e, ctx);
  });

export type Env = z.infer<typeof ZEnv> & { dataDir: string; assetDir: string };
export type ProviderEnv = z.infer<typeof ZProviders>;
export type LauncherEnv = z.infer<typeof ZLauncher>;
export type BasicsEnv = z.infer<typeof ZBasics>;
export type StorageEnv = z.infer<typeof ZStorage> & { dataDir: string; assetDir: string };
export type MetricsEnv = z.infer<typeof ZMetrics>;

function parse<T extends z.ZodType>(schema: T, what: string): z.infer<T> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid ${what}:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  return parsed.data;
}

let cached: Env | null = null;
let cachedProviders: ProviderEnv | null = null;
let cachedBasics: BasicsEnv | null = null;
let cachedMetrics: MetricsEnv | null = null;

/** The application's environment (web, workers, scripts with services). */
export function getEnv(): Env {
  if (cached) return cached;
  const e = parse(ZEnv, "environment");
  const dataDir = path.resolve(e.ARENA_ROOT, e.ARENA_DATA_DIR ?? ".data");
  cached = { ...e, dataDir, assetDir: path.join(dataDir, "assets") };
  return cached;
}

/** The providers' section alone, for code that has no database or Redis (unit tests, scripts). */
export function providerEnv(): ProviderEnv {
  cachedProviders ??= parse(ZProviders, "provider environment");
  return cachedProviders;
}

/** Logging and tool paths, for code that may run with no other variable set. */
export function basicsEnv(): BasicsEnv {
  cachedBasics ??= parse(ZBasics, "environment");
  return cachedBasics;
}

let cachedStorage: StorageEnv | null = null;

/** The asset store's section alone, for tools that need no database or Redis (assets:migrate). */
export function storageEnv(): StorageEnv {
  if (cachedStorage) return cachedStorage;
  const e = parse(ZStorage.superRefine(checkStorage), "storage environment");
  const dataDir = path.resolve(e.ARENA_ROOT, e.ARENA_DATA_DIR ?? ".data");
  cachedStorage = { ...e, dataDir, assetDir: path.join(dataDir, "assets") };
  return cachedStorage;
}

/** The metric model folders and device, for the web, the workers and the bench alike. */
export function metricsEnv(): MetricsEnv {
  cachedMetrics ??= parse(ZMetrics, "metrics environment");
  return cachedMetrics;
}

/** The launcher's section: read before the services (and so DATABASE_URL) exist. Not cached. */
export function launcherEnv(): LauncherEnv {
  return parse(ZLauncher, "environment");
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = null;
  cachedProviders = null;
  cachedBasics = null;
  cachedStorage = null;
  cachedMetrics = null;
}
