/**
 * Worker-thread entry for the CPU-bound, synchronous part of storing a run (strict GLB parsing,
 * sanitising, meshopt compression in WASM, PNG decoding and re-encoding). It runs in a thread
 * the runner terminates on timeout (outputs-check.ts): a Promise.race around synchronous WASM on
 * the main thread would time nothing out.
 */
import { parentPort } from "node:worker_threads";
import { makeDisplayGlb } from "./display-glb";
import { parseGlb } from "./glb-container";
import { checkDisplayPng } from "./display-png";
import { checkRenderPng } from "./render-png";

export interface OutputsJob {
  metricGlb: Uint8Array | null;
  displayGlb: Uint8Array | null;
  renders: { name: string; png: Uint8Array }[];
  resolution: number;
  /** Display views (display-png.ts), at displayResolution. */
  display?: { name: string; png: Uint8Array }[];
  displayResolution?: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export interface OutputsReply {
  metricGlb: Checked<null> | null;
  displayGlb: Checked<{ bytes: Uint8Array; sourceBytes: number }> | null;
  renders: { name: string; result: Checked<Uint8Array> }[];
  display: { name: string; result: Checked<Uint8Array> }[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).slice(0, 500);

async function attempt<T>(fn: () => T | Promise<T>): Promise<Checked<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: message(err) };
  }
}

export async function checkOutputsInline(job: OutputsJob): Promise<OutputsReply> {
  const metric = job.metricGlb;
  const display = job.displayGlb;
  return {
    // Validated only: the metric GLB is stored byte for byte as Blender exported it (§3 fidelity).
    metricGlb: metric ? await attempt(() => (parseGlb(metric), null)) : null,
    displayGlb: display ? await attempt(() => makeDisplayGlb(display)) : null,
    renders: await Promise.all(job.renders.map(async (r) => ({ name: r.name, result: await attempt(() => new Uint8Array(checkRenderPng(r.png, job.resolution))) }))),
    display: await Promise.all(
      (job.display ?? []).map(async (r) => ({ name: r.name, result: await attempt(() => new Uint8Array(checkDisplayPng(r.png, job.displayResolution ?? 0))) })),
    ),
  };
}

parentPort?.on("message", (job: OutputsJob) => {
  void checkOutputsInline(job).then((reply) => {
    const transfer: ArrayBuffer[] = [];
    if (reply.displayGlb?.ok) transfer.push(reply.displayGlb.value.bytes.buffer as ArrayBuffer);
    for (const r of [...reply.renders, ...reply.display]) if (r.result.ok) transfer.push(r.result.value.buffer as ArrayBuffer);
    parentPort!.postMessage(reply, transfer);
  });
});
