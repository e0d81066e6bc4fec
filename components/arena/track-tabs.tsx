"use client";

import type { Track } from "@/lib/contracts";

export const TRACK_LABELS: Record<Track, string> = { text: "Text → 3D", image: "Image → 3D" };
const TRACKS: Track[] = ["text", "image"];

export function TrackTabs({ track, onChange }: { track: Track; onChange: (track: Track) => void }) {
  return (
    <div role="tablist" aria-label="Arena track" className="inline-flex rounded-lg border border-arena-border bg-arena-panel p-1">
      {TRACKS.map((t) => {
        const selected = t === track;
        return (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={selected}
            data-testid={`track-tab-${t}`}
            onClick={() => onChange(t)}
            className={`rounded-md px-3.5 py-1.5 text-sm font-medium transition-colors ${
              selected ? "bg-arena-accent text-arena-bg shadow-sm" : "text-arena-muted hover:text-arena-text"
            }`}
          >
            {TRACK_LABELS[t]}
          </button>
        );
      })}
    </div>
  );
}
