"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { SweepPlan } from "@/lib/sweeps/plan";
import { BUTTON, INPUT, Panel } from "./panel";
import { formatUsd } from "@/components/ui/format";
import { useAdminAction } from "./use-admin-action";

export interface SweepFormOptions {
  models: { slug: string; displayName: string; harness: string; kind: string }[];
  tags: string[];
  categories: string[];
  profiles: string[];
  /** lib/harness/load-prompt-set.ts promptSetChoices: a problem makes a choice unavailable. */
  promptSets: { id: string; label: string; problem: string | null }[];
  /** PROMPT_SET's id (null when it cannot be resolved). */
  defaultPromptSet: string | null;
}

type CategoryMode = "all" | "tag" | "list";

/** Choose models, categories, tracks and harness; see the plan and cost estimate; start. */
/** A plan is a few queries; past this the form says so instead of waiting forever. */
const PLAN_TIMEOUT_MS = 15_000;

export function SweepForm({ options }: { options: SweepFormOptions }) {
  const router = useRouter();
  const { run, pending, error } = useAdminAction();
  const [name, setName] = useState(`sweep ${new Date().toISOString().slice(0, 16).replace("T", " ")}`);
  const [models, setModels] = useState<string[]>([]);
  const [mode, setMode] = useState<CategoryMode>("all");
  const [tags, setTags] = useState<string[]>([]);
  const [ids, setIds] = useState<string[]>([]);
  const [tracks, setTracks] = useState<string[]>(["text", "image"]);
  const [harness, setHarness] = useState<string>("");
  const [retries, setRetries] = useState(2);
  const [profile, setProfile] = useState(options.profiles.includes("preview") ? "preview" : (options.profiles[0] ?? "preview"));
  const [promptSet, setPromptSet] = useState<string>("");
  const [plan, setPlan] = useState<SweepPlan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);

  const body = {
    name,
    contestants: models,
    categories: mode === "all" ? { mode } : mode === "tag" ? { mode, tags } : { mode, ids },
    tracks,
    harness: harness || null,
    retries,
    profile,
    promptSet: promptSet || null,
  };
  // The plan ignores the name; keying on the rest re-plans only when the selection changes.
  const planBody = JSON.stringify({ ...body, name: "plan" });

  // What the selection still lacks, said plainly before asking the server (whose answer would be a
  // schema path, and which would otherwise never be asked: a plan stuck on "Planning…").
  const missing =
    models.length === 0
      ? "Pick at least one model to see the plan."
      : tracks.length === 0
        ? "Tick at least one track (Text → 3D or Image → 3D) to see the plan."
        : mode === "tag" && tags.length === 0
          ? "Pick at least one tag, or choose all categories."
          : mode === "list" && ids.length === 0
            ? "Pick at least one category, or choose all categories."
            : null;

  useEffect(() => {
    setPlan(null);
    setPlanError(null);
    if (missing) return;
    const ctrl = new AbortController();
    let timedOut = false;
    // Every request ends in a plan or a message: a server that does not answer is one too.
    const limit = setTimeout(() => {
      timedOut = true;
      ctrl.abort();
    }, PLAN_TIMEOUT_MS);
    const t = setTimeout(async () => {
      try {
        const res = await fetch("/api/admin/sweeps/plan", { method: "POST", headers: { "content-type": "application/json" }, body: planBody, signal: ctrl.signal });
        const data = await res.json().catch(() => null);
        if (res.ok) setPlan(data as SweepPlan);
        else setPlanError(data?.error?.message ?? `Planning failed (${res.status}).`);
      } catch {
        if (timedOut) setPlanError(`The server did not answer within ${PLAN_TIMEOUT_MS / 1000} s. Change the selection to try again.`);
        else if (!ctrl.signal.aborted) setPlanError("Could not reach the server to plan this sweep. Check the connection and try again.");
      } finally {
        clearTimeout(limit);
      }
    }, 250);
    return () => {
      clearTimeout(t);
      clearTimeout(limit);
      ctrl.abort();
    };
  }, [planBody, missing]);

  const toggle = (list: string[], set: (v: string[]) => void, v: string) => set(list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);

  async function start() {
    const res = await run<{ sweepId: string }>("start", "/api/admin/sweeps", body, "POST", false);
    if (res) router.push(`/admin/sweeps/${res.sweepId}`);
  }

  return (
    <div className="grid gap-4 lg:grid-cols-[3fr_2fr]" data-testid="sweep-form">
      <div className="flex flex-col gap-4">
        <Panel title="Name">
          <input value={name} onChange={(e) => setName(e.target.value)} className={INPUT} data-testid="sweep-name" />
        </Panel>
        <Panel title="Models">
          <div className="grid gap-1.5 sm:grid-cols-2">
            {options.models.map((m) => (
              <label key={m.slug} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={models.includes(m.slug)} onChange={() => toggle(models, setModels, m.slug)} data-testid="sweep-model" data-slug={m.slug} />
                <span>{m.displayName}</span>
                <span className="text-xs text-arena-muted">
                  {m.slug} · {m.harness}
                </span>
              </label>
            ))}
          </div>
        </Panel>
        <Panel title="Categories">
          <div className="flex gap-4 text-sm">
            {(["all", "tag", "list"] as const).map((m) => (
              <label key={m} className="flex items-center gap-1.5">
                <input type="radio" name="catmode" checked={mode === m} onChange={() => setMode(m)} data-testid={`sweep-categories-${m}`} />
                {m === "all" ? `All (${options.categories.length})` : m === "tag" ? "By tag" : "Pick from a list"}
              </label>
            ))}
          </div>
          {mode === "tag" && (
            <div className="flex flex-wrap gap-1.5">
              {options.tags.map((t) => (
                <button
                  type="button"
                  key={t}
                  onClick={() => toggle(tags, setTags, t)}
                  className={`rounded-full border px-2 py-0.5 text-xs ${tags.includes(t) ? "border-arena-accent text-arena-accent" : "border-arena-border text-arena-muted"}`}
                >
                  {t}
                </button>
              ))}
            </div>
          )}
          {mode === "list" && (
            <div className="grid max-h-56 gap-1 overflow-y-auto text-sm sm:grid-cols-2">
              {options.categories.map((c) => (
                <label key={c} className="flex items-center gap-2">
                  <input type="checkbox" checked={ids.includes(c)} onChange={() => toggle(ids, setIds, c)} data-testid="sweep-category" data-id={c} />
                  <span className="font-mono text-xs">{c}</span>
                </label>
              ))}
            </div>
          )}
        </Panel>
        <Panel title="Tracks, harness and rendering">
          <div className="flex flex-wrap items-end gap-4 text-sm">
            {(["text", "image"] as const).map((t) => (
              <label key={t} className="flex items-center gap-1.5">
                <input type="checkbox" checked={tracks.includes(t)} onChange={() => toggle(tracks, setTracks, t)} data-testid={`sweep-track-${t}`} />
                {t === "text" ? "Text → 3D" : "Image → 3D"}
              </label>
            ))}
            <label className="flex flex-col gap-1">
              <span className="text-xs text-arena-muted">Harness</span>
              <select value={harness} onChange={(e) => setHarness(e.target.value)} className={INPUT} data-testid="sweep-harness">
                <option value="">each model&apos;s own</option>
                <option value="single-shot">single-shot for all</option>
                <option value="multi-turn">multi-turn for all</option>
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-arena-muted">Feedback retries (multi-turn)</span>
              <select value={retries} onChange={(e) => setRetries(Number(e.target.value))} className={INPUT} data-testid="sweep-retries">
                {[0, 1, 2, 3].map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-arena-muted">Prompt set</span>
              <select value={promptSet} onChange={(e) => setPromptSet(e.target.value)} className={INPUT} data-testid="sweep-prompt-set">
                <option value="">default ({options.promptSets.find((p) => p.id === options.defaultPromptSet)?.label ?? options.defaultPromptSet ?? "PROMPT_SET is invalid"})</option>
                {options.promptSets.map((p) => (
                  <option key={p.id} value={p.id} disabled={p.problem !== null} title={p.problem ?? p.id}>
                    {p.label}
                    {p.problem ? " (unavailable)" : ""}
                  </option>
                ))}
              </select>
            </label>
            <label className="flex flex-col gap-1">
              <span className="text-xs text-arena-muted">Render profile</span>
              <select value={profile} onChange={(e) => setProfile(e.target.value)} className={INPUT} data-testid="sweep-profile">
                {options.profiles.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </label>
          </div>
        </Panel>
      </div>
      <Panel title="Plan" testId="sweep-plan">
        {missing ? (
          <p className="text-sm text-arena-muted" data-testid="sweep-plan-missing">
            {missing}
          </p>
        ) : planError ? (
          <p role="alert" className="text-sm text-arena-danger" data-testid="sweep-plan-error">
            {planError}
          </p>
        ) : !plan ? (
          <p className="text-sm text-arena-muted">Planning…</p>
        ) : (
          <div className="flex flex-col gap-3 text-sm" data-testid="sweep-plan-ready" data-calls={plan.plannedCalls} data-generations={plan.generations}>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 tabular">
              <dt className="text-arena-muted">Prompt set</dt>
              <dd data-testid="plan-prompt-set" data-id={plan.promptSet.id} title={`${plan.promptSet.id} · digest ${plan.promptSet.digest}`}>
                {plan.promptSet.label}
              </dd>
              <dt className="text-arena-muted">Generations</dt>
              <dd data-testid="plan-generations">{plan.generations}</dd>
              <dt className="text-arena-muted">Model calls, expected</dt>
              <dd data-testid="plan-expected-calls">{plan.expectedCalls}</dd>
              <dt className="text-arena-muted">Model calls, worst case</dt>
              <dd data-testid="plan-calls">{plan.plannedCalls}</dd>
              <dt className="text-arena-muted">Estimated cost</dt>
              <dd data-testid="plan-cost">{formatUsd(plan.estimatedCostUsd)}</dd>
              <dt className="text-arena-muted">Worst-case cost</dt>
              <dd>{formatUsd(plan.worstCostUsd)}</dd>
            </dl>
            {plan.promptSet.notes.map((n) => (
              <p key={n} className="text-xs text-arena-muted">
                Prompt set: {n}
              </p>
            ))}
            <p className="text-xs text-arena-muted">
              Worst case: every feedback retry and every parse retry used. Expected: one answer per attempt and the retry rate each model showed so far.
            </p>
            <table className="w-full text-xs tabular">
              <thead className="text-left text-arena-muted">
                <tr>
                  <th className="font-medium">Model</th>
                  <th className="font-medium">Harness</th>
                  <th className="text-right font-medium">Calls</th>
                  <th className="text-right font-medium">Cost</th>
                </tr>
              </thead>
              <tbody>
                {plan.models.map((m) => (
                  <tr key={m.slug} className="border-t border-arena-border/60">
                    <td>{m.slug}</td>
                    <td>
                      {m.harness}
                      {m.attempts > 1 ? ` ×${m.attempts}` : ""}
                    </td>
                    <td className="text-right">
                      {m.expectedCalls} – {m.worstCalls}
                    </td>
                    <td className="text-right">{formatUsd(m.expectedCostUsd)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" onClick={start} disabled={pending !== null} className={BUTTON} data-testid="sweep-start">
              {pending ? "Starting…" : `Start sweep (${plan.generations} generations)`}
            </button>
          </div>
        )}
        {error && (
          <p role="alert" className="text-sm text-arena-danger" data-testid="sweep-error">
            {error}
          </p>
        )}
      </Panel>
    </div>
  );
}
