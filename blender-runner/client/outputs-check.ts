/**
 * Runs outputs-worker.ts in a worker thread with a hard timeout: on timeout the thread is
 * terminated (synchronous WASM included) and the run fails with ERR_EXPORT, so the execution
 * slot is always freed. A thread that answered is kept for the next run (starting one and loading
 * glTF-Transform costs ~0.5 s, a tenth of a preview run); one that timed out, failed or exited is
 * never reused.
 */
import { Worker } from "node:worker_threads";
import type { OutputsJob, OutputsReply } from "./outputs-worker";

export class OutputsTimeoutError extends Error {
  override name = "OutputsTimeoutError";
}

const WORKER_URL = new URL("./outputs-worker-entry.mjs", import.meta.url);
/** Idle threads kept (one per concurrent run is enough; EXEC_CONCURRENCY defaults to 2). */
const MAX_IDLE = 2;
const idle: Worker[] = [];

function newWorker(): Worker {
  return new Worker(WORKER_URL, { resourceLimits: { maxOldGenerationSizeMb: 2048 } });
}

/** Starts an idle thread ahead of the first run (a runner calls this when it is created). */
export function prewarmOutputs(): void {
  if (idle.length > 0) return;
  const worker = newWorker();
  worker.unref();
  // A thread that fails while idle leaves the pool; checkOutputs() never sees it.
  const drop = () => {
    const at = idle.indexOf(worker);
    if (at >= 0) idle.splice(at, 1);
  };
  worker.once("error", drop).once("exit", drop);
  idle.push(worker);
}

export function checkOutputs(job: OutputsJob, timeoutMs: number): Promise<OutputsReply> {
  const worker = idle.pop() ?? newWorker();
  worker.removeAllListeners("error").removeAllListeners("exit");
  worker.ref();
  return new Promise((resolve, reject) => {
    const settle = (reuse: boolean, fn: () => void) => {
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      if (reuse && idle.length < MAX_IDLE) {
        worker.unref(); // an idle thread never keeps the process alive
        idle.push(worker);
      } else void worker.terminate();
      fn();
    };
    const onMessage = (reply: OutputsReply) => settle(true, () => resolve(reply));
    const onError = (err: Error) => settle(false, () => reject(err));
    const onExit = (code: number) => settle(false, () => reject(new Error(`the outputs worker exited (${code}) without an answer`)));
    const timer = setTimeout(
      () => settle(false, () => reject(new OutputsTimeoutError(`checking, sanitising and compressing the outputs took longer than ${timeoutMs / 1000} s`))),
      timeoutMs,
    );
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    // The metric GLB is copied, not transferred: it is stored byte for byte from this thread.
    const transfer: ArrayBuffer[] = [];
    for (const b of [job.displayGlb, ...job.renders.map((r) => r.png), ...(job.display ?? []).map((r) => r.png)]) {
      if (b && !transfer.includes(b.buffer as ArrayBuffer)) transfer.push(b.buffer as ArrayBuffer);
    }
    worker.postMessage(job, transfer);
  });
}
