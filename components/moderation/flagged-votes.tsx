"use client";

import type { FlaggedVote } from "@/lib/moderation/moderation";
import { useModerationAction } from "./use-moderation-action";

export function FlaggedVotes({ votes, total }: { votes: FlaggedVote[]; total: number }) {
  const { run, pending, error } = useModerationAction();
  return (
    <section aria-labelledby="flags-heading" className="flex min-w-0 flex-col gap-3" data-testid="flagged-votes">
      <h2 id="flags-heading" className="text-lg font-semibold tracking-tight">
        Flagged votes <span className="text-sm font-normal text-arena-muted">({total})</span>
      </h2>
      {error && <p role="alert" className="text-sm text-arena-danger">{error}</p>}
      {votes.length === 0 ? (
        <p className="text-sm text-arena-muted">No flagged votes.</p>
      ) : (
        <div className="overflow-x-auto rounded-2xl border border-arena-border bg-arena-panel">
          <table className="w-full min-w-[900px] text-sm">
            <thead>
              <tr className="border-b border-arena-border text-left text-[11px] tracking-wider text-arena-muted uppercase">
                <th className="px-3 py-2">When</th>
                <th className="px-3 py-2">Voter</th>
                <th className="px-3 py-2">Battle</th>
                <th className="px-3 py-2">Reason</th>
                <th className="px-3 py-2">Status</th>
                <th className="px-3 py-2" />
              </tr>
            </thead>
            <tbody>
              {votes.map((v) => (
                <tr key={v.id} className="border-b border-arena-border/60 last:border-0" data-testid="flagged-vote" data-vote={v.id} data-valid={String(v.valid)}>
                  <td className="px-3 py-2 whitespace-nowrap text-arena-muted">{v.createdAt.replace("T", " ").slice(0, 19)}</td>
                  <td className="px-3 py-2 font-mono text-xs">{v.voter}</td>
                  <td className="px-3 py-2">
                    {v.models[0]} vs {v.models[1]} → <b>{v.outcome}</b>
                    <div className="text-xs text-arena-muted">{v.category}</div>
                  </td>
                  <td className="max-w-md px-3 py-2">
                    {v.rule && <span className="mr-1 rounded bg-arena-raised px-1.5 py-px font-mono text-[11px]">{v.rule}</span>}
                    <span className="text-arena-text/80">{v.reason ?? "—"}</span>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    {v.valid ? <span className="text-arena-win">counted</span> : <span className="text-arena-danger">excluded</span>}
                    {v.reviewedBy && <div className="text-xs text-arena-muted">reviewed by {v.reviewedBy}</div>}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">
                    <button
                      type="button"
                      disabled={pending !== null || v.valid}
                      onClick={() => run(v.id, `/api/moderation/votes/${v.id}`, "count")}
                      className="mr-2 rounded-md border border-arena-border px-2 py-1 text-xs hover:border-arena-win disabled:opacity-40"
                      data-testid="vote-count"
                    >
                      Count it
                    </button>
                    <button
                      type="button"
                      disabled={pending !== null || (!v.valid && v.reviewedBy !== null)}
                      onClick={() => run(v.id, `/api/moderation/votes/${v.id}`, "exclude")}
                      className="rounded-md border border-arena-border px-2 py-1 text-xs hover:border-arena-danger disabled:opacity-40"
                      data-testid="vote-exclude"
                    >
                      Keep excluded
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
