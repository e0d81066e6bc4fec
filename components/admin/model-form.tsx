"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { BUTTON, INPUT } from "./panel";
import { REASONING_LEVELS } from "@/lib/providers/reasoning";
import { MODEL_PRESETS } from "@/lib/providers/presets";
import { useAdminAction } from "./use-admin-action";
import { AGENT_PRESETS, type AgentPresetId } from "@/lib/agents/presets";

export interface ModelFormValues {
  id?: string;
  slug: string;
  displayName: string;
  organisation: string;
  provider: string;
  providerModelId: string;
  harness: string;
  description: string;
  settings: Record<string, unknown>;
  priceInput: number;
  priceCached: number;
  priceOutput: number;
  priceCacheWrite: number;
}

const PROVIDERS = [
  ["openai", "OpenAI (Chat Completions)"],
  ["openai-responses", "OpenAI (Responses)"],
  ["anthropic", "Anthropic (Messages)"],
  ["gemini", "Google Gemini"],
  ["openai-compatible", "OpenAI-compatible endpoint"],
] as const;

const isAgent = (provider: string): provider is AgentPresetId => provider in AGENT_PRESETS;
/** One argument / host / folder a line; an empty box means "the preset's". */
const lines = (text: string) => text.split("\n").map((l) => l.trim()).filter(Boolean);

const EMPTY: ModelFormValues = {
  slug: "",
  displayName: "",
  organisation: "",
  provider: "openai",
  providerModelId: "",
  harness: "multi-turn",
  description: "",
  settings: {},
  priceInput: 0,
  priceCached: 0,
  priceOutput: 0,
  priceCacheWrite: 0,
};

function Field({ label, hint, children }: { label: string; hint?: string; children: React.ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-xs text-arena-muted">{label}</span>
      {children}
      {hint && <span className="text-xs text-arena-muted/80">{hint}</span>}
    </label>
  );
}

