/** Worker: Blender execution (generation.execute, category.prepare); concurrency EXEC_CONCURRENCY. Handlers: lib/jobs/handlers.ts. */
import { QUEUES } from "@/lib/jobs/constants";
import { runQueue } from "@/lib/jobs/runtime";

await runQueue(QUEUES.execution);
