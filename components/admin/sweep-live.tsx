"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState } from "react";
import type { SweepLive } from "@/lib/sweeps/live";
import { BUTTON, BUTTON_DANGER, BUTTON_QUIET, INPUT, Panel } from "./panel";
import { ProgressBar } from "./progress-bar";
import { QueueTable } from "./queue-table";
import { StatusBadge } from "./status-badge";
import { formatDuration, formatUsd } from "@/components/ui/format";
import { useAdminAction } from "./use-admin-action";
import { ALL_STATUSES } from "@/lib/generations/status";

const POLL_MS = 2000;

/** The live sweep page: polls the sweep's JSON every 2 s, so nobody has to reload. */
export function SweepLiveView({ initial }: { initial: SweepLive }) {
  const [data, setData] = useState(initial);
  const [filters, setFilters] = useState({ status: "", model: "", track: "" });
  const [stale, setStale] = useState(false);
  const { run, pending, error } = useAdminAction();
  const filtersRef = useRef(filters);
  filtersRef.current = filters;

  const load = useCallback(async () => {
    const q = new URLSearchParams(Object.entries(filtersRef.current).filter(([, v]) => v));
    try {
      const res = await fetch(`/api/admin/sweeps/${initial.id}?${q}`, { cache: "no-store" });
      if (!res.ok) throw new Error(String(res.status));
      setData((await res.json()) as SweepLive);
      setStale(false);
    } catch {
      setStale(true);
    }
  }, [initial.id]);

  useEffect(() => {
    const id = setInterval(() => {
      if (document.visibilityState === "visible") void load();
    }, POLL_MS);
    return () => clearInterval(id);
  }, [load]);
  useEffect(() => {
    void load();
  }, [filters, load]);

  const act = async (action: string) => {
    if (action === "cancel" && !window.confirm("Cancel this sweep? Open generations are marked failed.")) return;
    await run(action, `/api/admin/sweeps/${data.id}`, { action }, "POST", false);
    await load();
  };
  const failed = data.byStatus.failed ?? 0;
  const pct = data.total ? Math.round((100 * data.done) / data.total) : 100;

  return (
    <div className="flex flex-col gap-4" data-testid="sweep-live" data-status={data.status} data-done={data.done} data-total={data.total}>
      <header className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <div className="flex items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight">{data.name}</h1>
            <StatusBadge status={data.status} testId="sweep-status" />
          </div>
          <p className="mt-1 text-sm text-arena-muted">
            {data.models.join(", ")} · started {data.createdAt.slice(0, 16).replace("T", " ")} UTC{data.createdBy ? ` by ${data.createdBy}` : ""}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span className={`text-xs ${stale ? "text-arena-warn" : "text-arena-muted"}`} data-testid="sweep-live-indicator">
            {stale ? "Connection lost, retrying…" : "Live · every 2 s"}
          </span>
          {data.status === "running" && (
            <button type="button" className={BUTTON_QUIET} disabled={pending !== null} onClick={() => act("pause")} data-testid="sweep-pause">
              Pause
            </button>
          )}
          {data.status === "paused" && (
            <button type="button" className={BUTTON} disabled={pending !== null} onClick={() => act("resume")} data-testid="sweep-resume">
              Resume
            </button>
          )}
          {(data.status === "running" || data.status === "paused") && (
            <button type="button" className={BUTTON_DANGER} disabled={pending !== null} onClick={() => act("cancel")} data-testid="sweep-cancel">
              Cancel
            </button>
          )}
          {failed > 0 && (
            <button type="button" className={BUTTON} disabled={pending !== null} onClick={() => act("retry")} data-testid="sweep-retry">
              Retry {failed} failed
            </button>
          )}
        </div>
      </header>
      {error && (
        <p role="alert" className="text-sm text-arena-danger" data-testid="sweep-action-error">
          {error}
        </p>
      )}

      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title={`Progress · ${data.done}/${data.total} (${pct}%)`} testId="sweep-progress">
          <ProgressBar byStatus={data.byStatus} total={data.total} />
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm tabular">
            <dt className="text-arena-muted">ETA</dt>
            <dd data-testid="sweep-eta">{data.status === "completed" ? "done" : data.etaSeconds === null ? "—" : formatDuration(data.etaSeconds)}</dd>
            <dt className="text-arena-muted">Rate</dt>
            <dd>{data.ratePerMin === null ? "—" : `${data.ratePerMin.toFixed(1)} / min`}</dd>
            <dt className="text-arena-muted">Model calls</dt>
            <dd>
              {data.calls}
              {data.plannedCalls !== null ? ` of ≤ ${data.plannedCalls}` : ""}
            </dd>
            {data.promptSet && (
              <>
                <dt className="text-arena-muted">Prompt set</dt>
                <dd className="truncate" title={data.promptSet.id} data-testid="sweep-prompt-set" data-id={data.promptSet.id}>
                  {data.promptSet.label}
                </dd>
              </>
            )}
          </dl>
        </Panel>
        <Panel title="Spend" testId="sweep-spend">
          <div className="text-2xl font-semibold tabular" data-testid="sweep-spent" data-usd={data.spentUsd}>
            {formatUsd(data.spentUsd)}
          </div>
          <p className="text-sm text-arena-muted">
            {data.estimatedCostUsd === null ? "no estimate (imported or started outside the console)" : `of ${formatUsd(data.estimatedCostUsd)} estimated`}
          </p>
          {data.estimatedCostUsd ? (
            <div className="h-1.5 overflow-hidden rounded-full bg-arena-raised">
              <div
                className={data.spentUsd > data.estimatedCostUsd ? "h-full bg-arena-warn" : "h-full bg-arena-accent"}
                style={{ width: `${Math.min(100, (100 * data.spentUsd) / data.estimatedCostUsd)}%` }}
              />
            </div>
          ) : null}
        </Panel>
        <Panel title="Queue health">
          <QueueTable queues={data.queues} />
        </Panel>
      </div>

      <div className="grid gap-4 lg:grid-cols-3">
        <Panel title="Executions by status" testId="sweep-exec">
          <Counts counts={data.byExecStatus} empty="Nothing executed yet." />
        </Panel>
        <Panel title="Failures by taxonomy group" testId="sweep-failures">
          <Counts counts={data.byFailureGroup} empty="No failures." />
        </Panel>
        <Panel title="Status mismatches (imported)" testId="sweep-mismatches">
          {data.mismatches.length === 0 ? (
            <p className="text-sm text-arena-muted">None.</p>
          ) : (
            <ul className="flex flex-col gap-1 text-xs">
              {data.mismatches.map((m) => (
                <li key={m.id}>
                  <Link prefetch={false} href={`/admin/generations/${m.id}`} className="text-arena-accent hover:underline">
                    {m.category} · {m.track}
                  </Link>{" "}
                  log said {m.importedStatus ?? "?"}, we got {m.execStatus ?? "?"}
                </li>
              ))}
            </ul>
          )}
        </Panel>
      </div>

      <Panel title="Generations" testId="sweep-generations">
        <div className="flex flex-wrap gap-2 text-sm">
          <select value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value })} className={INPUT} data-testid="filter-status">
            <option value="">any status</option>
            {ALL_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
          <select value={filters.model} onChange={(e) => setFilters({ ...filters, model: e.target.value })} className={INPUT} data-testid="filter-model">
            <option value="">any model</option>
            {data.models.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
          <select value={filters.track} onChange={(e) => setFilters({ ...filters, track: e.target.value })} className={INPUT} data-testid="filter-track">
            <option value="">any track</option>
            <option value="text">text</option>
            <option value="image">image</option>
          </select>
        </div>
        <div className="overflow-x-auto">
          <table className="w-full text-sm tabular">
            <thead className="text-left text-xs text-arena-muted">
              <tr>
                <th className="py-1 pr-3 font-medium">Model</th>
                <th className="py-1 pr-3 font-medium">Category</th>
                <th className="py-1 pr-3 font-medium">Track</th>
                <th className="py-1 pr-3 font-medium">Status</th>
                <th className="py-1 pr-3 font-medium">Exec</th>
                <th className="py-1 pr-3 text-right font-medium">Attempts</th>
                <th className="py-1 pr-3 text-right font-medium">Cost</th>
                <th className="py-1 text-right font-medium">Chamfer</th>
              </tr>
            </thead>
            <tbody>
              {data.generations.map((g) => (
                <tr key={g.id} className="border-t border-arena-border/60" data-testid="generation-row" data-id={g.id} data-status={g.status} data-model={g.model}>
                  <td className="py-1 pr-3">{g.model}</td>
                  <td className="py-1 pr-3">
                    <Link prefetch={false} href={`/admin/generations/${g.id}`} className="text-arena-accent hover:underline" data-testid="generation-link">
                      {g.category}
                    </Link>
                  </td>
                  <td className="py-1 pr-3">{g.track}</td>
                  <td className={`py-1 pr-3 ${g.status === "failed" ? "text-arena-danger" : g.status === "ready" ? "text-arena-win" : ""}`} title={g.errorText ?? undefined}>
                    {g.status}
                    {g.statusMismatch ? " ≠" : ""}
                  </td>
                  <td className="py-1 pr-3 text-xs">
                    {g.execStatus ?? "—"}
                    {g.failureGroup ? ` · ${g.failureGroup}` : ""}
                  </td>
                  <td className="py-1 pr-3 text-right">{g.attempts}</td>
                  <td className="py-1 pr-3 text-right">{formatUsd(g.costUsd)}</td>
                  <td className="py-1 text-right">{g.chamfer === null ? "—" : g.chamfer.toFixed(4)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Panel>
    </div>
  );
}

function Counts({ counts, empty }: { counts: Record<string, number>; empty: string }) {
  const entries = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return <p className="text-sm text-arena-muted">{empty}</p>;
  return (
    <ul className="flex flex-col gap-1 text-sm tabular">
      {entries.map(([k, v]) => (
        <li key={k} className="flex justify-between" data-testid="count-row" data-key={k}>
          <span className="font-mono text-xs">{k}</span>
          <span>{v}</span>
        </li>
      ))}
    </ul>
  );
}
