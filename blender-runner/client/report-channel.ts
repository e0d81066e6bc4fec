/**
 * The harness's report channel (fd 3, blender-runner/harness/arena/report.py) as the host reads it:
 * line-delimited JSON, capped in total and per line, parsed while the process runs. In process 1
 * the script shares the harness's process and can write to the same descriptor, so everything
 * here is parsed defensively and anything that is not a well-formed harness record is kept as a
 * problem (tamper evidence), never trusted.
 */
import { z } from "zod";
import { EXEC_DEVICES, EXEC_STATUSES } from "./types";

export const CHANNEL_MAX_BYTES = 2 * 1024 * 1024;
export const CHANNEL_MAX_LINE = 256 * 1024;

const num = z.number().finite();
const Vec3 = z.tuple([num, num, num]);
export const ZMeshStats = z.object({
  meshObjects: z.number().int().nonnegative(),
  vertices: z.number().int().nonnegative(),
  faces: z.number().int().nonnegative(),
  triangles: z.number().int().nonnegative(),
  parts: z.number().int().nonnegative(),
  nonManifoldEdges: z.number().int().nonnegative(),
  bbox: z.object({ min: Vec3, max: Vec3 }),
  extent: num,
  maxPartGapRatio: num,
  hasMaterials: z.boolean(),
});

const secs = z.number().finite().nonnegative();
const ZReady = z.object({ t: z.literal("ready"), blenderVersion: z.string().max(64), startup: secs });
const ZPhase = z.object({ t: z.literal("phase"), phase: z.enum(["script", "save", "open", "stats", "export", "render"]) });

/** Process 1's records. */
export const ZRunRecord = z.discriminatedUnion("t", [
  ZReady,
  ZPhase,
  z.object({ t: z.literal("audit"), event: z.string().max(200), site: z.string().max(2000), detail: z.string().max(2000) }),
  z.object({ t: z.literal("script"), error: z.string().nullable(), seconds: secs }),
  z.object({ t: z.literal("saved"), file: z.literal("out/scene.blend"), bytes: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/), seconds: secs }),
  z.object({ t: z.literal("saveFailed"), error: z.string() }),
  z.object({ t: z.literal("end") }),
]);
export type RunRecord = z.infer<typeof ZRunRecord>;

export const ZRenderer = z.object({
  engine: z.string(),
  device: z.enum(EXEC_DEVICES),
  samples: z.number(),
  resolution: z.number(),
  denoiser: z.string().nullable(),
  requestedDevice: z.enum(EXEC_DEVICES).optional(),
  deviceNote: z.string().max(2000).optional(),
});
const ZView = z.object({ name: z.string(), azimuthDeg: num, elevationDeg: num });

/** The export step's own outcome (benchmark-facts §1: export is a separate process there). */
export const ZExportOutcome = z.object({
  status: z.enum(["OK", "ERR_EXPORT", "ERR_NO_MESH", "ERR_TIMEOUT"]),
  error: z.string().nullable(),
  displayError: z.string().nullable(),
});
export type ExportOutcome = z.infer<typeof ZExportOutcome>;

const ZRenderStatus = z.enum(["OK", "ERR_RENDER"]);

/** Process 2's records: `rendered` once the render path has decided the status, the final one is `result`. */
export const ZCollectRecord = z.discriminatedUnion("t", [
  ZReady,
  ZPhase,
  z.object({
    t: z.literal("rendered"),
    status: ZRenderStatus,
    error: z.string().nullable(),
    renderer: ZRenderer.nullable(),
    views: z.array(ZView).max(4),
    setup: z.record(z.string(), z.unknown()).nullable(),
  }),
  z.object({
    t: z.literal("result"),
    status: z.enum([...EXEC_STATUSES, "RUNNING"]),
    error: z.string().nullable(),
    stats: ZMeshStats.nullable(),
    renderer: ZRenderer.nullable(),
    views: z.array(ZView).max(4),
    setup: z.record(z.string(), z.unknown()).nullable(),
    timings: z.object({ startup: secs, open: secs, stats: secs, export: secs, render: secs }).partial(),
    export: ZExportOutcome.optional(),
    statsError: z.string().optional(),
    peakRssMiB: num.nullable().optional(),
    cpuSeconds: num.nullable().optional(),
  }),
]);
export type CollectRecord = z.infer<typeof ZCollectRecord>;

/** Accumulates a stream of records; `problems` lists every line that was not a valid record. */
export class ReportChannel<T extends { t: string }> {
  readonly records: T[] = [];
  readonly problems: string[] = [];
  private pending = Buffer.alloc(0);
  private total = 0;
  overflow = false;

  constructor(private readonly schema: z.ZodType<T>, private readonly onRecord?: (r: T) => void) {}

  push(chunk: Buffer): void {
    if (this.overflow) return;
    this.total += chunk.length;
    if (this.total > CHANNEL_MAX_BYTES) {
      this.overflow = true;
      this.problem(`the report channel carried more than ${CHANNEL_MAX_BYTES} bytes; the rest was ignored`);
      return;
    }
    let buf = Buffer.concat([this.pending, chunk]);
    let nl: number;
    while ((nl = buf.indexOf(0x0a)) >= 0) {
      this.line(buf.subarray(0, nl));
      buf = buf.subarray(nl + 1);
    }
    if (buf.length > CHANNEL_MAX_LINE) {
      this.problem(`a report line longer than ${CHANNEL_MAX_LINE} bytes`);
      buf = Buffer.alloc(0);
    }
    this.pending = buf;
  }

  /** The stream ended: a last line without newline is not a record the harness finished. */
  end(): void {
    if (this.pending.length && this.pending.toString("utf8").trim()) this.problem("an unterminated line on the report channel");
    this.pending = Buffer.alloc(0);
  }

  last<K extends T["t"]>(kind: K): Extract<T, { t: K }> | undefined {
    for (let i = this.records.length - 1; i >= 0; i--) if (this.records[i]!.t === kind) return this.records[i] as Extract<T, { t: K }>;
    return undefined;
  }

  count(kind: T["t"]): number {
    return this.records.filter((r) => r.t === kind).length;
  }

  private problem(text: string): void {
    if (this.problems.length < 20) this.problems.push(text);
  }

  private line(raw: Buffer): void {
    const text = raw.toString("utf8").trim();
    if (!text) return;
    if (raw.length > CHANNEL_MAX_LINE) return this.problem(`a report line longer than ${CHANNEL_MAX_LINE} bytes`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.problem(`not JSON: ${JSON.stringify(text.slice(0, 120))}`);
    }
    const parsed = this.schema.safeParse(json);
    if (!parsed.success) return this.problem(`not a harness record: ${JSON.stringify(text.slice(0, 120))}`);
    this.records.push(parsed.data);
    this.onRecord?.(parsed.data);
  }
}
