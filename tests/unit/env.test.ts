/** Typed environments fail fast, naming the variable, and apply documented defaults. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { getEnv, launcherEnv, resetEnvCache } from "@/lib/env";

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
  try {
    return fn();
  } finally {
    process.env = saved;
    resetEnvCache();
  }
}

const base = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/db", REDIS_URL: "redis://127.0.0.1:6379", AUTH_SECRET: "x".repeat(40) };

test("app env: defaults and data dir", () => {
  const env = withEnv({ ...base, EXEC_CONCURRENCY: undefined, ARENA_ROOT: "/srv/arena", ARENA_DATA_DIR: undefined, REFERENCE_PROFILE: undefined }, getEnv);
  assert.equal(env.EXEC_CONCURRENCY, 2);
  assert.equal(env.RENDER_PROFILE, "preview");
  // Reference views are the Image->3D input: the benchmark's profile unless asked otherwise.
  assert.equal(env.REFERENCE_PROFILE, "benchmark");
  assert.equal(env.dataDir, "/srv/arena/.data");
  assert.equal(env.EXEC_DEVICE, "cpu");
});

test("app env: EXEC_DEVICE takes cpu, cuda, optix and nothing else", () => {
  assert.equal(withEnv({ ...base, EXEC_DEVICE: "optix" }, getEnv).EXEC_DEVICE, "optix");
  // docker compose passes an unset ${EXEC_DEVICE:-} as "": the default, not an error.
  assert.equal(withEnv({ ...base, EXEC_DEVICE: "" }, getEnv).EXEC_DEVICE, "cpu");
  assert.throws(() => withEnv({ ...base, EXEC_DEVICE: "CUDA" }, getEnv), /EXEC_DEVICE/);
  assert.throws(() => withEnv({ ...base, EXEC_DEVICE: "metal" }, getEnv), /EXEC_DEVICE/);
});

test("app env: a bad value fails naming the variable", () => {
  assert.throws(() => withEnv({ ...base, EXEC_CONCURRENCY: "lots" }, getEnv), /EXEC_CONCURRENCY/);
  assert.throws(() => withEnv({ ...base, AUTH_SECRET: "short" }, getEnv), /AUTH_SECRET must be at least 32 characters/);
  assert.throws(() => withEnv({ ...base, REDIS_URL: undefined }, getEnv), /REDIS_URL/);
  assert.throws(() => withEnv({ ...base, RENDER_PROFILE: "fancy" }, getEnv), /RENDER_PROFILE/);
  assert.throws(() => withEnv({ ...base, REFERENCE_PROFILE: "draft" }, getEnv), /REFERENCE_PROFILE/);
  assert.throws(() => withEnv({ ...base, TRUSTED_PROXIES: "proxy.example.org" }, getEnv), /TRUSTED_PROXIES/);
  assert.throws(() => withEnv({ ...base, SMTP_URL: "not a url" }, getEnv), /SMTP_URL/);
});

test("app env: web tier defaults; blank URLs count as unset", () => {
  const env = withEnv({ ...base, TRUSTED_PROXIES: undefined, SMTP_URL: "", NEXTAUTH_URL: "" }, getEnv);
  assert.equal(env.TRUSTED_PROXIES, "");
  assert.equal(env.SMTP_URL, undefined);
  assert.equal(env.NEXTAUTH_URL, undefined);
  assert.equal(env.RATE_LIMIT_IP_NEW_VOTERS_PER_MIN, 20);
  assert.equal(withEnv({ ...base, TRUSTED_PROXIES: "10.0.0.0/8, loopback" }, getEnv).TRUSTED_PROXIES, "10.0.0.0/8, loopback");
});

test("app env: the ratings anchor is <slug>:<elo>", () => {
  assert.equal(withEnv({ ...base, RATINGS_ANCHOR: undefined }, getEnv).RATINGS_ANCHOR, undefined);
  assert.deepEqual(withEnv({ ...base, RATINGS_ANCHOR: "perturbed-reference:1200.5" }, getEnv).RATINGS_ANCHOR, { slug: "perturbed-reference", elo: 1200.5 });
  assert.throws(() => withEnv({ ...base, RATINGS_ANCHOR: "reference" }, getEnv), /RATINGS_ANCHOR: expected <model slug>:<elo>/);
});

test("app env: prompt set and benchmark checkout", () => {
  const env = withEnv({ ...base, PROMPT_SET: "", BENCHMARK_CHECKOUT: "/bench/3dcodebench/" }, getEnv);
  assert.equal(env.PROMPT_SET, undefined);
  assert.equal(env.BENCHMARK_CHECKOUT, "/bench/3dcodebench");
  assert.equal(withEnv({ ...base, PROMPT_SET: "3dcodebench+api", BENCHMARK_CHECKOUT: "/b" }, getEnv).PROMPT_SET, "3dcodebench+api");
  assert.throws(() => withEnv({ ...base, PROMPT_SET: "3dcodebench", BENCHMARK_CHECKOUT: undefined }, getEnv), /PROMPT_SET: 3dcodebench needs BENCHMARK_CHECKOUT/);
  assert.throws(() => withEnv({ ...base, PROMPT_SET: "mine" }, getEnv), /PROMPT_SET: expected arena-default/);
  assert.throws(() => withEnv({ ...base, BENCHMARK_CHECKOUT: "relative/bench" }, getEnv), /BENCHMARK_CHECKOUT: must be an absolute path/);
});

test("launcher env: ports, lists and errors", () => {
  const env = withEnv({ PORT: "4000", PG_PORT: undefined, ARENA_SWEEP_CATEGORIES: " Mug_seed0, ,Stool_seed0 " }, launcherEnv);
  assert.equal(env.PORT, 4000);
  assert.equal(env.PG_PORT, 54329);
  assert.deepEqual(env.ARENA_SWEEP_CATEGORIES, ["Mug_seed0", "Stool_seed0"]);
  assert.throws(() => withEnv({ PORT: "99999" }, launcherEnv), /PORT/);
});
