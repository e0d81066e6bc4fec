"use client";

import { useEffect, useState } from "react";
import type { Group } from "three";
import { LoaderUtils } from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { disposeObject, prepareModel } from "./prepare-model";

export type GlbState =
  | { status: "loading"; loadedBytes: number; totalBytes: number | null }
  | { status: "ready"; model: Group }
  | { status: "error"; message: string };

/**
 * Fetch and parse one GLB with byte-level progress. Loading per viewer (rather than drei's global
 * loading manager) keeps the two sides' progress apart, and nothing stays cached between battles:
 * the model is disposed when the URL changes or the viewer unmounts.
 *
 * Draco is deliberately not configured: its decoder would be fetched from a CDN, and the arena
 * must work offline. Meshopt's decoder is bundled, so meshopt-compressed GLBs are fine.
 */
export function useGlb(url: string): GlbState {
  const [state, setState] = useState<GlbState>({ status: "loading", loadedBytes: 0, totalBytes: null });

  useEffect(() => {
    const controller = new AbortController();
    let model: Group | null = null;
    setState({ status: "loading", loadedBytes: 0, totalBytes: null });

    (async () => {
      const res = await fetch(url, { signal: controller.signal });
      if (!res.ok) throw new DownloadError(`The model file could not be downloaded (HTTP ${res.status}).`);
      const buffer = await readWithProgress(res, (loadedBytes, totalBytes) => {
        if (!controller.signal.aborted) setState({ status: "loading", loadedBytes, totalBytes });
      });
      const loader = new GLTFLoader();
      loader.setMeshoptDecoder(MeshoptDecoder);
      const gltf = await loader.parseAsync(buffer, LoaderUtils.extractUrlBase(url)).catch((err: unknown) => {
        // Parser messages quote raw bytes; keep them for developers, show people something readable.
        console.warn(`GLB parse failed for ${url}:`, err);
        throw new DownloadError("The model file is damaged or not a valid GLB.");
      });
      if (controller.signal.aborted) return;
      model = prepareModel(gltf);
      setState({ status: "ready", model });
    })().catch((err: unknown) => {
      if (controller.signal.aborted) return;
      const message =
        err instanceof DownloadError ? err.message : "The model could not be loaded. Check your connection and try again.";
      setState({ status: "error", message });
    });

    return () => {
      controller.abort();
      if (model) disposeObject(model);
    };
  }, [url]);

  return state;
}

/** A failure with a message fit for the viewer's error state. */
class DownloadError extends Error {}

async function readWithProgress(
  res: Response,
  onProgress: (loadedBytes: number, totalBytes: number | null) => void,
): Promise<ArrayBuffer> {
  // Content-Length is the compressed size when the response is encoded; then it is only a hint.
  const declared = Number(res.headers.get("content-length"));
  const encoded = Boolean(res.headers.get("content-encoding"));
  const total = Number.isFinite(declared) && declared > 0 && !encoded ? declared : null;
  if (!res.body) return res.arrayBuffer();

  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let lastReport = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.byteLength;
    const now = performance.now();
    if (now - lastReport > 80) {
      lastReport = now;
      onProgress(loaded, total);
    }
  }
  onProgress(loaded, total);
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out.buffer;
}
