/** Worker: generation.score (metrics; CPU bound). */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { scoreGeneration } from "@/lib/pipeline/score";
import { withPipelineErrors } from "@/lib/pipeline/job-errors";
import { disconnectDb } from "@/lib/db";
import { closeQueues } from "@/lib/jobs/queue";

runWorker({
  name: "scoring",
  queue: QUEUES.scoring,
  concurrency: 1,
  handlers: { [JOBS.generationScore]: withPipelineErrors(scoreGeneration) },
  onClose: async () => {
    await closeQueues();
    await disconnectDb();
  },
});
