import Link from "next/link";
import type { LeaderboardMetric } from "@/lib/contracts";
import { hrefFor, type LeaderboardView } from "./leaderboard-url";
import { availableMetricColumns, visibleMetricColumns } from "./metric-columns";

/**
 * Column picker for the registry metrics (issue 16). Plain links that toggle one column in the
 * URL's `cols`, so the choice is shareable and works without JavaScript; unavailable metrics are
 * listed with their reason and offer nothing to toggle.
 */
export function MetricPicker({ metrics, view }: { metrics: LeaderboardMetric[]; view: LeaderboardView }) {
  if (metrics.length === 0) return null;
  const all = availableMetricColumns(metrics);
  const shown = new Set(visibleMetricColumns(metrics, view).map((c) => c.column));
  const toggle = (column: string) => {
    const next = all.map((c) => c.column).filter((c) => (c === column ? !shown.has(c) : shown.has(c)));
    return hrefFor(view, { cols: next });
  };
  const unavailable = metrics.filter((m) => !m.available);
  return (
    <details className="group rounded-xl border border-arena-border bg-arena-panel px-4 py-2 text-sm" data-testid="metric-picker">
      <summary className="cursor-pointer font-medium select-none">
        Metric columns <span className="text-arena-muted">({shown.size} of {all.length} shown{unavailable.length ? `, ${unavailable.length} unavailable` : ""})</span>
      </summary>
      <div className="mt-2 flex flex-col gap-2 pb-1">
        {all.length > 0 && (
          <ul className="flex flex-wrap gap-2">
            {all.map((c) => {
              const on = shown.has(c.column);
              return (
                <li key={c.column}>
                  <Link
                    prefetch={false}
                    scroll={false}
                    href={toggle(c.column)}
                    role="switch"
                    aria-checked={on}
                    data-testid="metric-toggle"
                    data-column={c.column}
                    title={c.title}
                    className={`inline-block rounded-full border px-3 py-1 text-xs ${on ? "border-arena-accent/60 bg-arena-accent/15 text-arena-text" : "border-arena-border text-arena-muted hover:text-arena-text"}`}
                  >
                    {on ? "✓ " : ""}
                    {c.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
        {unavailable.map((m) => (
          <p key={m.id} className="text-xs text-arena-muted break-words" data-testid="metric-unavailable" data-metric={m.id}>
            <span className="font-semibold text-arena-text/80">{m.label}</span> unavailable: {m.reason}
          </p>
        ))}
      </div>
    </details>
  );
}
