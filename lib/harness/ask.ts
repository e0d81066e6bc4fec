/**
 * One attempt of an LLM harness: call the model, extract code, and ask again (a fresh call) while
 * the answer does not parse, up to 4 calls (docs/benchmark.md §6). Usage and cost add up over the
 * calls. Provider failures end the attempt with a readable reason and stop the generation. Under
 * the benchmark's rules (prompt set 3dcodebench) an empty answer stops at once and an attempt that
 * ends without code ends the generation.
 */
import type { Track } from "@/lib/contracts";
import type { CodeResult, Usage } from "@/lib/contestants/types";
import { ZERO_USAGE } from "@/lib/contestants/types";
import { ProviderError, type CallUsage, type ModelSettings, type Prices, type ProviderClient } from "@/lib/providers/types";
import { callCost } from "@/lib/providers/cost";
import { extractCode } from "./extract";
import type { UserMessage } from "./prompts";
import { ARENA_PROMPT_SET, type PromptSet } from "./prompt-set";
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
  /** What the model is told and the rules around its answers; default: the arena's own. */
  promptSet?: PromptSet;
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

export async function askForCode(deps: HarnessDeps, message: UserMessage, req: { track: Track; attempt: number }): Promise<CodeResult> {
  const set = deps.promptSet ?? ARENA_PROMPT_SET;
  const benchmark = set.rules.parseRetry === "benchmark";
  let usage: Usage = { ...ZERO_USAGE };
  let raw: string | null = null;
  let reason = "no answer";
  for (let tries = 1; tries <= MAX_PARSE_TRIES; tries++) {
    try {
      const res = await deps.client.chat(deps.modelId, {
        system: set.systemPrompt(req.track),
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
    const extracted = await extractCode(raw, deps.syntax, set.rules.extraction);
    if (extracted.ok) return { code: extracted.code, parseOk: true, error: null, usage, rawResponse: raw, parseTries: tries, prompt: message.text };
    reason = extracted.reason;
    if (benchmark && extracted.empty) {
      // The benchmark takes an empty answer as a spent thinking budget: no further call.
      const error = req.attempt === 0 ? "Empty response (the benchmark's rules: no further call)." : `Retry response unparseable: empty response.`;
      return { code: null, parseOk: false, error, usage, rawResponse: raw, parseTries: tries, prompt: message.text, final: true };
    }
  }
  if (benchmark) {
    // First attempt: ERR_PARSE, the instance ends. A retry: the loop stops, the previous code stands.
    const error =
      req.attempt === 0
        ? `Unparseable response after ${MAX_PARSE_TRIES} attempt(s): ${reason}.`
        : `Retry response unparseable: ${reason}; the benchmark's rules end the retries here.`;
    return { code: null, parseOk: false, error, usage, rawResponse: raw, parseTries: MAX_PARSE_TRIES, prompt: message.text, final: true };
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
