import type { TrackMetrics } from "@/lib/leaderboard/model-profile";
import type { LeaderboardMetric } from "@/lib/contracts";
import { formatChamfer, formatPercent, formatUsd } from "@/components/ui/format";

const TRACK_LABEL = { text: "Text → 3D", image: "Image → 3D" } as const;

function fmt(value: number | null, digits = 0): string {
  return value === null ? "—" : value.toLocaleString("en-US", { maximumFractionDigits: digits });
}

const score = (v: number | null | undefined) => (v == null ? "—" : v.toFixed(3));

export function MetricCards({ metrics, registry = [] }: { metrics: TrackMetrics[]; registry?: LeaderboardMetric[] }) {
  const available = registry.filter((m) => m.available);
  const unavailable = registry.filter((m) => !m.available);
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {metrics.map((m) => (
        <div key={m.track} className="rounded-2xl border border-arena-border bg-arena-panel p-4" data-testid={`model-metrics-${m.track}`}>
          <div className="flex items-baseline justify-between">
            <h3 className="font-semibold">{TRACK_LABEL[m.track]}</h3>
            <span className="text-xs text-arena-muted">
              {m.generations} {m.generations === 1 ? "generation" : "generations"}
            </span>
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm sm:grid-cols-4">
            <Stat label="Exec rate" value={formatPercent(m.execRate)} />
            <Stat label="Chamfer ↓ (penalised)" value={formatChamfer(m.chamfer)} title="The benchmark's penalised mean: an output without a score counts 1.5 × the worst scored one" />
            <Stat label="Chamfer (conditional)" value={formatChamfer(m.chamferConditional)} title="Mean over the outputs that have a score" />
            <Stat
              label="Chamfer, best turn"
              value={`${formatChamfer(m.chamferRotMin)} / ${formatChamfer(m.chamferRotMinConditional)}`}
              title={`The benchmark's rotation search (about a horizontal axis), penalised / conditional; about the vertical (conditional): ${formatChamfer(m.chamferRotMinVertical)}`}
            />
            <Stat label="Cost / query" value={formatUsd(m.costPerQuery, "free")} />
            <Stat label="Tokens / query" value={fmt(m.tokensPerQuery)} />
            <Stat label="Faces (mean)" value={fmt(m.meanFaces)} />
            <Stat label="Parts (mean)" value={fmt(m.meanParts, 1)} />
            <Stat label="Parts float apart" value={formatPercent(m.floatApart)} title="Share of executed outputs with a gap between parts over 2% of the object's size" />
            {available.flatMap((r) =>
              r.scores.map((s) => {
                const cell = m.registry[s.column];
                return (
                  <Stat
                    key={s.column}
                    testId="model-registry-metric"
                    label={`${s.label} ${s.higherIsBetter ? "↑" : "↓"}`}
                    value={s.penalty === "zero" ? `${score(cell?.penalised)} / ${score(cell?.conditional)}` : score(cell?.conditional)}
                    title={`${r.label} (${r.id}, version ${r.version}): ${s.penalty === "zero" ? "penalised / conditional mean" : "conditional mean"}${cell ? `; ${cell.scored} of ${cell.outputs} outputs scored` : "; no scored output yet"}`}
                  />
                );
              }),
            )}
          </dl>
          {m.statuses.length > 0 && (
            <p className="mt-3 flex flex-wrap gap-1.5 text-[11px]">
              {m.statuses.map((s) => (
                <span
                  key={s.status}
                  className={`rounded-full border px-2 py-px font-mono ${s.status === "OK" ? "border-arena-win/30 text-arena-win" : s.status === "pending" ? "border-arena-border text-arena-muted" : "border-arena-danger/30 text-arena-danger"}`}
                >
                  {s.status} × {s.count}
                </span>
              ))}
            </p>
          )}
        </div>
      ))}
      {unavailable.length > 0 && (
        <ul className="text-xs text-arena-muted md:col-span-2">
          {unavailable.map((r) => (
            <li key={r.id} data-testid="model-metric-unavailable" className="break-words">
              <span className="font-semibold text-arena-text/80">{r.label}</span> unavailable: {r.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Stat({ label, value, title, testId }: { label: string; value: string; title?: string; testId?: string }) {
  return (
    <div title={title} data-testid={testId}>
      <dt className="text-[11px] tracking-wide text-arena-muted uppercase">{label}</dt>
      <dd className="font-semibold tabular">{value}</dd>
    </div>
  );
}
