/**
 * Typed environment for every process (web, workers, scripts). Parsed once, lazily, so that
 * `next build` does not need runtime services. A bad value fails fast naming the variable.
 * Every variable is documented in .env.example.
 */
import { z } from "zod";
import path from "node:path";
import { parseTrustedProxies } from "@/lib/web/client-ip";

const int = (def: number) => z.coerce.number().int().positive().default(def);
/** Blank counts as unset (docker compose passes `${VAR:-}` through as ""). */
const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.string().url().optional());

const ZEnv = z.object({
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
  BLENDER_VENV: z.string().optional(),
  RENDER_PROFILE: z.enum(["preview", "benchmark"]).default("preview"),
  EXEC_CONCURRENCY: int(2),
  EXEC_TIMEOUT_SEC: int(240),
  EXEC_EXPORT_TIMEOUT_SEC: z.coerce.number().int().nonnegative().default(180),
  EXEC_MEMORY_MIB: int(8192),
  EXEC_THREADS: int(1),
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
  RATINGS_RECONCILE_MS: int(5000),
  /** Deadline to connect to PostgreSQL and for each query: background processes (workers, scripts). */
  DB_TIMEOUT_MS: int(600_000),
  /** The same deadline inside the web server, where a request must not hang (then 503). */
  WEB_DB_TIMEOUT_MS: int(5000),
  /** Set by the web server's entry (scripts/web-server.ts): this process serves requests. */
  ARENA_WEB_TIER: z.enum(["0", "1"]).default("0"),
  DB_POOL_SIZE: int(10),
  /** Deadline of a Redis command on a web request's path (rate limits, enqueueing after a vote). */
  REDIS_REQUEST_TIMEOUT_MS: int(250),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
});

export type Env = z.infer<typeof ZEnv> & { dataDir: string };

let cached: Env | null = null;

export function getEnv(): Env {
  if (cached) return cached;
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}\nSee .env.example for every variable.`);
  }
  const e = parsed.data;
  cached = { ...e, dataDir: path.resolve(e.ARENA_ROOT, e.ARENA_DATA_DIR ?? ".data") };
  return cached;
}

/** For tests that change process.env between cases. */
export function resetEnvCache(): void {
  cached = null;
}
