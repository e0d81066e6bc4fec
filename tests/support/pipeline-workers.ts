/**
 * The pipeline's three queues worked in-process, as the real workers do (workers/*.ts), for
 * integration tests that run sweeps end to end on real Postgres, Redis and Blender. Modules are
 * imported on call so that a test can check its env first.
 */
export interface PipelineWorkers {
  close(): Promise<void>;
}

export async function startPipelineWorkers(opts: { generationConcurrency?: number } = {}): Promise<PipelineWorkers> {
  const { runWorker } = await import("@/lib/jobs/runtime");
  const { JOBS, QUEUES } = await import("@/lib/jobs/constants");
  const { generateCode } = await import("@/lib/pipeline/generate");
  const { executeAttempt } = await import("@/lib/pipeline/execute");
  const { scoreGeneration } = await import("@/lib/pipeline/score");
  const { prepareCategory } = await import("@/lib/pipeline/prepare-category");
  const { withPipelineErrors } = await import("@/lib/pipeline/job-errors");
  const { createRunnerFromEnv } = await import("@/lib/pipeline/runner");
  const runner = createRunnerFromEnv();
  const workers = [
    runWorker({
      name: "t-generation",
      queue: QUEUES.generation,
      concurrency: opts.generationConcurrency ?? 4,
      handlers: { [JOBS.generationGenerate]: withPipelineErrors(generateCode) },
    }),
    runWorker({
      name: "t-execution",
      queue: QUEUES.execution,
      concurrency: 2,
      handlers: {
        [JOBS.generationExecute]: withPipelineErrors((p) => executeAttempt(runner, p)),
        [JOBS.categoryPrepare]: withPipelineErrors((p) => prepareCategory(runner, p)),
      },
    }),
    runWorker({ name: "t-scoring", queue: QUEUES.scoring, concurrency: 1, handlers: { [JOBS.generationScore]: withPipelineErrors(scoreGeneration) } }),
  ];
  return {
    async close() {
      for (const w of workers) await w.close();
    },
  };
}
