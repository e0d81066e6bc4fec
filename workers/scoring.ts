/** Worker: generation.score (metrics; CPU bound). Handlers: lib/jobs/handlers.ts. */
import { QUEUES } from "@/lib/jobs/constants";
import { runQueue } from "@/lib/jobs/runtime";

await runQueue(QUEUES.scoring);
