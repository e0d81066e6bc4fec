/**
 * Agent CLI presets: the command line each coding agent is started with, the hosts its network may
 * reach (through the allowlisting proxy, proxy.ts), the env var its API key goes in, and how its
 * JSON output reports usage (usage.ts). Every field is config: a contestant's `settings.agent`
 * overrides any of them (ZAgentConfig). Flags follow the benchmark's own agent scripts
 * (benchmark-facts §10) where they exist, with the permission prompts off because the sandbox,
 * not the CLI, is the boundary.
 *
 * Placeholders in `command`: {prompt} the task text, {model} the contestant's providerModelId,
 * {workdir} the workspace as the agent sees it, {budget} the budget in USD, {timeLimit} seconds.
 */
import { z } from "zod";

export const USAGE_FORMATS = ["claude", "codex", "gemini", "none"] as const;
export type UsageFormat = (typeof USAGE_FORMATS)[number];

export interface AgentPreset {
  label: string;
  command: string[];
  /** host:port pairs the CONNECT proxy lets through; [] = no network at all. */
  allowHosts: string[];
  /** Env var the provider key is handed in (null: the CLI needs none). */
  keyEnv: string | null;
  /** Provider whose stored key (lib/providers/keys.ts) fills keyEnv. */
  keyProvider: "anthropic" | "openai" | "gemini" | null;
  usageFormat: UsageFormat;
  /** Extra environment for the CLI (never a key: keys come from keyProvider). */
  env: Record<string, string>;
}

export const AGENT_PRESETS = {
  "claude-code": {
    label: "Claude Code",
    // stream-json gives a usage line per turn (live budget check) and the result line with
    // total_cost_usd; --max-budget-usd is the CLI's own stop, ours kills past the same budget.
    command: ["claude", "-p", "{prompt}", "--model", "{model}", "--dangerously-skip-permissions", "--max-budget-usd", "{budget}", "--output-format", "stream-json", "--verbose"],
    allowHosts: ["api.anthropic.com:443"],
    keyEnv: "ANTHROPIC_API_KEY",
    keyProvider: "anthropic",
    usageFormat: "claude",
    // Telemetry and update checks would only meet the proxy's 403.
    env: { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1" },
  },
  codex: {
    label: "Codex",
    command: ["codex", "exec", "-m", "{model}", "--dangerously-bypass-approvals-and-sandbox", "-C", "{workdir}", "--skip-git-repo-check", "--json", "--ephemeral", "{prompt}"],
    allowHosts: ["api.openai.com:443"],
    keyEnv: "OPENAI_API_KEY",
    keyProvider: "openai",
    usageFormat: "codex",
    env: {},
  },
  "gemini-cli": {
    label: "Gemini CLI",
    command: ["gemini", "-m", "{model}", "-y", "-p", "{prompt}", "--output-format", "stream-json"],
    allowHosts: ["generativelanguage.googleapis.com:443"],
    keyEnv: "GEMINI_API_KEY",
    keyProvider: "gemini",
    usageFormat: "gemini",
    env: {},
  },
} as const satisfies Record<string, AgentPreset>;

export type AgentPresetId = keyof typeof AGENT_PRESETS;
export const AGENT_PRESET_IDS = Object.keys(AGENT_PRESETS) as [AgentPresetId, ...AgentPresetId[]];

const HOST_PORT = /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/;

/** `settings.agent` of an agent contestant. */
export const ZAgentConfig = z.object({
  preset: z.enum(AGENT_PRESET_IDS),
  /** Replaces the preset's command line (same placeholders). */
  command: z.array(z.string().max(4000)).min(1).max(64).optional(),
  allowHosts: z.array(z.string().regex(HOST_PORT, "host:port")).max(32).optional(),
  usageFormat: z.enum(USAGE_FORMATS).optional(),
  /** Which stored provider key (lib/providers/keys.ts) the CLI gets, in which env var; null: none. */
  keyProvider: z.enum(["anthropic", "openai", "gemini"]).nullable().optional(),
  keyEnv: z.string().regex(/^[A-Z][A-Z0-9_]{0,63}$/).nullable().optional(),
  /** Extra environment variables, added to the preset's. */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.string().max(4000)).optional(),
  /** Wall-clock limit for the whole agent run, Blender runs included (benchmark default 600 s). */
  timeLimitSec: z.number().int().min(5).max(7200).default(600),
  /** USD; the run is killed once the agent's reported (or priced) cost passes it (benchmark default 2.0). */
  budgetUsd: z.number().min(0).max(1000).default(2),
  /** Host folders the CLI needs (its install), bound read-only at the same path. */
  readOnlyBinds: z.array(z.string().startsWith("/").max(500)).max(16).default([]),
  /** run_blender calls allowed per run. */
  maxBlenderRuns: z.number().int().min(0).max(100).default(20),
});
export type AgentConfig = z.infer<typeof ZAgentConfig>;

/** An agent contestant's whole settings object: the agent, which stored key, which text prompt. */
export const ZAgentSettings = z
  .object({
    agent: ZAgentConfig,
    apiKeyName: z.string().min(1).max(100).optional(),
    textPrompt: z.enum(["description", "instruction"]).optional(),
  })
  .strict();

export interface ResolvedAgent extends AgentPreset {
  preset: AgentPresetId;
  timeLimitSec: number;
  budgetUsd: number;
  readOnlyBinds: string[];
  maxBlenderRuns: number;
}

export function resolveAgent(config: AgentConfig): ResolvedAgent {
  const base: AgentPreset = AGENT_PRESETS[config.preset];
  return {
    ...base,
    command: config.command ?? [...base.command],
    allowHosts: config.allowHosts ?? [...base.allowHosts],
    usageFormat: config.usageFormat ?? base.usageFormat,
    keyProvider: config.keyProvider === undefined ? base.keyProvider : config.keyProvider,
    keyEnv: config.keyEnv === undefined ? base.keyEnv : config.keyEnv,
    env: { ...base.env, ...config.env },
    preset: config.preset,
    timeLimitSec: config.timeLimitSec,
    budgetUsd: config.budgetUsd,
    readOnlyBinds: config.readOnlyBinds,
    maxBlenderRuns: config.maxBlenderRuns,
  };
}

/** The command line with its placeholders filled. */
export function fillCommand(command: string[], values: Record<"prompt" | "model" | "workdir" | "budget" | "timeLimit", string>): string[] {
  return command.map((arg) => arg.replace(/\{(prompt|model|workdir|budget|timeLimit)\}/g, (_, k: keyof typeof values) => values[k]));
}
