/**
 * Redis keys BullMQ keeps a queue's jobs in, for what reads Redis without BullMQ: KEDA's Redis
 * scaler watches the execution queue's wait and active lists (docs/deploy/kubernetes).
 */
import { QueueKeys } from "bullmq";
import type { QueueName } from "./constants";

export function queueListKey(queue: QueueName, list: "wait" | "active"): string {
  // No prefix is passed to Queue or Worker (lib/jobs/queue.ts, runtime.ts): BullMQ's default.
  return new QueueKeys().toKey(queue, list);
}
