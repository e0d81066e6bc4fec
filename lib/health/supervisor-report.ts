/**
 * The launcher's process report in Redis, for /api/health: which processes run, how often they
 * restarted, and whether one is in a crash loop. Refreshed every few seconds with a short TTL, so
 * a stale report disappears with the launcher (docker-compose deployments have none).
 */
import { redis } from "@/lib/redis";
import type { ProcessReport } from "@/scripts/launcher/supervisor";

export const SUPERVISOR_REPORT_KEY = "arena:supervisor";
const EVERY_MS = 5_000;
const TTL_SEC = 20;

export interface SupervisorReport {
  at: string;
  processes: Record<string, ProcessReport>;
}

/** Starts publishing on the process's shared connection; the returned function stops and removes the report. */
export function publishSupervisorReport(report: () => Record<string, ProcessReport>): () => Promise<void> {
  const publish = () => {
    const value: SupervisorReport = { at: new Date().toISOString(), processes: report() };
    void redis()
      .set(SUPERVISOR_REPORT_KEY, JSON.stringify(value), "EX", TTL_SEC)
      .catch(() => undefined);
  };
  publish();
  const timer = setInterval(publish, EVERY_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await redis()
      .del(SUPERVISOR_REPORT_KEY)
      .catch(() => undefined);
  };
}
