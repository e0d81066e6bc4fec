import Link from "next/link";
import { describeScope, scopeKey } from "@/lib/ratings/scope";
import type { NeighbourOrder, ScopeRating, ScopeUnrated } from "@/lib/leaderboard/model-profile";
import { hrefFor } from "@/components/leaderboard/leaderboard-url";
import { formatElo } from "@/components/ui/format";
import { formatProbability, settleText } from "@/components/leaderboard/rank-confidence";
import { formatBound, formatRecord } from "@/components/leaderboard/unrated-list";

function Order({ order, side }: { order: NeighbourOrder; side: "above" | "below" }) {
  const text = side === "below" ? `above ${order.displayName}` : `below ${order.displayName}`;
  const state = order.votesToSettle === 0 ? "settled" : order.votesToSettle === null ? "tie" : "open";
  return (
    <div title={`${formatProbability(order.probability)} sure it is ${text}: ${settleText(order)}`} data-testid="model-order" data-side={side} data-state={state}>
      <span className={state === "settled" ? "text-arena-win" : state === "tie" ? "text-arena-muted" : "text-arena-warn"}>
        {formatProbability(order.probability)}
      </span>{" "}
      <span className="text-arena-muted">{text}</span>
      {state !== "settled" && (
        <span className="block text-[11px] text-arena-muted">
          {order.votesToSettle === null ? "near tie" : `~${order.votesToSettle.toLocaleString("en-US")} votes to settle`}
        </span>
      )}
    </div>
  );
}

function ScopeLink({ scope }: { scope: ScopeRating["scope"] }) {
  return (
    <Link href={hrefFor({ scope, sort: "elo", dir: "desc" }, {})} className="first-letter:uppercase hover:text-arena-accent hover:underline">
      {describeScope(scope)}
    </Link>
  );
}

export function RatingTable({ ratings }: { ratings: ScopeRating[] }) {
  return (
    <div className="overflow-x-auto rounded-2xl border border-arena-border bg-arena-panel">
      <table className="w-full min-w-[720px] border-collapse text-sm" data-testid="model-ratings">
        <thead>
          <tr className="border-b border-arena-border text-[11px] tracking-wider text-arena-muted uppercase">
            <th scope="col" className="px-3 py-2.5 text-left font-semibold">Scope</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Elo</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">95% CI</th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Rank</th>
            <th scope="col" className="px-3 py-2.5 text-left font-semibold" title="How sure its order is against the models just above and below it on its board">
              Rank confidence
            </th>
            <th scope="col" className="px-3 py-2.5 text-right font-semibold">Votes</th>
          </tr>
        </thead>
        <tbody>
          {ratings.map((r) => (
            <tr key={scopeKey(r.scope)} className="border-b border-arena-border/60 last:border-b-0" data-testid="model-rating-row" data-scope={scopeKey(r.scope)}>
              <th scope="row" className="px-3 py-2.5 text-left font-normal">
                <ScopeLink scope={r.scope} />
                {r.provisional && (
                  <span className="ml-2 rounded-full border border-arena-warn/40 bg-arena-warn/10 px-1.5 py-px text-[10px] font-medium tracking-wide text-arena-warn uppercase">
                    provisional
                  </span>
                )}
                {r.board > 0 && (
                  <span className="ml-2 text-xs text-arena-warn" title="Rated within a group that no vote links to the main board yet">
                    group {r.board + 1}
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
              <td className="px-3 py-2.5 text-left text-xs tabular">
                {r.above && <Order order={r.above} side="above" />}
                {r.below && <Order order={r.below} side="below" />}
                {!r.above && !r.below && <span className="text-arena-muted">—</span>}
              </td>
              <td className="px-3 py-2.5 text-right tabular">{r.votes.toLocaleString("en-US")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Scopes where the model has votes but no rating yet, with what is missing. */
export function UnratedScopes({ unrated }: { unrated: ScopeUnrated[] }) {
  return (
    <ul className="flex flex-col gap-1.5 rounded-2xl border border-dashed border-arena-border bg-arena-panel/60 px-4 py-3 text-sm" data-testid="model-unrated">
      {unrated.map((u) => (
        <li key={scopeKey(u.scope)} data-testid="model-unrated-row" data-scope={scopeKey(u.scope)}>
          <ScopeLink scope={u.scope} />: <span className="font-medium">needs more votes</span> — {u.missing} ({formatRecord(u)} in {u.votes} vote
          {u.votes === 1 ? "" : "s"}){u.bound ? `; ${formatBound(u.bound)} (one-sided 95%)` : ""}.
        </li>
      ))}
    </ul>
  );
}
