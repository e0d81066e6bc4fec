/**
 * /api/health's probes as Kubernetes uses them (docs/deploy/kubernetes): liveness touches nothing,
 * readiness only what the web process needs to serve, and the full report still includes the
 * workers. Real PostgreSQL and Redis. The route handler runs in a child process with the
 * react-server condition, as the web server runs it (lib/health is server-only).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");
const ROOT = path.resolve(import.meta.dirname, "../..");

type Answer = { status: number; body: { status?: string; checks?: Record<string, { ok: boolean; detail: string }>; error?: { code: string } } };

const CHILD = `
import { NextRequest } from "next/server";
const { GET } = await import("@/app/api/health/route");
const { HEARTBEAT_PREFIX } = await import("@/lib/jobs/constants");
const { redis, closeRedis } = await import("@/lib/redis");
const { disconnectDb } = await import("@/lib/db");
const out = {};
for (const q of ["?probe=live", "?probe=ready", "", "?probe=startup"]) {
  const res = await GET(new NextRequest("http://localhost/api/health" + q), { params: Promise.resolve({}) });
  out[q] = { status: res.status, body: await res.json() };
}
out.beats = await Promise.all(["generation", "execution", "scoring", "ratings"].map((n) => redis().exists(HEARTBEAT_PREFIX + n)));
await closeRedis();
await disconnectDb();
console.log(JSON.stringify(out));
process.exit(0);
`;

const answers = JSON.parse(
  execFileSync(process.execPath, ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", CHILD], { cwd: ROOT, encoding: "utf8", env: process.env }).trim().split("\n").pop()!,
) as Record<string, Answer> & { beats: number[] };

test("liveness and readiness leave out the workers and Blender; the full report has them", (t) => {
  const live = answers["?probe=live"]!;
  assert.equal(live.status, 200);
  assert.deepEqual(Object.keys(live.body.checks ?? {}), ["process"]);

  const ready = answers["?probe=ready"]!;
  assert.equal(ready.status, 200, JSON.stringify(ready.body));
  assert.deepEqual(Object.keys(ready.body.checks ?? {}).sort(), ["database", "redis"]);

  const full = answers[""]!;
  assert.deepEqual(Object.keys(full.body.checks ?? {}).filter((k) => k !== "processes").sort(), ["blender", "database", "redis", "workers"]);
  // The suites share one Redis and another may run workers right now: the heartbeats are read,
  // not deleted, and a missing worker must degrade the full report only.
  if (answers.beats.includes(0)) {
    assert.equal(full.status, 503);
    assert.equal(full.body.status, "degraded");
    assert.match(full.body.checks?.workers?.detail ?? "", /^no heartbeat from: /);
  } else t.diagnostic("every worker's heartbeat is present (another suite runs workers): the full report is not degraded by them");
});

test("an unknown probe is refused, not treated as the full report", () => {
  const bad = answers["?probe=startup"]!;
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error?.code, "unprocessable");
});
