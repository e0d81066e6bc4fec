/**
 * One attempt of an LLM harness: call the model, extract code, and ask again (a fresh call) while
 * the answer does not parse, up to 4 calls (docs/benchmark.md §6). Usage and cost add up over the
 * calls. Provider failures end the attempt with a readable reason and stop the generation.
 */
import type { CodeResult, Usage } from "@/lib/contestants/types";
import { ZERO_USAGE } from "@/lib/contestants/types";
import { ProviderError, type CallUsage, type ModelSettings, type Prices, type ProviderClient } from "@/lib/providers/types";
import { callCost } from "@/lib/providers/cost";
import { extractCode } from "./extract";
import type { UserMessage } from "./prompts";
import { SYSTEM_PROMPT } from "./prompts";
import type { SyntaxChecker } from "./syntax";

/** docs/benchmark.md §6: "otherwise ask again (up to 4 tries)". */
export const MAX_PARSE_TRIES = 4;

export interface HarnessDeps {
  client: ProviderClient;
  modelId: string;
  prices: Prices;
  settings: ModelSettings & Record<string, unknown>;
  /** Shown in error texts, e.g. "OpenAI". */
  providerLabel: string;
  /** For logging and rate-limit accounting, e.g. the contestant slug. */
  label?: string;
  syntax?: SyntaxChecker;
}

export function addCall(total: Usage, u: CallUsage, prices: Prices): Usage {
  return {
    inputTokens: total.inputTokens + u.inputTokens,
    cachedTokens: total.cachedTokens + u.cachedTokens,
    cacheWriteTokens: total.cacheWriteTokens + u.cacheWriteTokens,
    outputTokens: total.outputTokens + u.outputTokens,
    thinkingTokens: total.thinkingTokens + u.thinkingTokens,
    latencyMs: total.latencyMs + u.latencyMs,
    costUsd: total.costUsd + callCost(u, prices),
  };
}

const CODE_WORDS: Record<string, string> = {
  rate_limited: "rate limited",
  overloaded: "overloaded",
  server_error: "server error",
  timeout: "no answer in time",
  network: "network error",
  malformed_response: "malformed response",
  invalid_key: "invalid API key",
  quota_exhausted: "quota exhausted",
  bad_request: "bad request",
  not_configured: "not configured",
};

/** "OpenAI: quota exhausted (429): <provider's words>". The provider clients already word it so. */
export function providerFailureText(label: string, err: ProviderError): string {
  const said = err.message.trim().slice(0, 400);
  if (said.startsWith(`${label}:`)) return said;
  const head = `${label}: ${CODE_WORDS[err.code] ?? err.code}${err.status ? ` (${err.status})` : ""}`;
  return said ? `${head}: ${said}` : head;
}

export async function askForCode(deps: HarnessDeps, message: UserMessage): Promise<CodeResult> {
  let usage: Usage = { ...ZERO_USAGE };
  let raw: string | null = null;
  let reason = "no answer";
  for (let tries = 1; tries <= MAX_PARSE_TRIES; tries++) {
    try {
      const res = await deps.client.chat(deps.modelId, {
        system: SYSTEM_PROMPT,
        user: message,
        settings: deps.settings,
        label: deps.label,
      });
      usage = addCall(usage, res.usage, deps.prices);
      raw = res.text;
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      // The client has already retried what was retryable: another call would fail the same way
      // and burn the remaining tries, so the generation ends here with a reason an admin can act on.
      const error = providerFailureText(deps.providerLabel, err);
      return { code: null, parseOk: false, error, usage, rawResponse: raw, parseTries: tries, prompt: message.text, final: true };
    }
    const extracted = await extractCode(raw, deps.syntax);
    if (extracted.ok) return { code: extracted.code, parseOk: true, error: null, usage, rawResponse: raw, parseTries: tries, prompt: message.text };
    reason = extracted.reason;
  }
  return {
    code: null,
    parseOk: false,
    error: `No parseable Python code after ${MAX_PARSE_TRIES} tries (last answer: ${reason}).`,
    usage,
    rawResponse: raw,
    parseTries: MAX_PARSE_TRIES,
    prompt: message.text,
  };
}
