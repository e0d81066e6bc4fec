/** Worker: Blender execution (generation.execute, category.prepare). Concurrency = EXEC_CONCURRENCY. */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { executeAttempt } from "@/lib/pipeline/execute";
import { prepareCategory } from "@/lib/pipeline/prepare-category";
import { withPipelineErrors } from "@/lib/pipeline/job-errors";
import { createRunnerFromEnv } from "@/lib/pipeline/runner";
import { disconnectDb } from "@/lib/db";
import { closeQueues } from "@/lib/jobs/queue";
import { closeRunLocks } from "@/lib/pipeline/run-lock";
import { getEnv } from "@/lib/env";
import { logger } from "@/lib/log";
import { describeCgroups } from "@/blender-runner/client/cgroup";

const log = logger("execution");
const runner = createRunnerFromEnv();
let blenderVersion: string | null = null;
let blenderError: string | null = null;
try {
  blenderVersion = await runner.version();
  log.info(`Blender ${blenderVersion} via ${runner.kind}`);
  log.info(`per-job cgroups: ${describeCgroups()}`);
} catch (err) {
  blenderError = (err as Error).message;
  log.error(`Blender unavailable: ${blenderError}`);
}

runWorker({
  name: "execution",
  queue: QUEUES.execution,
  concurrency: getEnv().EXEC_CONCURRENCY,
  handlers: {
    [JOBS.generationExecute]: withPipelineErrors((p) => executeAttempt(runner, p)),
    [JOBS.categoryPrepare]: withPipelineErrors((p) => prepareCategory(runner, p)),
  },
  info: () => ({ blenderVersion, blenderError, runner: runner.kind, cgroups: describeCgroups() }),
  onClose: async () => {
    await closeQueues();
    await closeRunLocks();
    await disconnectDb();
  },
});
