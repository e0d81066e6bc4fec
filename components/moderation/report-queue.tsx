"use client";

import type { ReportedOutput } from "@/lib/moderation/moderation";
import { useModerationAction } from "./use-moderation-action";

const REASON = { broken: "broken", offensive: "offensive", not_prompt: "not the prompt" } as Record<string, string>;

export function ReportQueue({ items }: { items: ReportedOutput[] }) {
  const { run, pending, error } = useModerationAction();
  return (
    <section aria-labelledby="reports-heading" className="flex flex-col gap-3" data-testid="report-queue">
      <h2 id="reports-heading" className="text-lg font-semibold tracking-tight">
        Reported outputs <span className="text-sm font-normal text-arena-muted">({items.length} open)</span>
      </h2>
      {error && <p role="alert" className="text-sm text-arena-danger">{error}</p>}
      {items.length === 0 ? (
        <p className="text-sm text-arena-muted">No open reports.</p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {items.map((r) => (
            <li key={r.generationId} className="flex gap-3 rounded-xl border border-arena-border bg-arena-panel p-3" data-testid="report-item" data-generation={r.generationId}>
              <div className="h-24 w-24 shrink-0 overflow-hidden rounded-lg bg-arena-raised">
                {r.imageUrl && <img src={r.imageUrl} alt={`${r.model} on ${r.category}`} className="h-full w-full object-contain" />}
              </div>
              <div className="flex min-w-0 flex-1 flex-col gap-1 text-sm">
                <div className="truncate font-medium">
                  {r.model} · {r.category} · {r.track}
                </div>
                <div className="flex flex-wrap gap-1 text-xs">
                  {r.reasons.map((x) => (
                    <span key={x.reason} className="rounded-full border border-arena-warn/40 px-2 py-px text-arena-warn">
                      {REASON[x.reason] ?? x.reason} × {x.count}
                    </span>
                  ))}
                </div>
                {r.notes.slice(0, 2).map((n, i) => (
                  <p key={i} className="truncate text-xs text-arena-muted" title={n}>
                    “{n}”
                  </p>
                ))}
                <div className="mt-auto flex gap-2 pt-1">
                  <button
                    type="button"
                    disabled={pending !== null}
                    onClick={() => run(r.generationId, `/api/moderation/outputs/${r.generationId}`, "hide")}
                    className="rounded-md bg-arena-danger/20 px-2.5 py-1 text-xs font-medium text-arena-danger hover:bg-arena-danger/30 disabled:opacity-50"
                    data-testid="report-hide"
                  >
                    Hide output
                  </button>
                  <button
                    type="button"
                    disabled={pending !== null}
                    onClick={() => run(r.generationId, `/api/moderation/outputs/${r.generationId}`, "dismiss")}
                    className="rounded-md border border-arena-border px-2.5 py-1 text-xs text-arena-muted hover:text-arena-text disabled:opacity-50"
                    data-testid="report-dismiss"
                  >
                    Dismiss
                  </button>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
