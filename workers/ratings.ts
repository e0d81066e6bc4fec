/**
 * Worker: ratings.recompute and votes.audit (both debounced after votes; one job at a time), plus
 * recomputes at start and from the database's state. Handlers: lib/jobs/handlers.ts.
 */
import { QUEUES } from "@/lib/jobs/constants";
import { runQueue } from "@/lib/jobs/runtime";

await runQueue(QUEUES.ratings);
