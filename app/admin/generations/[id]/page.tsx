import type { Metadata } from "next";
import { pageAccess } from "@/lib/auth/page-guard";
import { StaffOnly } from "@/components/site/staff-only";
import Link from "next/link";
import { notFound } from "next/navigation";
import { generationDetail, type GenerationDetail } from "@/lib/generations/admin";
import { PageHeader, Panel } from "@/components/admin/panel";
import { PythonCode } from "@/components/ui/python-code";
import { GenerationViewer } from "@/components/admin/generation-viewer";
import { GenerationActions } from "@/components/admin/generation-actions";
import { TamperBadge, TamperEvidenceList } from "@/components/admin/tamper-evidence";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { formatUsd, formatUtc } from "@/components/ui/format";
import { isOpen } from "@/lib/generations/status";

export const metadata: Metadata = { title: "Generation · Admin" };
export const dynamic = "force-dynamic";

function Usage({ u }: { u: GenerationDetail["usage"] }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs tabular">
      <dt className="text-arena-muted">Input / cached / cache write</dt>
      <dd>
        {u.inputTokens} / {u.cachedTokens} / {u.cacheWriteTokens}
      </dd>
      <dt className="text-arena-muted">Output / thinking</dt>
      <dd>
        {u.outputTokens} / {u.thinkingTokens}
      </dd>
      <dt className="text-arena-muted">Cost</dt>
      <dd data-testid="usage-cost">{formatUsd(u.costUsd)}</dd>
      <dt className="text-arena-muted">Latency</dt>
      <dd>{(u.latencyMs / 1000).toFixed(1)} s</dd>
    </dl>
  );
}

/** A coding agent's run (lib/agents): its status by the benchmark's rule, how it ended, what it used. */
function AgentRun({ run }: { run: unknown }) {
  const r = (run && typeof run === "object" ? run : {}) as Record<string, unknown>;
  const exit = (r.exit ?? {}) as { code?: number | null; signal?: string | null };
  const runs = Array.isArray(r.blenderRuns) ? (r.blenderRuns as { status?: string; seconds?: number }[]) : [];
  const ended = r.timedOut ? `killed at the ${String(r.timeLimitSec)} s limit` : r.budgetExceeded ? `killed past the $${String(r.budgetUsd)} budget` : r.diskLimited ? `killed: ${String(r.diskLimited)}` : `exit ${exit.code ?? exit.signal ?? "?"}`;
  return (
    <div className="text-sm" data-testid="generation-agent-run" data-agent-status={String(r.status ?? "")}>
      <p>
        Coding agent ({String(r.preset ?? "?")}): <strong>{String(r.status ?? "?")}</strong> · {ended} · {((Number(r.durationMs) || 0) / 1000).toFixed(1)} s ·{" "}
        run_blender {runs.length}× ({runs.map((b) => b.status).join(", ") || "never"})
      </p>
      <details className="text-xs text-arena-muted">
        <summary>Agent run details (usage report, network, refused leftovers)</summary>
        <pre className="overflow-auto whitespace-pre-wrap">{JSON.stringify(r, null, 2)}</pre>
      </details>
    </div>
  );
}

function Renders({ urls, label }: { urls: string[]; label: string }) {
  if (urls.length === 0) return <p className="text-sm text-arena-muted">No renders.</p>;
  return (
    <div className="grid grid-cols-2 gap-2 sm:grid-cols-4">
      {urls.map((u, i) => (
        <img key={u} src={u} alt={`${label}, view ${i + 1}`} className="aspect-square w-full rounded-lg bg-arena-raised object-contain" data-testid="generation-render" />
      ))}
    </div>
  );
}

