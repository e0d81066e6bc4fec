import { STATUS_COLOR } from "./status-colors";
import { ALL_STATUSES } from "@/lib/generations/status";

const ORDER = ["ready", "failed", "hidden", "scoring", "executing", "generating", "queued"];

/** One stacked bar per sweep: each pipeline stage's share of its generations. */
export function ProgressBar({ byStatus, total, testId }: { byStatus: Record<string, number>; total: number; testId?: string }) {
  return (
    <div className="flex flex-col gap-1.5" data-testid={testId}>
      <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-arena-raised" role="img" aria-label={ORDER.filter((s) => byStatus[s]).map((s) => `${s} ${byStatus[s]}`).join(", ")}>
        {ORDER.map((s) =>
          byStatus[s] ? <div key={s} className={STATUS_COLOR[s]} style={{ width: `${(100 * byStatus[s]) / Math.max(1, total)}%` }} /> : null,
        )}
      </div>
      <div className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-arena-muted tabular">
        {ALL_STATUSES.map((s) =>
          s === "hidden" && !byStatus[s] ? null : (
            <span key={s} className="flex items-center gap-1" data-testid={`stage-${s}`} data-count={byStatus[s] ?? 0}>
              <span className={`inline-block h-2 w-2 rounded-full ${STATUS_COLOR[s]}`} aria-hidden="true" />
              {s} {byStatus[s] ?? 0}
            </span>
          ),
        )}
      </div>
    </div>
  );
}
