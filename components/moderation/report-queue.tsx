"use client";

import { useState } from "react";
import type { HiddenFromQueue, ReportedOutput } from "@/lib/moderation/moderation";
import { ModelViewer } from "@/components/viewer/model-viewer";
import { useModerationAction } from "./use-moderation-action";

const REASON = { broken: "broken", offensive: "offensive", not_prompt: "not the prompt" } as Record<string, string>;

function when(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/**
 * Open reports, one card per output with what a decision needs: the prompt, the four views, the
 * model in 3D on demand, how many reports and when. Hiding asks for confirmation; outputs hidden
 * from here in the last day are listed below with an undo.
 */
export function ReportQueue({ items, hidden, isAdmin }: { items: ReportedOutput[]; hidden: HiddenFromQueue[]; isAdmin: boolean }) {
  const { run, pending, error } = useModerationAction();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [viewing, setViewing] = useState<string | null>(null);
  return (
    <section aria-labelledby="reports-heading" className="flex min-w-0 flex-col gap-3" data-testid="report-queue">
      <h2 id="reports-heading" className="text-lg font-semibold tracking-tight">
        Reported outputs <span className="text-sm font-normal text-arena-muted">({items.length} open)</span>
      </h2>
      {error && (
        <p role="alert" className="text-sm text-arena-danger">
          {error}
        </p>
      )}
      {items.length === 0 ? (
        <p className="text-sm text-arena-muted">No open reports.</p>
      ) : (
        <ul className="grid gap-3 lg:grid-cols-2">
          {items.map((r) => (
            <li key={r.generationId} className="flex min-w-0 flex-col gap-2 rounded-xl border border-arena-border bg-arena-panel p-3 text-sm" data-testid="report-item" data-generation={r.generationId}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1">
                <span className="min-w-0 font-medium break-words">
                  {r.model} · {r.category} · {r.track === "text" ? "Text → 3D" : "Image → 3D"}
                </span>
                <span className="text-xs text-arena-muted" data-testid="report-when">
                  {r.reportIds.length} report{r.reportIds.length === 1 ? "" : "s"} · first {when(r.firstAt)}
                  {r.reportIds.length > 1 ? ` · last ${when(r.lastAt)}` : ""}
                </span>
              </div>
              <p className="line-clamp-3 text-xs text-arena-muted" title={r.prompt} data-testid="report-prompt">
                <span className="font-medium text-arena-text">Prompt:</span> {r.prompt}
              </p>
              {viewing === r.generationId && r.glbUrl ? (
                <div className="viewer-backdrop relative h-64 overflow-hidden rounded-lg">
                  <ModelViewer url={r.glbUrl} label={`${r.model} on ${r.category}`} viewerId="moderation" testId="report-viewer" className="absolute inset-0" />
                </div>
              ) : (
                <div className="grid gap-1.5" style={{ gridTemplateColumns: `repeat(${Math.min(Math.max(r.imageUrls.length, 1), 4)}, minmax(0, 1fr))` }} data-testid="report-views">
                  {r.imageUrls.map((u, k) => (
                    <div key={u} className="aspect-square overflow-hidden rounded-md bg-arena-raised">
                      <img src={u} alt={`${r.model} on ${r.category}, view ${k + 1}`} className="h-full w-full object-contain" loading="lazy" />
                    </div>
                  ))}
                </div>
              )}
              <div className="flex flex-wrap gap-1 text-xs">
                {r.reasons.map((x) => (
                  <span key={x.reason} className="rounded-full border border-arena-warn/40 px-2 py-px text-arena-warn">
                    {REASON[x.reason] ?? x.reason} × {x.count}
                  </span>
                ))}
              </div>
              {r.notes.slice(0, 3).map((n, i) => (
                <p key={i} className="text-xs break-words text-arena-muted">
                  “{n}”
                </p>
              ))}
              <div className="mt-auto flex flex-wrap items-center gap-2 pt-1">
                {confirming === r.generationId ? (
                  <>
                    <span className="text-xs">Hide this output from every battle?</span>
                    <button
                      type="button"
                      disabled={pending !== null}
                      onClick={() => run(r.generationId, `/api/moderation/outputs/${r.generationId}`, "hide").then(() => setConfirming(null))}
                      className="rounded-md bg-arena-danger/30 px-2.5 py-1 text-xs font-medium text-arena-danger hover:bg-arena-danger/40 disabled:opacity-50"
                      data-testid="report-hide-confirm"
                    >
                      Yes, hide it
                    </button>
                    <button type="button" onClick={() => setConfirming(null)} className="rounded-md border border-arena-border px-2.5 py-1 text-xs text-arena-muted hover:text-arena-text">
                      Cancel
                    </button>
                  </>
                ) : (
                  <>
                    <button
                      type="button"
                      disabled={pending !== null}
                      onClick={() => setConfirming(r.generationId)}
                      className="rounded-md bg-arena-danger/20 px-2.5 py-1 text-xs font-medium text-arena-danger hover:bg-arena-danger/30 disabled:opacity-50"
                      data-testid="report-hide"
                    >
                      Hide output…
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
                    {r.glbUrl && (
                      <button
                        type="button"
                        onClick={() => setViewing(viewing === r.generationId ? null : r.generationId)}
                        className="rounded-md border border-arena-border px-2.5 py-1 text-xs text-arena-muted hover:text-arena-text"
                        data-testid="report-view-3d"
                      >
                        {viewing === r.generationId ? "Show the views" : "View in 3D"}
                      </button>
                    )}
                    {isAdmin && (
                      <a href={`/admin/generations/${encodeURIComponent(r.generationId)}`} className="text-xs text-arena-accent hover:underline" data-testid="report-generation-link">
                        Generation ↗
                      </a>
                    )}
                  </>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      {hidden.length > 0 && (
        <div className="flex flex-col gap-2" data-testid="recently-hidden">
          <h3 className="text-sm font-semibold">Hidden from this queue in the last day</h3>
          <ul className="flex flex-col gap-1.5">
            {hidden.map((h) => (
              <li key={h.generationId} className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg border border-arena-border px-3 py-2 text-xs" data-testid="hidden-item" data-generation={h.generationId}>
                <span className="min-w-0 font-medium break-words">
                  {h.model} · {h.category}
                </span>
                <span className="text-arena-muted">
                  hidden {when(h.hiddenAt)}
                  {h.hiddenBy ? ` by ${h.hiddenBy}` : ""}
                </span>
                <button
                  type="button"
                  disabled={pending !== null}
                  onClick={() => run(h.generationId, `/api/moderation/outputs/${h.generationId}`, "unhide")}
                  className="ml-auto rounded-md border border-arena-border px-2.5 py-1 text-arena-muted hover:text-arena-text disabled:opacity-50"
                  data-testid="hidden-undo"
                >
                  Undo
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
