/**
 * Reading what the sandbox left in the job folder. Everything in it was writable by untrusted
 * code, so paths are checked component by component (no symlink may lead out of the job, e.g.
 * out/renders -> /etc) and result.json is parsed defensively.
 */
import { lstat, readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { EXEC_STATUSES } from "./types";

const MAX_RESULT_BYTES = 4 * 1024 * 1024;

/** Absolute path of `rel` inside `jobDir` if every component is a real folder/file, else null. */
export async function safeJobFile(jobDir: string, rel: string): Promise<string | null> {
  const parts = rel.split("/").filter(Boolean);
  if (parts.some((p) => p === ".." || p === ".")) return null;
  let cur = jobDir;
  for (let i = 0; i < parts.length; i++) {
    cur = path.join(cur, parts[i]!);
    let st;
    try {
      st = await lstat(cur);
    } catch {
      return null;
    }
    const last = i === parts.length - 1;
    if (last ? !st.isFile() : !st.isDirectory()) return null;
  }
  return cur;
}

const Vec3 = z.tuple([z.number(), z.number(), z.number()]);
const ZMeshStats = z.object({
  meshObjects: z.number().int(),
  vertices: z.number().int(),
  faces: z.number().int(),
  triangles: z.number().int(),
  parts: z.number().int(),
  nonManifoldEdges: z.number().int(),
  bbox: z.object({ min: Vec3, max: Vec3 }),
  extent: z.number(),
  maxPartGapRatio: z.number(),
  hasMaterials: z.boolean(),
});

const num = z.number().nonnegative().optional();

/** out/result.json as the harness writes it (blender-runner/harness/arena/result_file.py). */
export const ZHarnessRecord = z.object({
  status: z.enum([...EXEC_STATUSES, "RUNNING"]),
  phase: z.string().nullish(),
  error: z.string().nullish(),
  blenderVersion: z.string().nullish(),
  timings: z.object({ startup: num, script: num, stats: num, export: num, render: num }).partial().default({}),
  stats: ZMeshStats.nullish(),
  renderer: z
    .object({
      engine: z.string(),
      device: z.string(),
      samples: z.number(),
      resolution: z.number(),
      denoiser: z.string().nullable(),
    })
    .nullish(),
  views: z.array(z.object({ name: z.string(), azimuthDeg: z.number(), elevationDeg: z.number() })).default([]),
  peakRssMiB: z.number().nullish(),
  cpuSeconds: z.number().nullish(),
});
export type HarnessRecord = z.infer<typeof ZHarnessRecord>;

export type ReadRecord = { ok: true; record: HarnessRecord } | { ok: false; reason: string };

export async function readHarnessRecord(jobDir: string): Promise<ReadRecord> {
  const file = await safeJobFile(jobDir, "out/result.json");
  if (!file) return { ok: false, reason: "no result.json" };
  const st = await lstat(file);
  if (st.size > MAX_RESULT_BYTES) return { ok: false, reason: `result.json is ${st.size} bytes` };
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (err) {
    return { ok: false, reason: `result.json is not JSON: ${(err as Error).message}` };
  }
  const parsed = ZHarnessRecord.safeParse(json);
  if (!parsed.success) return { ok: false, reason: `result.json does not match the harness format: ${parsed.error.message.slice(0, 500)}` };
  return { ok: true, record: parsed.data };
}
