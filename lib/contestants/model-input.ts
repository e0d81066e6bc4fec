/**
 * What an admin submits to register or edit a contestant: an LLM behind an API provider, or a
 * coding agent (provider = its CLI preset, harness "agent", settings.agent; lib/agents/presets.ts).
 */
import { z } from "zod";
import { ZModelSettings } from "@/lib/providers/settings";
import { AGENT_PRESET_IDS, ZAgentSettings, type AgentPresetId } from "@/lib/agents/presets";

export const PROVIDER_KINDS = ["openai", "openai-responses", "anthropic", "gemini", "openai-compatible"] as const;
export const HARNESSES = ["single-shot", "multi-turn", "agent"] as const;

export function isAgentProvider(provider: string): provider is AgentPresetId {
  return (AGENT_PRESET_IDS as string[]).includes(provider);
}

const price = z.number().min(0).max(10_000);
export const ZModelInput = z.object({
  slug: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "Use lowercase letters, digits, dots, dashes and underscores."),
  displayName: z.string().trim().min(1).max(100),
  organisation: z.string().trim().max(100).default(""),
  /** An API provider, or for a coding agent its CLI preset (the provider its CLI calls is the preset's). */
  provider: z.enum([...PROVIDER_KINDS, ...AGENT_PRESET_IDS]),
  providerModelId: z.string().trim().min(1).max(200),
  harness: z.enum(HARNESSES),
  description: z.string().trim().max(2000).default(""),
  settings: z.record(z.string(), z.unknown()).default({}),
  priceInput: price.default(0),
  priceCached: price.default(0),
  priceOutput: price.default(0),
  priceCacheWrite: price.default(0),
}).superRefine((v, ctx) => {
  const agent = isAgentProvider(v.provider);
  if (agent !== (v.harness === "agent")) {
    ctx.addIssue({ code: "custom", path: ["harness"], message: agent ? "A coding agent runs in the agent harness." : "The agent harness is for coding agents." });
  }
  const parsed = (agent ? ZAgentSettings : ZModelSettings).safeParse(v.settings);
  if (!parsed.success) {
    for (const i of parsed.error.issues) ctx.addIssue({ code: "custom", path: ["settings", ...i.path], message: i.message });
  } else if (agent && (parsed.data as z.infer<typeof ZAgentSettings>).agent.preset !== v.provider) {
    ctx.addIssue({ code: "custom", path: ["settings", "agent", "preset"], message: "must be the provider's preset" });
  }
});
export type ModelInput = z.infer<typeof ZModelInput>;
