"use client";

import type { ShadingMode } from "@/components/viewer/shading";
import { ShadingControl } from "./shading-control";
import { Switch } from "./switch";
import { CHIP, ViewPresets } from "./view-presets";

export interface ViewSettings {
  shading: ShadingMode;
  synced: boolean;
  turntable: boolean;
}

interface Props {
  settings: ViewSettings;
  onSettingsChange: (patch: Partial<ViewSettings>) => void;
  activeView: number | null;
  onSelectView: (index: number) => void;
  onReset: () => void;
}

/** Controls that apply to both viewers: camera views, turntable, reset, shading, camera sync. */
export function ViewToolbar({ settings, onSettingsChange, activeView, onSelectView, onReset }: Props) {
  return (
    <div className="flex flex-wrap items-center gap-x-5 gap-y-2 text-xs text-arena-muted" data-testid="view-toolbar">
      <ViewPresets active={activeView} onSelect={onSelectView} />
      <div className="flex items-center gap-1">
        <button
          type="button"
          onClick={() => onSettingsChange({ turntable: !settings.turntable })}
          aria-pressed={settings.turntable}
          data-testid="turntable-toggle"
          title="Spin both models slowly"
          className={`${CHIP} inline-flex items-center gap-1.5`}
        >
          <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
            <path d="M13.5 8a5.5 5.5 0 1 1-1.6-3.9M12 1.8v2.6H9.4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          Turntable
        </button>
        <button type="button" onClick={onReset} data-testid="view-reset" title="Back to the first view, default zoom" className={CHIP}>
          Reset
        </button>
      </div>
      <ShadingControl mode={settings.shading} onChange={(shading) => onSettingsChange({ shading })} />
      <Switch checked={settings.synced} onChange={(synced) => onSettingsChange({ synced })} testId="sync-cameras" title="Orbit both models together">
        Sync cameras
      </Switch>
      <p className="hidden 2xl:block">
        <span className="pointer-coarse:hidden">Drag to orbit · scroll to zoom · right-drag to pan</span>
        <span className="hidden pointer-coarse:inline">Drag to orbit · pinch to zoom</span>
      </p>
    </div>
  );
}
