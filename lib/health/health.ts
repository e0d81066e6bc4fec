/**
 * Health: database, redis, Blender (as reported by the execution worker) and worker heartbeats.
 */
import "server-only";
import { db } from "@/lib/db";
import { redis } from "@/lib/redis";
import { HEARTBEAT_PREFIX } from "@/lib/jobs/constants";
import { SUPERVISOR_REPORT_KEY, type SupervisorReport } from "@/lib/health/supervisor-report";

export const EXPECTED_WORKERS = ["generation", "execution", "scoring", "ratings"] as const;

export interface Check {
  ok: boolean;
  detail: string;
}

async function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function processCheck(report: SupervisorReport): Check {
  const entries = Object.entries(report.processes);
  const looping = entries.filter(([, p]) => p.crashLoop);
  if (looping.length) {
    return { ok: false, detail: looping.map(([name, p]) => `${name} in a crash loop (${p.recentCrashes} crashes, last ${p.lastExit})`).join("; ") };
  }
  const restarts = entries.reduce((n, [, p]) => n + p.restarts, 0);
  return { ok: true, detail: `${entries.length} processes supervised${restarts ? `, ${restarts} restart${restarts === 1 ? "" : "s"} so far` : ""}` };
}

/** live: the process answers; ready: it can serve (database, Redis); full: the whole arena. */
export type HealthProbe = "live" | "ready" | "full";

export async function healthReport(probe: HealthProbe = "full"): Promise<{ status: "ok" | "degraded"; checks: Record<string, Check> }> {
  const checks: Record<string, Check> = {};
  if (probe === "live") return { status: "ok", checks: { process: { ok: true, detail: "serving" } } };
  try {
    await withTimeout(db().$queryRaw`SELECT 1`, 2000, "PostgreSQL");
    checks.database = { ok: true, detail: "connected" };
  } catch (err) {
    checks.database = { ok: false, detail: (err as Error).message.split("\n")[0] ?? "unreachable" };
  }
  const conn = redis();
  try {
    await withTimeout(conn.ping(), 2000, "Redis");
    checks.redis = { ok: true, detail: "connected" };
    if (probe === "ready") return summary(checks);
    const beats: Record<string, { at: number; blenderVersion?: string | null; blenderError?: string | null; cgroups?: string | null }> = {};
    for (const name of EXPECTED_WORKERS) {
      const raw = await conn.get(`${HEARTBEAT_PREFIX}${name}`);
      if (raw) beats[name] = JSON.parse(raw);
    }
    const missing = EXPECTED_WORKERS.filter((w) => !beats[w]);
    checks.workers = missing.length
      ? { ok: false, detail: `no heartbeat from: ${missing.join(", ")}` }
      : { ok: true, detail: `${EXPECTED_WORKERS.length} workers alive` };
    const exec = beats.execution;
    checks.blender = exec?.blenderVersion
      ? { ok: true, detail: `Blender ${exec.blenderVersion}${exec.cgroups ? `; per-job cgroups: ${exec.cgroups}` : ""}` }
      : { ok: false, detail: exec?.blenderError ?? "execution worker not running" };
    // Only under `npm run up`: the launcher's supervisor reports restarts and crash loops.
    const supervised = await conn.get(SUPERVISOR_REPORT_KEY);
    if (supervised) checks.processes = processCheck(JSON.parse(supervised) as SupervisorReport);
  } catch (err) {
    checks.redis = { ok: false, detail: (err as Error).message };
    if (probe === "full") {
      checks.workers = { ok: false, detail: "unknown (Redis unreachable)" };
      checks.blender = { ok: false, detail: "unknown (Redis unreachable)" };
    }
  }
  return summary(checks);
}

function summary(checks: Record<string, Check>): { status: "ok" | "degraded"; checks: Record<string, Check> } {
  return { status: Object.values(checks).every((c) => c.ok) ? "ok" : "degraded", checks };
}
