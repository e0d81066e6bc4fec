"use client";

import { BENCHMARK_AZIMUTHS_DEG, type CameraLink } from "@/components/viewer/camera-link";

/** Camera controls for both viewers: the benchmark's four views and camera sync. */
export function ViewToolbar({
  link,
  synced,
  onSyncedChange,
}: {
  link: CameraLink;
  synced: boolean;
  onSyncedChange: (synced: boolean) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-xs text-arena-muted">
      <p className="hidden lg:block">
        <span className="pointer-coarse:hidden">Drag to orbit · scroll to zoom · right-drag to pan</span>
        <span className="hidden pointer-coarse:inline">Drag to orbit · pinch to zoom</span>
      </p>
      <div className="flex items-center gap-3">
        <div role="group" aria-label="Benchmark views" className="flex items-center gap-1">
          <span className="mr-1">View</span>
          {BENCHMARK_AZIMUTHS_DEG.map((azimuth, i) => (
            <button
              key={azimuth}
              type="button"
              onClick={() => link.goToView(azimuth)}
              data-testid={`view-preset-${i + 1}`}
              title={`Benchmark view ${i + 1} (azimuth ${azimuth}°)`}
              className="h-6 w-6 rounded-md border border-arena-border bg-arena-panel text-arena-text/80 tabular hover:border-arena-accent/60 hover:text-arena-text"
            >
              {i + 1}
            </button>
          ))}
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={synced}
          onClick={() => onSyncedChange(!synced)}
          data-testid="sync-cameras"
          className="inline-flex items-center gap-2 rounded-md px-1.5 py-1 hover:text-arena-text"
        >
          <span
            className={`relative inline-block h-4 w-7 rounded-full transition-colors ${synced ? "bg-arena-accent" : "bg-arena-border"}`}
            aria-hidden="true"
          >
            <span
              className={`absolute top-0.5 left-0.5 h-3 w-3 rounded-full bg-white transition-transform ${synced ? "translate-x-3" : ""}`}
            />
          </span>
          Sync cameras
        </button>
      </div>
    </div>
  );
}