/** Create or edit an LLM contestant. Settings are edited field by field; empty fields are left out. */
export function ModelForm({ initial }: { initial?: ModelFormValues }) {
  const router = useRouter();
  const { run, pending, error } = useAdminAction();
  const [v, setV] = useState<ModelFormValues>(initial ?? EMPTY);
  const s = v.settings as Record<string, string | number | undefined>;
  const set = <K extends keyof ModelFormValues>(k: K, value: ModelFormValues[K]) => setV((p) => ({ ...p, [k]: value }));
  const setSetting = (k: string, value: string, numeric = false) =>
    setV((p) => {
      const next = { ...p.settings };
      if (value === "") delete next[k];
      else next[k] = numeric ? Number(value) : value;
      return { ...p, settings: next };
    });

  /** Fills provider, model id, names, settings and prices from a 3DCodeBench config (lib/providers/presets.ts). */
  function applyPreset(id: string) {
    const p = MODEL_PRESETS.find((x) => x.id === id);
    if (!p) return;
    setV((prev) => ({
      ...prev,
      provider: p.provider,
      providerModelId: p.providerModelId,
      slug: prev.id ? prev.slug : prev.slug || p.providerModelId.replace(/[^a-z0-9-]+/g, "-"),
      displayName: prev.displayName || p.label,
      organisation: prev.organisation || p.organisation,
      // Keys, base URL and limits stay; the model's generation settings are the preset's.
      settings: {
        ...Object.fromEntries(Object.entries(prev.settings).filter(([k]) => !["temperature", "reasoning", "maxOutputTokens"].includes(k))),
        ...p.settings,
      },
      ...p.prices,
    }));
  }

  /** Switching between an API provider and a coding-agent CLI swaps the harness and the settings' shape. */
  function setProvider(provider: string) {
    setV((p) => {
      if (isAgent(provider)) {
        const prev = (p.settings.agent ?? {}) as Record<string, unknown>;
        return { ...p, provider, harness: "agent", settings: { agent: { ...(isAgent(p.provider) ? prev : {}), preset: provider } } };
      }
      return { ...p, provider, harness: isAgent(p.provider) ? "multi-turn" : p.harness, settings: isAgent(p.provider) ? {} : p.settings };
    });
  }
  const agentCfg = (v.settings.agent ?? {}) as Record<string, unknown>;
  const setAgent = (k: string, value: unknown) =>
    setV((p) => {
      const next = { ...((p.settings.agent ?? {}) as Record<string, unknown>) };
      if (value === undefined || (Array.isArray(value) && value.length === 0) || value === "") delete next[k];
      else next[k] = value;
      return { ...p, settings: { ...p.settings, agent: next } };
    });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const { id, ...body } = v;
    const res = await run<{ id?: string }>("save", id ? `/api/admin/models/${id}` : "/api/admin/models", body, id ? "PUT" : "POST", false);
    if (res) router.push(`/admin/models/${id ?? res.id}`);
    if (res) router.refresh();
  }

  return (
    <form onSubmit={submit} className="flex flex-col gap-5" data-testid="model-form">
      <Field label="Preset" hint="3DCodeBench's config for this model: provider, model id, reasoning, output limit and prices. Everything stays editable.">
        <select value="" onChange={(e) => applyPreset(e.target.value)} className={INPUT} data-testid="model-preset">
          <option value="">choose a preset…</option>
          {MODEL_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label} ({p.providerModelId})
            </option>
          ))}
        </select>
      </Field>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        <Field label="Provider">
          <select value={v.provider} onChange={(e) => setProvider(e.target.value)} className={INPUT} data-testid="model-provider">
            {PROVIDERS.map(([k, label]) => (
              <option key={k} value={k}>
                {label}
              </option>
            ))}
            <optgroup label="Coding agent CLI">
              {Object.entries(AGENT_PRESETS).map(([k, p]) => (
                <option key={k} value={k}>
                  {p.label}
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
        <Field label="Model id at the provider">
          <input required value={v.providerModelId} onChange={(e) => set("providerModelId", e.target.value)} className={INPUT} placeholder="gpt-5" data-testid="model-id" />
        </Field>
        <Field label="Slug" hint={v.id ? "Fixed once created." : "Lowercase; used in URLs and exports."}>
          <input required disabled={!!v.id} value={v.slug} onChange={(e) => set("slug", e.target.value)} className={INPUT} data-testid="model-slug" />
        </Field>
        <Field label="Display name">
          <input required value={v.displayName} onChange={(e) => set("displayName", e.target.value)} className={INPUT} data-testid="model-name" />
        </Field>
        <Field label="Organisation">
          <input value={v.organisation} onChange={(e) => set("organisation", e.target.value)} className={INPUT} data-testid="model-org" />
        </Field>
        <Field label="Harness">
          <select value={v.harness} onChange={(e) => set("harness", e.target.value)} className={INPUT} data-testid="model-harness">
            {isAgent(v.provider) ? (
              <option value="agent">agent (its own loop, run_blender)</option>
            ) : (
              <>
                <option value="single-shot">single-shot</option>
                <option value="multi-turn">multi-turn (feedback from Blender)</option>
              </>
            )}
          </select>
        </Field>
      </div>
      <Field label="Description">
        <textarea value={v.description} onChange={(e) => set("description", e.target.value)} className={`${INPUT} min-h-16`} />
      </Field>
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-semibold">Prices (USD per 1M tokens)</legend>
        <div className="grid gap-3 sm:grid-cols-4">
          {(
            [
              ["priceInput", "Input"],
              ["priceCached", "Cached input"],
              ["priceOutput", "Output (incl. thinking)"],
              ["priceCacheWrite", "Cache write"],
            ] as const
          ).map(([k, label]) => (
            <Field key={k} label={label}>
              <input type="number" min={0} step="any" value={v[k]} onChange={(e) => set(k, Number(e.target.value))} className={INPUT} data-testid={`model-${k}`} />
            </Field>
          ))}
        </div>
      </fieldset>
      {isAgent(v.provider) ? (
        <fieldset className="flex flex-col gap-2" data-testid="model-agent">
          <legend className="mb-2 text-sm font-semibold">Coding agent (docs/benchmark.md, coding agents)</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Command line, one argument a line" hint={`Empty: the preset's (${AGENT_PRESETS[v.provider].command.join(" ")}). Placeholders: {prompt} {model} {workdir} {budget} {timeLimit}.`}>
              <textarea value={((agentCfg.command as string[] | undefined) ?? []).join("\n")} onChange={(e) => setAgent("command", lines(e.target.value))} className={`${INPUT} min-h-24 font-mono`} data-testid="model-agent-command" />
            </Field>
            <Field label="Hosts the agent may reach (host:port a line)" hint={`Empty: the preset's (${AGENT_PRESETS[v.provider].allowHosts.join(", ")}). Everything else is refused.`}>
              <textarea value={((agentCfg.allowHosts as string[] | undefined) ?? []).join("\n")} onChange={(e) => setAgent("allowHosts", lines(e.target.value))} className={`${INPUT} min-h-24 font-mono`} />
            </Field>
            <Field label="Read-only folders (the CLI's install), one a line">
              <textarea value={((agentCfg.readOnlyBinds as string[] | undefined) ?? []).join("\n")} onChange={(e) => setAgent("readOnlyBinds", lines(e.target.value))} className={`${INPUT} min-h-16 font-mono`} data-testid="model-agent-binds" />
            </Field>
            <div className="grid grid-cols-3 gap-3">
              <Field label="Time limit (s)" hint="Default 600.">
                <input type="number" min={5} value={(agentCfg.timeLimitSec as number | undefined) ?? ""} onChange={(e) => setAgent("timeLimitSec", e.target.value === "" ? undefined : Number(e.target.value))} className={INPUT} data-testid="model-agent-time" />
              </Field>
              <Field label="Budget (USD)" hint="Default 2.">
                <input type="number" min={0} step="any" value={(agentCfg.budgetUsd as number | undefined) ?? ""} onChange={(e) => setAgent("budgetUsd", e.target.value === "" ? undefined : Number(e.target.value))} className={INPUT} />
              </Field>
              <Field label="run_blender calls" hint="Default 20.">
                <input type="number" min={0} value={(agentCfg.maxBlenderRuns as number | undefined) ?? ""} onChange={(e) => setAgent("maxBlenderRuns", e.target.value === "" ? undefined : Number(e.target.value))} className={INPUT} />
              </Field>
            </div>
          </div>
        </fieldset>
      ) : (
      <fieldset className="flex flex-col gap-2">
        <legend className="mb-2 text-sm font-semibold">Settings</legend>
        <div className="grid gap-3 sm:grid-cols-3 lg:grid-cols-4">
          <Field label="Temperature">
            <input type="number" min={0} max={2} step="any" value={s.temperature ?? ""} onChange={(e) => setSetting("temperature", e.target.value, true)} className={INPUT} />
          </Field>
          <Field label="Reasoning" hint="minimal … xhigh/max as 3DCodeBench maps them per API (docs/providers/README.md).">
            <select value={s.reasoning ?? ""} onChange={(e) => setSetting("reasoning", e.target.value)} className={INPUT} data-testid="model-reasoning">
              <option value="">provider default</option>
              {REASONING_LEVELS.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </Field>
          <Field label="Max output tokens">
            <input type="number" min={1} value={s.maxOutputTokens ?? ""} onChange={(e) => setSetting("maxOutputTokens", e.target.value, true)} className={INPUT} />
          </Field>
          <Field label="Seed">
            <input type="number" value={s.seed ?? ""} onChange={(e) => setSetting("seed", e.target.value, true)} className={INPUT} />
          </Field>
          <Field label="Base URL" hint="Required for OpenAI-compatible.">
            <input value={s.baseUrl ?? ""} onChange={(e) => setSetting("baseUrl", e.target.value)} className={INPUT} placeholder="http://localhost:8000/v1" data-testid="model-base-url" />
          </Field>
          <Field label="API key name" hint="A stored key or env variable; default: the provider's.">
            <input value={s.apiKeyName ?? ""} onChange={(e) => setSetting("apiKeyName", e.target.value)} className={INPUT} />
          </Field>
          <Field label="Text prompt">
            <select value={s.textPrompt ?? ""} onChange={(e) => setSetting("textPrompt", e.target.value)} className={INPUT}>
              <option value="">description (default)</option>
              <option value="instruction">instruction</option>
            </select>
          </Field>
          <Field label="Requests / min">
            <input type="number" min={0} value={s.requestsPerMinute ?? ""} onChange={(e) => setSetting("requestsPerMinute", e.target.value, true)} className={INPUT} />
          </Field>
          <Field label="Tokens / min">
            <input type="number" min={0} value={s.tokensPerMinute ?? ""} onChange={(e) => setSetting("tokensPerMinute", e.target.value, true)} className={INPUT} />
          </Field>
        </div>
      </fieldset>
      )}
      {error && (
        <p role="alert" className="text-sm text-arena-danger" data-testid="model-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" disabled={pending !== null} className={BUTTON} data-testid="model-save">
          {v.id ? "Save changes" : "Register model"}
        </button>
      </div>
    </form>
  );
}
