/**
 * Web compression of the display GLB (issue 3: "compressed for the web ... size before and after
 * recorded"). Meshopt, not Draco: the viewer bundles three.js's meshopt decoder only
 * (components/viewer/use-glb.ts). The metric GLB is never passed through here: Chamfer reads
 * exact, unquantised positions (benchmark-compat §3, §5), and a meshopt GLB declares
 * EXT_meshopt_compression as required, so the metric reader (lib/metrics/glb-mesh.ts, no
 * extensions registered) refuses it outright instead of scoring quantised geometry.
 */
import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Logger, NodeIO } from "@gltf-transform/core";
import { ALL_EXTENSIONS, EXTMeshoptCompression } from "@gltf-transform/extensions";
import { dedup, meshopt, prune } from "@gltf-transform/functions";
import { MeshoptDecoder, MeshoptEncoder } from "meshoptimizer";

export interface CompressedGlb {
  /** The file to store: the compressed GLB, or the original when compression failed. */
  path: string;
  bytes: number;
  /** Null when compression failed (then `path` is the original and `error` says why). */
  compressedBytes: number | null;
  error: string | null;
  /** Removes the temporary folder holding the compressed file. */
  cleanup(): Promise<void>;
}

let ioReady: Promise<NodeIO> | null = null;
function webIo(): Promise<NodeIO> {
  return (ioReady ??= (async () => {
    await Promise.all([MeshoptEncoder.ready, MeshoptDecoder.ready]);
    return new NodeIO()
      .setLogger(new Logger(Logger.Verbosity.ERROR))
      .registerExtensions([...ALL_EXTENSIONS, EXTMeshoptCompression])
      .registerDependencies({ "meshopt.encoder": MeshoptEncoder, "meshopt.decoder": MeshoptDecoder });
  })());
}

/**
 * Writes a meshopt-compressed copy of `input` into a fresh temporary folder (never next to the
 * input: the job folder was writable by the sandboxed script, which could have planted symlinks).
 */
export async function compressDisplayGlb(input: string): Promise<CompressedGlb> {
  const bytes = (await stat(input)).size;
  const dir = await mkdtemp(path.join(os.tmpdir(), "arena-display-glb-"));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const io = await webIo();
    const doc = await io.read(input);
    // level "medium": quantised attributes + meshopt filters, decodable by three's decoder.
    await doc.transform(dedup(), prune(), meshopt({ encoder: MeshoptEncoder, level: "medium" }));
    const out = path.join(dir, "display.glb");
    await writeFile(out, await io.writeBinary(doc), { flag: "wx" });
    return { path: out, bytes, compressedBytes: (await stat(out)).size, error: null, cleanup };
  } catch (err) {
    await cleanup();
    return { path: input, bytes, compressedBytes: null, error: (err as Error).message.slice(0, 500), cleanup: async () => {} };
  }
}
