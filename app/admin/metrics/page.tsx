import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import { metricsOverview } from "@/lib/metrics/admin";
import { PageHeader, Panel } from "@/components/admin/panel";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { MetricActions } from "@/components/admin/metric-actions";

export const metadata: Metadata = { title: "Metrics · Admin" };
export const dynamic = "force-dynamic";

export default async function MetricsPage() {
  const access = await pageAccess("admin", "/admin/metrics");
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const metrics = await metricsOverview();
  return (
    <div className="flex flex-col gap-6" data-testid="admin-metrics">
      <PageHeader
        title="Metrics"
        actions={
          <div className="flex items-center gap-3">
            <AutoRefresh intervalMs={3000} />
            <MetricActions disabled={!metrics.some((m) => m.available)} />
          </div>
        }
      >
        Automated metrics beyond Exec and Chamfer, one row per output, metric and version, computed by the scoring worker after each output is ready.
        A metric whose weights or command are not configured on this host is unavailable and computes nothing; configure it (docs/metrics.md) and
        compute it for the existing outputs here or with <span className="font-mono">npm run metrics:backfill</span>.
      </PageHeader>
      {metrics.map((m) => {
        const done = m.computed + m.failed;
        return (
          <Panel
            key={m.id}
            title={`${m.label} (${m.id}, version ${m.version})`}
            testId={`metric-${m.id}`}
            actions={m.available ? <MetricActions metric={m.id} disabled={m.missing === 0} /> : undefined}
          >
            <div className="flex flex-col gap-3 text-sm" data-available={m.available} data-missing={m.missing} data-computed={m.computed} data-failed={m.failed}>
              {m.available ? (
                <p className="text-arena-win">Available</p>
              ) : (
                <p className="text-arena-warn" data-testid="metric-unavailable">
                  Unavailable: {m.reason}
                </p>
              )}
              <div className="flex flex-col gap-1">
                <div className="flex h-2.5 w-full overflow-hidden rounded-full bg-arena-raised" role="img" aria-label={`${m.computed} computed, ${m.failed} failed, ${m.missing} missing of ${m.eligible}`}>
                  <div className="bg-arena-win" style={{ width: `${(100 * m.computed) / Math.max(1, m.eligible)}%` }} />
                  <div className="bg-arena-danger" style={{ width: `${(100 * m.failed) / Math.max(1, m.eligible)}%` }} />
                </div>
                <p className="text-xs text-arena-muted tabular" data-testid="metric-counts">
                  {done}/{m.eligible} outputs: {m.computed} computed, {m.failed} failed, {m.missing} missing
                  {m.tracks ? ` · ${m.tracks.map((t) => (t === "text" ? "Text → 3D" : "Image → 3D")).join(", ")} only` : ""}
                </p>
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs">
                <dt className="text-arena-muted">Needs</dt>
                <dd>{m.needs.join(", ")}</dd>
                <dt className="text-arena-muted">Scores</dt>
                <dd>{m.scores.map((s) => `${s.label} (${s.higherIsBetter ? "higher" : "lower"} is better; missing counts ${s.penalty === "zero" ? "0" : "as excluded"})`).join("; ")}</dd>
              </dl>
              {m.definition && (
                <details className="text-xs">
                  <summary className="cursor-pointer text-arena-muted">Definition stored with every score</summary>
                  <pre className="mt-2 overflow-auto whitespace-pre-wrap font-mono">{JSON.stringify(m.definition, null, 2)}</pre>
                </details>
              )}
            </div>
          </Panel>
        );
      })}
    </div>
  );
}
