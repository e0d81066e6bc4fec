"use client";

import { useEffect, useState } from "react";
import type { Group } from "three";
import { GlbLoadError, takeGlb } from "./glb-cache";

export type GlbState =
  | { status: "loading"; loadedBytes: number; totalBytes: number | null; parsing: boolean }
  | { status: "ready"; model: Group }
  | { status: "error"; message: string };

const START: GlbState = { status: "loading", loadedBytes: 0, totalBytes: null, parsing: false };

/**
 * One GLB for one viewer, with byte-level progress. Loading per viewer (rather than drei's global
 * loading manager) keeps the two sides' progress apart. A model prefetched through glb-cache is
 * taken as it is (often already parsed); otherwise it is downloaded now. The viewer owns the model:
 * it is disposed when the URL changes or the viewer unmounts.
 */
export function useGlb(url: string): GlbState {
  const [state, setState] = useState<GlbState>(START);
  // Reset during render when the URL changes, so a new battle never shows the old model's state.
  const [forUrl, setForUrl] = useState(url);
  if (forUrl !== url) {
    setForUrl(url);
    setState(START);
  }

  useEffect(() => {
    let live = true;
    const { model, release } = takeGlb(url, (p) => {
      if (live) setState({ status: "loading", ...p });
    });
    model.then(
      (m) => {
        if (live) setState({ status: "ready", model: m });
      },
      (err: unknown) => {
        if (!live) return;
        const message = err instanceof GlbLoadError ? err.message : "The model could not be loaded. Check your connection and try again.";
        setState({ status: "error", message });
      },
    );
    return () => {
      live = false;
      release();
    };
  }, [url]);

  return state;
}
