/**
 * Process 2's files as the host keeps them: read as capped bytes (untrusted-file.ts), then
 * checked, sanitised and compressed in a worker thread under a timeout (outputs-check.ts). For a
 * run that is otherwise OK, anything missing or refused makes it fail with a readable reason
 * (ERR_RENDER for missing views, as before; ERR_EXPORT for bytes that fail their check); a failed
 * run keeps the GLBs that pass and drops the rest. GLBs the export step did not write are not
 * looked for, and GLBs it claims but that are missing are the export step's failure
 * (`exportError`), not the run's: the status comes from the render path (benchmark-facts §1).
 */
import { checkOutputs } from "./outputs-check";
import { maxRenderPngBytes } from "./render-png";
import type { ExecStatus, RenderedView, RunResult } from "./types";
import { readUntrusted } from "./untrusted-file";

export const VIEW_NAMES = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"] as const;

export interface OutputsInput {
  dir: string;
  status: ExecStatus;
  errorText: string | null;
  render: boolean;
  resolution: number;
  views: { name: string; azimuthDeg: number; elevationDeg: number }[];
  maxGlbBytes: number;
  timeoutMs: number;
  /** Whether the export step reported both GLBs written. Default true. */
  glbs?: boolean;
  /** Display views process 2 reported (after its final record), to read from out/display/. */
  display?: { resolution: number; views: { name: string; azimuthDeg: number; elevationDeg: number }[] } | null;
}

export interface OutputsResult {
  status: ExecStatus;
  errorText: string | null;
  files: RunResult["files"];
  /** Set when the export step claimed GLBs that are not there. */
  exportError: string | null;
  /** The display views that passed their check; any refused or missing one drops them all (`error`). */
  display: { renders: RenderedView[]; error: string | null } | null;
}

/** The only names a display view may have (display.py); anything else reported is refused. */
export const DISPLAY_NAMES = ["display_0.png", "display_1.png", "display_2.png", "display_3.png"] as const;

const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function collectOutputs(o: OutputsInput): Promise<OutputsResult> {
  let status = o.status;
  let errorText = o.errorText;
  const ok = () => status === "OK";
  const fail = (s: ExecStatus, text: string) => {
    if (ok()) {
      status = s;
      errorText = text;
    }
  };
  const read = async (rel: string, cap: number): Promise<Uint8Array | null> => {
    try {
      return await readUntrusted(o.dir, rel, cap, o.timeoutMs);
    } catch (err) {
      fail("ERR_EXPORT", `${rel} was refused: ${reason(err)}`);
      return null;
    }
  };
  // Kept whenever they were written (an ERR_RENDER run still has valid geometry).
  const glbs = o.glbs ?? true;
  const metric = glbs ? await read("out/metric.glb", o.maxGlbBytes) : null;
  const display = glbs ? await read("out/display.glb", o.maxGlbBytes) : null;
  let exportError: string | null = null;
  const pngs: { name: string; png: Uint8Array }[] = [];
  if (ok() && o.render) {
    for (const name of VIEW_NAMES) {
      const png = await read(`out/renders/${name}`, maxRenderPngBytes(o.resolution));
      if (png) pngs.push({ name, png });
    }
    if (ok() && pngs.length !== VIEW_NAMES.length) fail("ERR_RENDER", `only ${pngs.length} of ${VIEW_NAMES.length} views were written`);
  }
  // The display GLB is ours (viewers only): without it the run is simply not served in battles.
  if (glbs && !metric && ok()) exportError = "the metric GLB is missing";

  // Display views are ours and never the run's status: read only for a run that is OK so far.
  let displayError: string | null = null;
  const displayPngs: { name: string; png: Uint8Array }[] = [];
  const wanted = ok() && o.display ? o.display.views : [];
  for (const view of wanted) {
    if (!(DISPLAY_NAMES as readonly string[]).includes(view.name) || displayPngs.some((p) => p.name === view.name)) {
      displayError = `a display view named ${JSON.stringify(view.name.slice(0, 40))} was reported`;
      break;
    }
    try {
      const png = await readUntrusted(o.dir, `out/display/${view.name}`, maxRenderPngBytes(o.display!.resolution), o.timeoutMs);
      if (!png) {
        displayError = `display view ${view.name} was reported but not written`;
        break;
      }
      displayPngs.push({ name: view.name, png });
    } catch (err) {
      displayError = `display view ${view.name} was refused: ${reason(err)}`;
      break;
    }
  }
  if (displayError) displayPngs.length = 0;
  const displayOf = (renders: RenderedView[]) => (o.display ? { renders, error: displayError } : null);

  const files: RunResult["files"] = { metricGlb: null, displayGlb: null, displayGlbSourceBytes: null, renders: [] };
  if (!metric && !display && !pngs.length && !displayPngs.length) return { status, errorText, files, exportError, display: displayOf([]) };
  const sourceBytes = display?.length ?? null;
  let reply;
  try {
    reply = await checkOutputs(
      {
        metricGlb: metric,
        displayGlb: display,
        renders: ok() ? pngs : [],
        resolution: o.resolution,
        display: ok() ? displayPngs : [],
        displayResolution: o.display?.resolution ?? 0,
      },
      o.timeoutMs,
    );
  } catch (err) {
    fail("ERR_EXPORT", `the outputs could not be checked: ${reason(err)}`);
    return { status, errorText, files, exportError, display: displayOf([]) };
  }
  if (reply.metricGlb?.ok) files.metricGlb = metric;
  else if (reply.metricGlb) fail("ERR_EXPORT", `the metric GLB was refused: ${reply.metricGlb.error}`);
  if (reply.displayGlb?.ok) {
    files.displayGlb = reply.displayGlb.value.bytes;
    files.displayGlbSourceBytes = sourceBytes;
  } else if (reply.displayGlb) fail("ERR_EXPORT", `the display GLB could not be sanitised and compressed: ${reply.displayGlb.error}`);
  const renders: RenderedView[] = [];
  for (const r of reply.renders) {
    const view = o.views.find((v) => v.name === r.name);
    if (!r.result.ok) fail("ERR_EXPORT", `view ${r.name} was refused: ${r.result.error}`);
    else if (!view) fail("ERR_RENDER", `view ${r.name} was written but not reported`);
    else renders.push({ name: r.name, png: r.result.value, azimuthDeg: view.azimuthDeg, elevationDeg: view.elevationDeg });
  }
  files.renders = ok() ? renders : [];
  const displayRenders: RenderedView[] = [];
  for (const r of reply.display) {
    const view = o.display!.views.find((v) => v.name === r.name)!;
    if (!r.result.ok) {
      displayError ??= `display view ${r.name} was refused: ${r.result.error}`;
      continue;
    }
    displayRenders.push({ name: r.name, png: r.result.value, azimuthDeg: view.azimuthDeg, elevationDeg: view.elevationDeg });
  }
  return { status, errorText, files, exportError, display: displayOf(ok() && !displayError ? displayRenders : []) };
}
