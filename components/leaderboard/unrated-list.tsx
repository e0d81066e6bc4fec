import Link from "next/link";
import type { UnratedEntry } from "@/lib/contracts";

/** "12–0" plus ties and both-bad when there are any. */
export function formatRecord(u: Pick<UnratedEntry, "wins" | "losses" | "ties" | "bothBad">): string {
  const extra = [u.ties ? `${u.ties} tie${u.ties === 1 ? "" : "s"}` : null, u.bothBad ? `${u.bothBad} both bad` : null].filter(Boolean);
  return `${u.wins}–${u.losses}${extra.length ? `, ${extra.join(", ")}` : ""}`;
}

export function formatBound(bound: NonNullable<UnratedEntry["bound"]>): string {
  const gap = Math.round(Math.abs(bound.elo));
  return bound.side === "above" ? `at least +${gap} over its opponents` : `at least ${gap} below its opponents`;
}

/** Models with votes but no identified rating: record, what is missing, and an exact one-sided bound where it says anything. */
export function UnratedList({ unrated, minBoardVotes }: { unrated: UnratedEntry[]; minBoardVotes: number }) {
  return (
    <section aria-labelledby="unrated-heading" className="flex flex-col gap-2" data-testid="unrated-list">
      <div>
        <h2 id="unrated-heading" className="text-lg font-semibold tracking-tight">
          Needs more votes
        </h2>
        <p className="text-sm text-arena-muted">
          Not ranked and not part of any board&apos;s scale: the votes so far do not pin down a rating. A model is rated once it has
          both won and lost (a tie counts both ways) within a group of models, with at least {minBoardVotes} votes there.
        </p>
      </div>
      <div className="overflow-x-auto rounded-2xl border border-dashed border-arena-border bg-arena-panel/60">
        <table className="w-full min-w-[640px] border-collapse text-sm">
          <thead>
            <tr className="border-b border-arena-border text-[11px] tracking-wider text-arena-muted uppercase">
              <th scope="col" className="px-3 py-2.5 text-left font-semibold">Model</th>
              <th scope="col" className="px-3 py-2.5 text-right font-semibold" title="Wins–losses, then ties and both-bad">Record</th>
              <th scope="col" className="px-3 py-2.5 text-right font-semibold">Votes</th>
              <th scope="col" className="px-3 py-2.5 text-left font-semibold">What is missing</th>
              <th scope="col" className="px-3 py-2.5 text-left font-semibold" title="Exact binomial (Clopper–Pearson) bound for an all-wins or all-losses record">
                One-sided 95% bound
              </th>
            </tr>
          </thead>
          <tbody>
            {unrated.map((u) => (
              <tr key={u.model} className="border-b border-arena-border/60 last:border-b-0" data-testid="unrated-row" data-model={u.model} data-reason={u.reason}>
                <th scope="row" className="px-3 py-2.5 text-left font-normal">
                  <Link prefetch={false} href={`/models/${u.model}`} className="font-semibold hover:text-arena-accent hover:underline">
                    {u.displayName}
                  </Link>
                  <div className="truncate text-xs text-arena-muted">{u.organisation}</div>
                </th>
                <td className="px-3 py-2.5 text-right tabular">{formatRecord(u)}</td>
                <td className="px-3 py-2.5 text-right tabular">{u.votes.toLocaleString("en-US")}</td>
                <td className="px-3 py-2.5 text-left" data-testid="unrated-missing">
                  {u.missing}
                </td>
                <td className="px-3 py-2.5 text-left text-arena-muted" data-testid="unrated-bound">
                  {u.bound ? (
                    <span title={`Wins at least ${(100 * u.bound.winProbability).toFixed(1)}% of such battles, with ${Math.round(100 * u.bound.confidence)}% confidence`}>
                      {formatBound(u.bound)}
                    </span>
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
