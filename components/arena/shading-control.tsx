"use client";

import { SHADING_LABELS, SHADING_MODES, type ShadingMode } from "@/components/viewer/shading";
import { CHIP } from "./view-presets";

/** One shading choice for both viewers, so the two models are always compared alike. */
export function ShadingControl({ mode, onChange }: { mode: ShadingMode; onChange: (mode: ShadingMode) => void }) {
  return (
    <div role="group" aria-label="Shading" className="flex flex-wrap items-center gap-1" data-testid="shading-modes" data-shading={mode}>
      <span className="mr-1">Shading</span>
      {SHADING_MODES.map((m) => (
        <button
          key={m}
          type="button"
          onClick={() => onChange(m)}
          aria-pressed={mode === m}
          data-testid={`shading-mode-${m}`}
          title={SHADING_LABELS[m].title}
          className={CHIP}
        >
          {SHADING_LABELS[m].label}
        </button>
      ))}
    </div>
  );
}
