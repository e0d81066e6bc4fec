/**
 * What a call costs (docs/benchmark.md §6): input x in-price + (output + thinking) x out-price +
 * cached x cached-price + cache writes x cache-write price, prices in USD per million tokens.
 */
import type { CallUsage, ChatRequest, Prices } from "./types";

export type TokenCounts = Pick<CallUsage, "inputTokens" | "cachedTokens" | "cacheWriteTokens" | "outputTokens" | "thinkingTokens">;

export function callCost(u: TokenCounts, p: Prices): number {
  return (u.inputTokens * p.input + (u.outputTokens + u.thinkingTokens) * p.output + u.cachedTokens * p.cached + u.cacheWriteTokens * p.cacheWrite) / 1e6;
}

/** The usual rule of thumb for English and code: about four characters a token. */
export const CHARS_PER_TOKEN = 4;
/**
 * Tokens an image is assumed to take before the call. Vendors differ (Gemini 258, Anthropic
 * ~w*h/750, OpenAI 85-765 by detail); 1,000 keeps estimates on the safe side for 512-px views.
 */
export const IMAGE_TOKENS_ESTIMATE = 1000;
/** Output assumed when a model sets no maxOutputTokens, for rate-limit reservations only. */
export const DEFAULT_OUTPUT_ESTIMATE = 4096;

export function promptTokensEstimate(chars: number, images = 0): number {
  return Math.ceil(chars / CHARS_PER_TOKEN) + images * IMAGE_TOKENS_ESTIMATE;
}

/** Tokens reserved against a tokens-per-minute budget before the call; corrected after. */
export function reservationTokens(req: ChatRequest): number {
  const prompt = promptTokensEstimate(req.system.length + req.user.text.length, req.user.images?.length ?? 0);
  return prompt + (req.settings.maxOutputTokens ?? DEFAULT_OUTPUT_ESTIMATE);
}

/**
 * Expected cost of one call, for sweep estimates before anything is sent: the prompt is priced
 * as uncached input, the expected output (and thinking) at the output price.
 */
export function estimateCallCost(
  e: { promptChars: number; images?: number; expectedOutputTokens: number; expectedThinkingTokens?: number },
  p: Prices,
): number {
  return callCost(
    {
      inputTokens: promptTokensEstimate(e.promptChars, e.images ?? 0),
      cachedTokens: 0,
      cacheWriteTokens: 0,
      outputTokens: e.expectedOutputTokens,
      thinkingTokens: e.expectedThinkingTokens ?? 0,
    },
    p,
  );
}
