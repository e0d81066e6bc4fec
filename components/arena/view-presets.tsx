"use client";

import { VIEW_PRESETS } from "@/components/viewer/camera-link";

export const CHIP =
  "h-7 rounded-md border px-2 text-xs whitespace-nowrap transition-colors tabular aria-pressed:border-arena-accent aria-pressed:bg-arena-accent/15 aria-pressed:text-arena-text border-arena-border bg-arena-panel text-arena-text/80 hover:border-arena-accent/60 hover:text-arena-text";

/**
 * The benchmark's four views (what the automatic metrics rendered) and front / side / top.
 * `active` is the preset the cameras are still at; null once someone orbited away from it.
 */
export function ViewPresets({ active, onSelect }: { active: number | null; onSelect: (index: number) => void }) {
  return (
    <div role="group" aria-label="Camera views" className="flex flex-wrap items-center gap-1" data-testid="view-presets" data-view={active === null ? "" : VIEW_PRESETS[active]!.name}>
      <span className="mr-1">View</span>
      {VIEW_PRESETS.map((preset, i) => (
        <button
          key={preset.name}
          type="button"
          onClick={() => onSelect(i)}
          aria-pressed={active === i}
          data-testid={`view-preset-${preset.name}`}
          title={preset.title}
          aria-label={preset.title}
          className={`${CHIP} ${i < 4 ? "w-7 px-0" : ""} ${i === 4 ? "ml-1" : ""}`}
        >
          {preset.label}
        </button>
      ))}
    </div>
  );
}
