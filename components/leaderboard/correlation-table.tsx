import type { MetricCorrelation } from "@/lib/contracts";
import { BOOTSTRAP_REPLICATES, MIN_MODELS } from "@/lib/math/rank-correlation";

/** "Spearman ρ = 0.83, 95% CI 0.41 – 0.97 (n = 8)", or the reason there is no figure. */
export function rhoText(c: MetricCorrelation): string {
  if (c.rho === null) return `Spearman ρ: ${c.note}`;
  const ci = c.ciLow !== null && c.ciHigh !== null ? `, 95% CI ${c.ciLow.toFixed(2)} – ${c.ciHigh.toFixed(2)}` : ` (${c.note})`;
  return `Spearman ρ = ${c.rho.toFixed(2)}${ci} (n = ${c.n})`;
}

/** Every metric against human Elo on the main board, one row each; unavailable metrics say why. */
export function CorrelationTable({ correlations }: { correlations: MetricCorrelation[] }) {
  return (
    <figure className="min-w-0 rounded-2xl border border-arena-border bg-arena-panel p-4" data-testid="correlation-table">
      <figcaption className="mb-3">
        <p className="font-semibold">Automated metrics vs human Elo</p>
        <p className="text-xs text-arena-muted">
          Spearman rank correlation over the main board&apos;s models, with a 95% bootstrap interval ({BOOTSTRAP_REPLICATES.toLocaleString("en-US")}{" "}
          resamples of models, fixed seed). Fewer than {MIN_MODELS} models: no figure. For lower-is-better metrics (↓) agreement with
          people shows as a negative ρ.
        </p>
      </figcaption>
      <div className="relative overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <thead>
            <tr className="border-b border-arena-border text-left text-[11px] tracking-wider text-arena-muted uppercase">
              <th scope="col" className="py-2 pr-3 font-semibold">Metric</th>
              <th scope="col" className="py-2 pr-3 text-right font-semibold normal-case">ρ</th>
              <th scope="col" className="py-2 pr-3 font-semibold">95% CI</th>
              <th scope="col" className="py-2 text-right font-semibold">n</th>
            </tr>
          </thead>
          <tbody>
            {correlations.map((c) => (
              <tr key={c.column} className="border-b border-arena-border/60 last:border-b-0" data-testid="correlation-row" data-column={c.column} data-rho={c.rho ?? undefined}>
                <th scope="row" className="py-2 pr-3 text-left font-normal">
                  {c.label} <span className="text-arena-muted">{c.higherIsBetter ? "↑" : "↓"}</span>
                  <span className="block text-[11px] text-arena-muted">{c.mean} mean</span>
                </th>
                {c.rho === null ? (
                  <td colSpan={3} className="py-2 break-words text-arena-muted" data-testid="correlation-note">
                    {c.note}
                  </td>
                ) : (
                  <>
                    <td className="py-2 pr-3 text-right font-semibold tabular">{c.rho.toFixed(2)}</td>
                    <td className="py-2 pr-3 tabular">
                      {c.ciLow !== null && c.ciHigh !== null ? (
                        <span className="whitespace-nowrap">{`${c.ciLow.toFixed(2)} – ${c.ciHigh.toFixed(2)}`}</span>
                      ) : (
                        <span className="text-arena-muted">{c.note}</span>
                      )}
                    </td>
                    <td className="py-2 text-right tabular">{c.n}</td>
                  </>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
