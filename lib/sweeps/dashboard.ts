/** The admin dashboard in one read: counts, live sweeps, queue health, recent audit entries. */
import "server-only";
import { db } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { listAudit } from "@/lib/moderation/audit-log";
import { queueHealth } from "@/lib/jobs/queue-health";
import { runningSweeps } from "@/lib/sweeps/live";
import { referenceProgress, executionBlenderVersion } from "@/lib/categories/references";

export async function adminDashboard() {
  await requireRole("admin");
  const [models, llmModels, sweeps, ready, failed, votes, running, queues, audit, references] = await Promise.all([
    db().contestant.count({ where: { status: "active" } }),
    db().contestant.count({ where: { kind: "llm" } }),
    db().sweep.count(),
    db().generation.count({ where: { status: "ready" } }),
    db().generation.count({ where: { status: "failed" } }),
    db().vote.count(),
    runningSweeps(),
    queueHealth(),
    listAudit({ limit: 10 }),
    executionBlenderVersion().then((blenderVersion) => referenceProgress({ blenderVersion })),
  ]);
  const c = references.counts;
  return {
    counts: { models, llmModels, sweeps, ready, failed, votes },
    references: { prepared: c.prepared, total: references.categories.length, busy: c.queued + c.rendering },
    running,
    queues,
    audit,
  };
}
