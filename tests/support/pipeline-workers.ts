/**
 * The pipeline's three queues worked in-process by the registry's own handlers, as the real workers
 * do (workers/*.ts), for integration tests that run sweeps end to end on real Postgres, Redis and
 * Blender. Modules are imported on call so that a test can check its env first.
 */
export interface PipelineWorkers {
  close(): Promise<void>;
}

/** `execution: false` leaves Blender to worker processes the test starts itself (tests/integration/two-workers.test.ts). */
export async function startPipelineWorkers(opts: { generationConcurrency?: number; execution?: boolean } = {}): Promise<PipelineWorkers> {
  const { runQueue } = await import("@/lib/jobs/runtime");
  const { QUEUES } = await import("@/lib/jobs/constants");
  const workers = [
    await runQueue(QUEUES.generation, { name: "t-generation", concurrency: opts.generationConcurrency ?? 4, keepConnections: true }),
    ...(opts.execution === false ? [] : [await runQueue(QUEUES.execution, { name: "t-execution", concurrency: 2, keepConnections: true })]),
    await runQueue(QUEUES.scoring, { name: "t-scoring", concurrency: 1, keepConnections: true }),
  ];
  return {
    async close() {
      for (const w of workers) await w.close();
    },
  };
}
