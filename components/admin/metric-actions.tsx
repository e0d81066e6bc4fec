"use client";

import { BUTTON, BUTTON_QUIET } from "./panel";
import { useAdminAction } from "./use-admin-action";

const URL = "/api/admin/metrics";

/** "Compute for all outputs": queues the missing rows of one metric, or of every available one. */
export function MetricActions({ metric, disabled }: { metric?: string; disabled?: boolean }) {
  const { run, pending, error } = useAdminAction();
  return (
    <div className="flex flex-col items-end gap-1">
      <button
        type="button"
        className={metric ? BUTTON_QUIET : BUTTON}
        disabled={disabled || pending !== null}
        onClick={() => run(metric ?? "all", URL, metric ? { metric } : {})}
        data-testid={metric ? `metric-compute-${metric}` : "metric-compute-all"}
      >
        {pending ? "Queueing…" : metric ? "Compute for all outputs" : "Compute all available metrics"}
      </button>
      {error && (
        <p role="alert" className="text-xs text-arena-danger">
          {error}
        </p>
      )}
    </div>
  );
}
