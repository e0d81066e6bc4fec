"use client";

/**
 * Downloads and parses GLBs ahead of time, so the arena can fetch the next battle's two models
 * while the voter still looks at the current ones and show them at once on "Next".
 *
 * Each model is owned by exactly one party: the cache until a viewer takes it, then that viewer
 * (which disposes it on unmount or when its URL changes). Models nobody took are disposed when
 * they are evicted, so a prefetched battle the voter never reaches does not hold GPU memory.
 */
import type { Group } from "three";
import { LoaderUtils } from "three";
import { GLTFLoader } from "three/examples/jsm/loaders/GLTFLoader.js";
import { MeshoptDecoder } from "three/examples/jsm/libs/meshopt_decoder.module.js";
import { disposeObject, prepareModel } from "./prepare-model";

export interface GlbProgress {
  loadedBytes: number;
  /** From Content-Length; null when the server did not say (or the body was re-encoded). */
  totalBytes: number | null;
  /** True once every byte is in and the model is being parsed. */
  parsing: boolean;
}

/** A failure with a message fit for the viewer's error state. */
export class GlbLoadError extends Error {}

interface Entry {
  url: string;
  model: Promise<Group>;
  progress: GlbProgress;
  listeners: Set<(p: GlbProgress) => void>;
  controller: AbortController;
  /** Set once a viewer has taken the model: from then on it is the viewer's to dispose. */
  taken: boolean;
}

/** Enough for the next battle's two models; a third prefetch evicts the oldest one nobody took. */
const MAX_UNTAKEN = 4;
const entries = new Map<string, Entry>();

function start(url: string): Entry {
  const controller = new AbortController();
  const entry: Entry = {
    url,
    controller,
    taken: false,
    listeners: new Set(),
    progress: { loadedBytes: 0, totalBytes: null, parsing: false },
    model: Promise.resolve(null as unknown as Group),
  };
  const report = (p: GlbProgress) => {
    entry.progress = p;
    for (const listener of entry.listeners) listener(p);
  };
  entry.model = download(url, controller.signal, report);
  // An unhandled rejection for a prefetch nobody ends up showing is not an error worth logging.
  entry.model.catch(() => undefined);
  entries.set(url, entry);
  evict();
  return entry;
}

function evict(): void {
  const untaken = [...entries.values()].filter((e) => !e.taken);
  for (const old of untaken.slice(0, Math.max(0, untaken.length - MAX_UNTAKEN))) drop(old);
}

function drop(entry: Entry): void {
  entries.delete(entry.url);
  entry.controller.abort();
  void entry.model.then(disposeObject, () => undefined);
}

/** Starts downloading and parsing `url` now, if nobody has yet. */
export function preloadGlb(url: string): void {
  if (!entries.has(url)) start(url);
}

/** Forgets prefetched models (e.g. the track changed) that no viewer took. */
export function discardPreloaded(urls: readonly string[]): void {
  for (const url of urls) {
    const entry = entries.get(url);
    if (entry && !entry.taken) drop(entry);
  }
}

/**
 * The model at `url` while it is prefetched and no viewer has taken it yet, else null. For warming
 * a renderer up only (compiling its shaders, uploading its textures): the cache still owns it.
 */
export function peekGlb(url: string): Promise<Group> | null {
  const entry = entries.get(url);
  return entry && !entry.taken ? entry.model : null;
}

/**
 * Takes the model at `url` for a viewer: the prefetched one when there is one, else a fresh
 * download. `onProgress` hears download progress until the model is ready. Call `release` when the
 * viewer no longer shows it: the model is disposed (or its download aborted).
 */
export function takeGlb(url: string, onProgress: (p: GlbProgress) => void): { model: Promise<Group>; release: () => void } {
  const entry = entries.get(url) ?? start(url);
  entry.taken = true;
  entry.listeners.add(onProgress);
  onProgress(entry.progress);
  return {
    model: entry.model,
    release: () => {
      entry.listeners.delete(onProgress);
      if (entries.get(url) === entry) drop(entry);
    },
  };
}

/**
 * Draco is deliberately not configured: its decoder would be fetched from a CDN, and the arena
 * must work offline. Meshopt's decoder is bundled, so meshopt-compressed GLBs are fine.
 */
async function download(url: string, signal: AbortSignal, onProgress: (p: GlbProgress) => void): Promise<Group> {
  let res: Response;
  try {
    res = await fetch(url, { signal });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new GlbLoadError("The model could not be loaded. Check your connection and try again.");
  }
  if (!res.ok) throw new GlbLoadError(`The model file could not be downloaded (HTTP ${res.status}).`);
  const buffer = await readWithProgress(res, (loadedBytes, totalBytes) => onProgress({ loadedBytes, totalBytes, parsing: false }));
  onProgress({ loadedBytes: buffer.byteLength, totalBytes: buffer.byteLength, parsing: true });
  const loader = new GLTFLoader();
  loader.setMeshoptDecoder(MeshoptDecoder);
  const gltf = await loader.parseAsync(buffer, LoaderUtils.extractUrlBase(url)).catch((err: unknown) => {
    // Parser messages quote raw bytes; keep them for developers, show people something readable.
    console.warn(`GLB parse failed for ${url}:`, err);
    throw new GlbLoadError("The model file is damaged or not a valid GLB.");
  });
  const model = prepareModel(gltf);
  if (signal.aborted) {
    disposeObject(model);
    throw new GlbLoadError("The download was cancelled.");
  }
  return model;
}

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
