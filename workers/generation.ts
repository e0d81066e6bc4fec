/** Worker: generation.generate (model calls; I/O bound). */
import { runWorker } from "@/lib/jobs/runtime";
import { JOBS, QUEUES } from "@/lib/jobs/constants";
import { generateCode } from "@/lib/pipeline/generate";
import { withPipelineErrors } from "@/lib/pipeline/job-errors";
import { disconnectDb } from "@/lib/db";
import { closeQueues } from "@/lib/jobs/queue";

runWorker({
  name: "generation",
  queue: QUEUES.generation,
  concurrency: 8,
  handlers: { [JOBS.generationGenerate]: withPipelineErrors(generateCode) },
  onClose: async () => {
    await closeQueues();
    await disconnectDb();
  },
});
