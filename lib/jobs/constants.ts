/** Queues are split by the resource their jobs consume, so each worker can size its concurrency. */
export const QUEUES = {
  generation: "generation", // model calls: I/O bound
  execution: "execution", // Blender: CPU and memory bound
  scoring: "scoring", // metrics: CPU bound
  ratings: "ratings", // Bradley-Terry fits: one at a time
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const JOBS = {
  categoryPrepare: "category.prepare",
  generationGenerate: "generation.generate",
  generationExecute: "generation.execute",
  generationScore: "generation.score",
  metricScore: "metric.score",
  ratingsRecompute: "ratings.recompute",
  votesAudit: "votes.audit",
  judgeVerdict: "judge.verdict",
} as const;
export type JobName = (typeof JOBS)[keyof typeof JOBS];

/** Each worker process publishes `arena:heartbeat:<name>` every few seconds (for /api/health). */
export const HEARTBEAT_PREFIX = "arena:heartbeat:";
