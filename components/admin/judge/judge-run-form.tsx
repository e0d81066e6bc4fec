"use client";

import { useState } from "react";
import type { JudgePlan } from "@/lib/judge/plan";
import { formatUsd } from "@/components/ui/format";
import { BUTTON, BUTTON_QUIET, INPUT } from "../panel";
import { useAdminAction } from "../use-admin-action";

interface Props {
  judges: { slug: string; name: string; model: string }[];
  categorySets: string[];
  benchmarkCheckout: boolean;
}

const LABEL = "flex min-w-0 flex-col gap-1 text-xs text-arena-muted";

/** Estimate first, then start: the start button sends exactly what was estimated. */
export function JudgeRunForm({ judges, categorySets, benchmarkCheckout }: Props) {
  const [judge, setJudge] = useState(judges[0]?.slug ?? "");
  const [mode, setMode] = useState<"image" | "code">("image");
  const [track, setTrack] = useState<"text" | "image">("text");
  const [prompts, setPrompts] = useState<"arena-default" | "3dcodebench">("arena-default");
  const [categorySet, setCategorySet] = useState("");
  const [limit, setLimit] = useState("");
  const [budget, setBudget] = useState("5");
  const [plan, setPlan] = useState<JudgePlan | null>(null);
  const { run, pending, error } = useAdminAction();

  const body = () => ({
    judge,
    mode,
    track,
    prompts,
    budgetUsd: Number(budget),
    ...(categorySet && { categorySet }),
    ...(limit && { limit: Number(limit) }),
  });
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPlan(null);
  };

  if (judges.length === 0) {
    return <p className="text-sm text-arena-muted">No model can judge yet: register an LLM model in Models (it may stay hidden), with its prices.</p>;
  }
  return (
    <form
      className="flex flex-col gap-3"
      data-testid="judge-run-form"
      onSubmit={async (e) => {
        e.preventDefault();
        const p = await run<JudgePlan>("plan", "/api/admin/judge/plan", body(), "POST", false);
        if (p) setPlan(p);
      }}
    >
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <label className={`${LABEL} col-span-2`}>
          Judge model
          <select className={INPUT} value={judge} onChange={(e) => changed(setJudge)(e.target.value)} data-testid="judge-model">
            {judges.map((j) => (
              <option key={j.slug} value={j.slug}>
                {j.name} ({j.model})
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          Mode
          <select className={INPUT} value={mode} onChange={(e) => changed(setMode)(e.target.value as "image" | "code")} data-testid="judge-mode">
            <option value="image">Images (renders)</option>
            <option value="code">Code (scripts)</option>
          </select>
        </label>
        <label className={LABEL}>
          Track
          <select className={INPUT} value={track} onChange={(e) => changed(setTrack)(e.target.value as "text" | "image")} data-testid="judge-track">
            <option value="text">Text → 3D</option>
            <option value="image">Image → 3D</option>
          </select>
        </label>
        <label className={LABEL}>
          Prompts
          <select className={INPUT} value={prompts} onChange={(e) => changed(setPrompts)(e.target.value as "arena-default" | "3dcodebench")}>
            <option value="arena-default">Arena default</option>
            <option value="3dcodebench" disabled={!benchmarkCheckout}>
              3DCodeBench checkout{benchmarkCheckout ? "" : " (not configured)"}
            </option>
          </select>
        </label>
        <label className={LABEL}>
          Category set
          <select className={INPUT} value={categorySet} onChange={(e) => changed(setCategorySet)(e.target.value)} data-testid="judge-set">
            <option value="">All sets</option>
            {categorySets.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className={LABEL}>
          At most (battles)
          <input className={INPUT} inputMode="numeric" placeholder="all" value={limit} onChange={(e) => changed(setLimit)(e.target.value.replace(/\D/g, ""))} />
        </label>
        <label className={LABEL}>
          Budget (USD)
          <input className={INPUT} inputMode="decimal" value={budget} onChange={(e) => changed(setBudget)(e.target.value)} data-testid="judge-budget" />
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <button type="submit" className={BUTTON_QUIET} disabled={pending !== null} data-testid="judge-estimate">
          {pending === "plan" ? "Estimating…" : "Estimate cost"}
        </button>
        <button
          type="button"
          className={BUTTON}
          disabled={plan === null || plan.toJudge === 0 || pending !== null}
          data-testid="judge-start"
          onClick={async () => {
            if (await run("start", "/api/admin/judge/runs", body())) setPlan(null);
          }}
        >
          {pending === "start" ? "Starting…" : "Start run"}
        </button>
      </div>
      {error && (
        <p className="text-sm text-arena-danger" role="alert">
          {error}
        </p>
      )}
      {plan && (
        <p className="text-sm" data-testid="judge-plan">
          {plan.battles} battles with a valid human vote; {plan.alreadyJudged} already judged with this prompt (reused, free);{" "}
          <strong>{plan.toJudge} to judge</strong>. Expected cost <strong className="tabular">{formatUsd(plan.estimatedCostUsd)}</strong>, at most{" "}
          <span className="tabular">{formatUsd(plan.worstCaseCostUsd)}</span>.{" "}
          {plan.coveredCalls < plan.toJudge
            ? `The budget covers ${plan.coveredCalls} calls at worst; the run stops when the next call could pass it.`
            : "The budget covers every call even at worst."}
        </p>
      )}
    </form>
  );
}
