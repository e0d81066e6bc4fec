/**
 * Model presets: 3DCodeBench's per-model configs (/work/notes benchmark-facts §8) and prices (§11),
 * for the admin model form to fill in. Pure data (the form is a client component).
 *
 * The benchmark's output limits cover thinking and answer together; our maxOutputTokens is the
 * answer's room with the level's thinking budget added on top (lib/providers/reasoning.ts), so
 * each preset subtracts that budget to send the benchmark's total. Temperature is left out where
 * the benchmark does not send it (OpenAI reasoning models; Claude sends none while thinking).
 */
import { THINKING_BUDGET, type ReasoningLevel } from "./reasoning";
import type { ModelSettings, ProviderKind } from "./types";

export interface ModelPreset {
  /** The benchmark's config name. */
  id: string;
  label: string;
  organisation: string;
  provider: ProviderKind;
  providerModelId: string;
  settings: ModelSettings;
  /** USD per 1M tokens. */
  prices: { priceInput: number; priceCached: number; priceOutput: number; priceCacheWrite: number };
}

function answerRoom(total: number, reasoning: ReasoningLevel | undefined): number {
  return reasoning && reasoning !== "off" ? total - THINKING_BUDGET[reasoning] : total;
}

function preset(
  id: string,
  label: string,
  organisation: string,
  provider: ProviderKind,
  providerModelId: string,
  s: { temperature?: number; reasoning?: ReasoningLevel; total: number },
  [input, output, cached, cacheWrite = 0]: [number, number, number, number?],
): ModelPreset {
  const settings: ModelSettings = {
    ...(s.temperature !== undefined && { temperature: s.temperature }),
    ...(s.reasoning && { reasoning: s.reasoning }),
    maxOutputTokens: answerRoom(s.total, s.reasoning),
  };
  return { id, label, organisation, provider, providerModelId, settings, prices: { priceInput: input, priceCached: cached, priceOutput: output, priceCacheWrite: cacheWrite } };
}

const G = 65_536;
const C = 64_000;

export const MODEL_PRESETS: ModelPreset[] = [
  // Gemini 2.5 gets no thinking config there: the model's default.
  preset("gemini_2_5_pro", "Gemini 2.5 Pro", "Google", "gemini", "gemini-2.5-pro", { temperature: 0.7, total: G }, [1.25, 10, 0.125]),
  preset("gemini_3_flash", "Gemini 3 Flash", "Google", "gemini", "gemini-3-flash-preview", { temperature: 0.7, reasoning: "medium", total: G }, [0.5, 3, 0.05]),
  preset("gemini_3_1_pro", "Gemini 3.1 Pro", "Google", "gemini", "gemini-3.1-pro-preview", { temperature: 0.7, reasoning: "medium", total: G }, [2, 12, 0.2]),
  preset("gemini_3_1_flash_lite", "Gemini 3.1 Flash Lite", "Google", "gemini", "gemini-3.1-flash-lite-preview", { temperature: 0.7, reasoning: "medium", total: G }, [0.25, 1.5, 0.025]),
  preset("gemini_3_5_flash", "Gemini 3.5 Flash", "Google", "gemini", "gemini-3.5-flash", { temperature: 0.7, reasoning: "medium", total: G }, [0.5, 3, 0.05]),
  // Gemma: the benchmark's 16,384 covers thinking too; here the answer keeps 16,384 and the level's
  // room comes on top (a thinking level has no budget to subtract from).
  preset("gemma_4_26b", "Gemma 4 26B A4B", "Google", "gemini", "gemma-4-26b-a4b-it", { temperature: 0.7, reasoning: "high", total: 16_384 + THINKING_BUDGET.high }, [0, 0, 0]),
  preset("gemma_4_31b", "Gemma 4 31B", "Google", "gemini", "gemma-4-31b-it", { temperature: 0.7, reasoning: "high", total: 16_384 + THINKING_BUDGET.high }, [0, 0, 0]),
  preset("claude_haiku_4_5", "Claude Haiku 4.5", "Anthropic", "anthropic", "claude-haiku-4-5", { reasoning: "medium", total: C }, [1, 5, 0.1, 1.25]),
  preset("claude_sonnet_4_6", "Claude Sonnet 4.6", "Anthropic", "anthropic", "claude-sonnet-4-6", { reasoning: "medium", total: C }, [3, 15, 0.3, 3.75]),
  preset("claude_opus_4_7", "Claude Opus 4.7", "Anthropic", "anthropic", "claude-opus-4-7", { reasoning: "medium", total: C }, [5, 25, 0.5, 6.25]),
  preset("gpt_5_4", "GPT-5.4", "OpenAI", "openai", "gpt-5.4", { reasoning: "medium", total: G }, [2.5, 15, 0.25]),
  preset("gpt_5_4_mini", "GPT-5.4 mini", "OpenAI", "openai", "gpt-5.4-mini", { reasoning: "medium", total: G }, [0.75, 4.5, 0.075]),
  preset("gpt_5_4_nano", "GPT-5.4 nano", "OpenAI", "openai", "gpt-5.4-nano", { reasoning: "medium", total: G }, [0.2, 1.25, 0.02]),
  preset("gpt_5_5", "GPT-5.5", "OpenAI", "openai", "gpt-5.5", { reasoning: "medium", total: G }, [5, 30, 0.5]),
  // No cached price there: cached input is charged at the input price.
  preset("gpt_5_5_pro", "GPT-5.5 Pro", "OpenAI", "openai-responses", "gpt-5.5-pro", { reasoning: "medium", total: G }, [30, 180, 30]),
];
