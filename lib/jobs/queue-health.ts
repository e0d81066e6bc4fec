/** Queue health for the admin console: job counts per BullMQ queue. */
import "server-only";
import { QUEUES, type QueueName } from "@/lib/jobs/constants";
import { getQueue } from "@/lib/jobs/queue";
import { requireRole } from "@/lib/auth/session";

export interface QueueHealth {
  queue: QueueName;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export async function queueHealth(): Promise<QueueHealth[]> {
  await requireRole("admin");
  return Promise.all(
    Object.values(QUEUES).map(async (name) => {
      const c = await getQueue(name).getJobCounts("waiting", "active", "delayed", "failed", "completed", "prioritized", "waiting-children");
      return {
        queue: name,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0) + (c["waiting-children"] ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
        completed: c.completed ?? 0,
      };
    }),
  );
}
