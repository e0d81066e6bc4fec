import type { RunProgress } from "@/lib/judge/runs";
import { formatUsd, formatUtc } from "@/components/ui/format";
import { CancelJudgeRun } from "./cancel-run";

const SEGMENTS: [keyof RunProgress["counts"], string][] = [
  ["done", "bg-arena-win"],
  ["invalid", "bg-arena-warn"],
  ["failed", "bg-arena-danger"],
  ["skipped", "bg-arena-muted"],
  ["pending", "bg-arena-accent/40"],
];

/** Recent runs with their progress: one card per run so a phone needs no sideways scroll. */
export function JudgeRuns({ runs }: { runs: RunProgress[] }) {
  if (runs.length === 0) return <p className="text-sm text-arena-muted">No judge run yet.</p>;
  return (
    <ul className="flex flex-col gap-3" data-testid="judge-runs">
      {runs.map((r) => {
        const total = Object.values(r.counts).reduce((a, b) => a + b, 0);
        return (
          <li key={r.id} className="flex flex-col gap-1.5 rounded-lg border border-arena-border p-3" data-testid="judge-run" data-status={r.status}>
            <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 text-sm">
              <span className="font-medium break-all">
                {r.judge.displayName} · {r.mode} · {r.track === "text" ? "Text → 3D" : "Image → 3D"}
              </span>
              <span className="flex items-center gap-2 text-xs text-arena-muted">
                {r.status.replace("_", " ")} · {formatUtc(r.createdAt)}
                {r.status === "running" && <CancelJudgeRun runId={r.id} />}
              </span>
            </div>
            <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-arena-raised" role="img" aria-label={SEGMENTS.map(([k]) => `${k} ${r.counts[k]}`).join(", ")}>
              {SEGMENTS.map(([k, color]) => (r.counts[k] ? <div key={k} className={color} style={{ width: `${(100 * r.counts[k]) / Math.max(1, total)}%` }} /> : null))}
            </div>
            <div className="flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-arena-muted tabular">
              {SEGMENTS.map(([k]) => (
                <span key={k} data-testid={`judge-run-${k}`} data-count={r.counts[k]}>
                  {k} {r.counts[k]}
                </span>
              ))}
              {r.reused > 0 && <span>reused {r.reused}</span>}
              <span>
                spent {formatUsd(r.spentUsd)} of {formatUsd(r.budgetUsd)} (estimate {formatUsd(r.estimatedCostUsd)})
              </span>
              <span>
                tokens in {r.tokens.input.toLocaleString("en-US")} · out {(r.tokens.output + r.tokens.thinking).toLocaleString("en-US")}
              </span>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
