import Link from "next/link";
import { describeScope, scopeKey } from "@/lib/ratings/scope";
import type { ScopeRating } from "@/lib/services/model-profile";
import { hrefFor } from "@/components/leaderboard/leaderboard-url";
import { formatElo } from "@/components/leaderboard/format";

export function RatingTable({ ratings }: { ratings: ScopeRating[] }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-arena-border bg-arena-panel">
      <table className="w-full min-w-[560px] border-collapse text-sm" data-testid="model-ratings">
        <thead>
          <tr className="border-b border-arena-border text-[11px] tracking-wider text-arena-muted uppercase">
            <th scope="col" className="px-3 py-2.5 text-left font-semibold">Scope</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Elo</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">95% CI</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Rank</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Votes</th>
          </tr>
        </thead>
        <tbody>
          {ratings.map((r) => (
            <tr key={scopeKey(r.scope)} className="border-b border-arena-border/60 last:border-b-0" data-testid="model-rating-row" data-scope={scopeKey(r.scope)}>
              <th scope="row" className="px-3 py-2.5 text-left font-normal">
                <Link
                  href={hrefFor({ scope: r.scope, sort: "elo", dir: "desc" }, {})}
                  className="first-letter:uppercase hover:text-arena-accent hover:underline"
                >
                  {describeScope(r.scope)}
                </Link>
                {r.provisional && (
                  <span className="ml-2 rounded-full border border-arena-warn/40 bg-arena-warn/10 px-1.5 py-px text-[10px] font-medium tracking-wide text-arena-warn uppercase">
                    provisional
                  </span>
                )}
              </th>
              <td className="px-3 py-2.5 text-right font-semibold tabular">{formatElo(r.elo)}</td>
              <td className="px-3 py-2.5 text-right text-arena-muted tabular">
                {formatElo(r.ciLow)}–{formatElo(r.ciHigh)}
              </td>
              <td className="px-3 py-2.5 text-right tabular">
                {r.rank} <span className="text-arena-muted">of {r.of}</span>
              </td>
              <td className="px-3 py-2.5 text-right tabular">{r.votes.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