export default async function GenerationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const access = await pageAccess("admin", `/admin/generations/${id}`);
  if (!access.allowed) return <StaffOnly access={access} testId="admin-forbidden" />;
  const g = await generationDetail(id);
  if (!g) notFound();
  const open = isOpen(g.status);
  const metrics = g.metrics && typeof g.metrics === "object" ? Object.entries(g.metrics as Record<string, unknown>) : [];
  return (
    <div className="flex flex-col gap-6" data-testid="admin-generation" data-status={g.status}>
      <PageHeader title={`${g.model.displayName} · ${g.category.instanceId} · ${g.track}`} actions={open ? <AutoRefresh intervalMs={2000} /> : undefined}>
        Status <span data-testid="generation-status">{g.status}</span>
        {g.execStatus ? ` (${g.execStatus}${g.failureGroup ? `, ${g.failureGroup}` : ""})` : ""} · sweep{" "}
        <Link href={`/admin/sweeps/${g.sweep.id}`} className="text-arena-accent hover:underline">
          {g.sweep.name}
        </Link>{" "}
        · {g.model.provider} {g.model.modelId} · {g.model.harness}
        {g.reviewedBy ? ` · reviewed by ${g.reviewedBy} ${formatUtc(g.reviewedAt)}` : ""} <TamperBadge suspected={g.tamperSuspected} />
      </PageHeader>
      <Panel title="Review">
        <GenerationActions id={g.id} status={g.status} reviewed={!!g.reviewedAt} />
        {g.errorText && (
          <pre className="overflow-auto rounded-lg border border-arena-danger/40 bg-arena-bg p-3 text-xs whitespace-pre-wrap text-arena-danger" data-testid="generation-error">
            {g.errorText}
          </pre>
        )}
        <TamperEvidenceList evidence={g.tamperEvidence} />
        {g.statusMismatch && (
          <p className="text-sm text-arena-warn">
            Imported as {g.importedStatus}; our execution ended {g.execStatus}.
          </p>
        )}
        {g.exportStatus && (
          <p className="text-sm text-arena-muted" data-testid="generation-export-status">
            Export step (metric GLB): {g.exportStatus}
          </p>
        )}
        {g.runConditions !== null && (
          <details className="text-xs text-arena-muted">
            <summary>Run conditions (where this run differs from the benchmark&apos;s execution)</summary>
            <pre className="overflow-auto whitespace-pre-wrap">{JSON.stringify(g.runConditions, null, 2)}</pre>
          </details>
        )}
        {g.agentRun !== null && <AgentRun run={g.agentRun} />}
        {g.importedRun !== null && (
          <details className="text-xs text-arena-muted">
            <summary>Imported run folder</summary>
            <pre className="overflow-auto whitespace-pre-wrap">{JSON.stringify(g.importedRun, null, 2)}</pre>
          </details>
        )}
      </Panel>
      <div className="grid gap-4 lg:grid-cols-2">
        <Panel title="3D model">
          {g.glbUrl ? <GenerationViewer url={g.glbUrl} label={`${g.model.displayName} on ${g.category.instanceId}`} /> : <p className="text-sm text-arena-muted">No model was exported.</p>}
          <Renders urls={g.renderUrls} label={g.category.instanceId} />
        </Panel>
        <Panel title="Metrics and usage">
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs tabular" data-testid="generation-metrics">
            <dt className="text-arena-muted">Chamfer</dt>
            <dd>{g.chamfer === null ? "—" : g.chamfer.toFixed(5)}</dd>
            {[...metricRows(metrics), ...g.registryMetrics].map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-arena-muted">{k}</dt>
                <dd className="truncate" title={v}>
                  {v}
                </dd>
              </div>
            ))}
            <dt className="text-arena-muted">Render profile</dt>
            <dd>{g.renderProfile ?? "—"}</dd>
            <dt className="text-arena-muted">Blender</dt>
            <dd>{g.blenderVersion ?? "—"}</dd>
            <dt className="text-arena-muted">Render device</dt>
            <dd data-testid="exec-device">{g.execDevice ?? "—"}</dd>
          </dl>
          <h3 className="text-xs font-semibold text-arena-muted uppercase">Total usage</h3>
          <Usage u={g.usage} />
          {g.meshStats ? (
            <details className="text-xs">
              <summary className="cursor-pointer text-arena-muted">Mesh stats</summary>
              <pre className="mt-1 overflow-auto">{JSON.stringify(g.meshStats, null, 2)}</pre>
            </details>
          ) : null}
        </Panel>
      </div>
      <Panel title="Task">
        <p className="text-sm whitespace-pre-wrap">{g.track === "text" ? g.category.description : g.category.instruction}</p>
      </Panel>
      <section className="flex flex-col gap-4" data-testid="generation-attempts" data-count={g.attempts.length}>
        <h2 className="text-lg font-semibold tracking-tight">Attempts ({g.attempts.length})</h2>
        {g.attempts.map((a) => (
          <Panel key={a.index} title={`Attempt ${a.index + 1}`} testId="attempt">
            <div className="flex flex-wrap gap-3 text-xs text-arena-muted">
              <span>parse {a.parseOk ? "ok" : "failed"} after {a.parseTries} {a.parseTries === 1 ? "call" : "calls"}</span>
              <span data-testid="attempt-exec">exec {a.execStatus ?? "—"}</span>
              {a.promptSet && (
                <span data-testid="attempt-prompt-set" data-id={a.promptSet} title={`${a.promptSet}${a.promptSetDigest ? ` · digest ${a.promptSetDigest}` : ""}`}>
                  prompts: {a.promptSetLabel}
                </span>
              )}
              {a.failureGroup && (
                <span data-testid="attempt-failure">
                  {a.failureGroup}
                  {a.failureDetail ? ` · ${a.failureDetail}` : ""}
                </span>
              )}
            </div>
            <Usage u={a.usage} />
            {a.prompt && (
              <details className="text-xs">
                <summary className="cursor-pointer text-arena-muted">Prompt sent</summary>
                <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap">{a.prompt}</pre>
              </details>
            )}
            {a.code ? <PythonCode code={a.code} testId="attempt-code" /> : <p className="text-sm text-arena-muted">No code was extracted.</p>}
            {a.errorText && <pre className="max-h-48 overflow-auto rounded-lg bg-arena-bg p-2 text-xs whitespace-pre-wrap text-arena-danger">{a.errorText}</pre>}
            {a.rawResponse && (
              <details className="text-xs">
                <summary className="cursor-pointer text-arena-muted">{g.agentRun !== null ? "Agent transcript (stdout and stderr, capped)" : "Raw answer"}</summary>
                <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap" data-testid="attempt-raw">
                  {a.rawResponse}
                </pre>
              </details>
            )}
            {a.renderUrls.length > 0 && <Renders urls={a.renderUrls} label={`attempt ${a.index + 1}`} />}
          </Panel>
        ))}
      </section>
    </div>
  );
}

/**
 * The scorer's metrics record (lib/pipeline/score.ts) as label/value lines (Chamfer's details); the
 * registry's metrics, with the reason of any that cannot run on this host, come from lib/metrics.
 */
function metricRows(entries: [string, unknown][]): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of entries) {
    const v = (value ?? {}) as Record<string, unknown>;
    if (key === "chamfer") {
      if (v.available === false || v.failed) rows.push(["Chamfer details", String(v.reason ?? "unavailable")]);
      else if (typeof v.cdRotMin === "number") {
        rows.push(["Chamfer, best rotation", `${v.cdRotMin.toFixed(5)} at ${String(v.bestRotationDeg)}° (${String(v.points)} points)`]);
      }
    } else if (key === "unavailable") {
      // Rows scored before the metric registry carried a fixed list here; the registry now says
      // which metrics run on this host (g.registryMetrics), so the stale list is not shown.
      continue;
    } else {
      rows.push([key, typeof value === "number" ? value.toFixed(5) : JSON.stringify(value)]);
    }
  }
  return rows;
}
