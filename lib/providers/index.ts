/**
 * Entry point of the provider layer: a ProviderClient per wire protocol with the key lookup,
 * rate limits, timeout and retries applied, the connection test of the admin console, and the
 * list of kinds it offers. Harnesses call `providerClient(kind).chat(modelId, request)`.
 */
import { redis } from "@/lib/redis";
import { logger } from "@/lib/log";
import { messages } from "./anthropic";
import { accountLimits, accountOf, defaultBaseUrl, type Limits } from "./config";
import { providerEnv } from "@/lib/env";
import { reservationTokens } from "./cost";
import { classifyTransportError, providerError } from "./errors";
import { generateContent } from "./gemini";
import { resolveApiKey } from "./keys";
import { chatCompletions } from "./openai";
import { responses } from "./openai-responses";
import { memoryRateLimiter, redisRateLimiter, type Bucket, type RateLimiter } from "./call-budget";
import { withRetry, withTimeout, type RetryOptions } from "./retry";
import { parseModelSettings } from "./settings";
import { ProviderError, type ChatRequest, type ChatResponse, type ModelSettings, type ProviderClient, type ProviderErrorCode, type ProviderKind } from "./types";
import type { ProtocolCall } from "./wire";

export { callCost, estimateCallCost } from "./cost";
export { parseModelSettings } from "./settings";
export { ProviderError } from "./types";

const log = logger("providers");

/** The kinds the admin console offers, with their labels, in display order. */
export const PROVIDER_KINDS: ReadonlyArray<{ kind: ProviderKind; label: string; needsBaseUrl: boolean }> = [
  { kind: "openai", label: "OpenAI (Chat Completions)", needsBaseUrl: false },
  { kind: "openai-responses", label: "OpenAI (Responses API)", needsBaseUrl: false },
  { kind: "anthropic", label: "Anthropic (Messages)", needsBaseUrl: false },
  { kind: "gemini", label: "Google Gemini", needsBaseUrl: false },
  { kind: "openai-compatible", label: "OpenAI-compatible (vLLM, Ollama, OpenRouter...)", needsBaseUrl: true },
];

export function isProviderKind(s: string): s is ProviderKind {
  return PROVIDER_KINDS.some((k) => k.kind === s);
}

const PROTOCOLS: Record<ProviderKind, ProtocolCall> = {
  openai: chatCompletions,
  "openai-responses": responses,
  anthropic: messages,
  gemini: generateContent,
  "openai-compatible": chatCompletions,
};

/** Names that start every error message ("Anthropic: invalid API key (401)"). */
const LABELS: Record<ProviderKind, string> = {
  openai: "OpenAI",
  "openai-responses": "OpenAI",
  anthropic: "Anthropic",
  gemini: "Gemini",
  "openai-compatible": "OpenAI-compatible",
};

const DEFAULT_TIMEOUT_SEC = 300;

export interface ProviderClientOptions {
  /** Base URL when the model's settings give none (default: the provider's env variable). */
  baseUrl?: string;
  /** Skips the key store and environment; null = send no key. */
  apiKey?: string | null;
  retry?: Partial<RetryOptions>;
  /** Default: the process-wide limiter chosen by PROVIDER_RATE_LIMITER. */
  limiter?: RateLimiter;
  /** Account limits (default: PROVIDER_RPM_* / PROVIDER_TPM_*). */
  limits?: Limits;
}

const shared = globalThis as unknown as { __arenaProviderLimiter?: RateLimiter };

function sharedLimiter(): RateLimiter {
  shared.__arenaProviderLimiter ??=
    providerEnv().PROVIDER_RATE_LIMITER === "redis" ? redisRateLimiter(redis(), { ownsConnection: false }) : memoryRateLimiter();
  return shared.__arenaProviderLimiter;
}

/** Drops the shared limiter (its Redis connection is the process's shared one, lib/redis.ts). */
export async function closeProviders(): Promise<void> {
  const l = shared.__arenaProviderLimiter;
  shared.__arenaProviderLimiter = undefined;
  await l?.close();
}

/** The account's budget, and the model's own when its settings give one. */
function bucketsFor(kind: ProviderKind, modelId: string, baseUrl: string, s: ModelSettings, limits: Limits): Bucket[] {
  // Each openai-compatible endpoint is its own account.
  const account = kind === "openai-compatible" ? `${kind}:${new URL(baseUrl).host}` : accountOf(kind);
  const buckets: Bucket[] = [{ key: account, ...limits }];
  if (s.requestsPerMinute || s.tokensPerMinute) {
    buckets.push({ key: `${account}:${modelId}`, rpm: s.requestsPerMinute ?? 0, tpm: s.tokensPerMinute ?? 0 });
  }
  return buckets;
}

export function providerClient(kind: ProviderKind, opts: ProviderClientOptions = {}): ProviderClient {
  const label = LABELS[kind];
  const call = PROTOCOLS[kind];
  return {
    kind,
    async chat(modelId: string, req: ChatRequest): Promise<ChatResponse> {
      const s = req.settings;
      const baseUrl = s.baseUrl ?? opts.baseUrl ?? defaultBaseUrl(kind);
      if (!baseUrl) throw providerError("not_configured", `${label}: settings.baseUrl is required for ${kind} models`);
      const apiKey = opts.apiKey !== undefined ? opts.apiKey : await resolveApiKey(kind, s);
      const limiter = opts.limiter ?? sharedLimiter();
      const buckets = bucketsFor(kind, modelId, baseUrl, s, opts.limits ?? accountLimits(kind));
      const estimate = reservationTokens(req);
      const timeoutSec = s.timeoutSec ?? DEFAULT_TIMEOUT_SEC;
      const what = req.label ? `${modelId} (${req.label})` : modelId;

      return withRetry(
        async () => {
          const reservation = await limiter.acquire(buckets, estimate, req.signal);
          const started = performance.now();
          const r = await withTimeout(
            timeoutSec * 1000,
            req.signal,
            (signal) => call(modelId, req, { baseUrl, apiKey, signal, label }),
            (err, timedOut) => classifyTransportError(label, err, timedOut, timeoutSec),
          );
          const latencyMs = Math.round(performance.now() - started);
          const u = r.usage;
          await reservation.settle(u.inputTokens + u.cachedTokens + u.cacheWriteTokens + u.outputTokens + u.thinkingTokens);
          return { text: r.text, finishReason: r.finishReason, usage: { ...u, latencyMs } };
        },
        {
          ...opts.retry,
          signal: req.signal,
          onRetry: (err, attempt, delayMs) => log.warn(`${what}: ${err.message}; retry ${attempt} in ${(delayMs / 1000).toFixed(1)} s`),
        },
      );
    },
  };
}

export type ConnectionTest = { ok: true; latencyMs: number; sample: string } | { ok: false; code: ProviderErrorCode; message: string };

/** The connection test answers quickly: one attempt, at most this long. */
const TEST_TIMEOUT_SEC = 30;

/**
 * Sends "Reply with OK" to a contestant's model and reports what happened, for the admin console.
 * Never throws on provider trouble: the outcome, good or bad, is the result.
 */
export async function testConnection(
  contestant: { provider: string; providerModelId: string; settings: unknown },
  opts: ProviderClientOptions = {},
): Promise<ConnectionTest> {
  if (!isProviderKind(contestant.provider)) {
    return { ok: false, code: "not_configured", message: `"${contestant.provider}" is not a model provider (${PROVIDER_KINDS.map((k) => k.kind).join(", ")})` };
  }
  let settings: ModelSettings;
  try {
    settings = parseModelSettings(contestant.settings);
  } catch (err) {
    return { ok: false, code: "bad_request", message: (err as Error).message };
  }
  const client = providerClient(contestant.provider, { ...opts, retry: { maxAttempts: 1, ...opts.retry } });
  try {
    const res = await client.chat(contestant.providerModelId, {
      system: "You are a connection test.",
      user: { text: "Reply with OK" },
      // Reasoning off and a small cap: the test should cost next to nothing.
      settings: { ...settings, reasoning: "off", maxOutputTokens: 64, timeoutSec: Math.min(settings.timeoutSec ?? TEST_TIMEOUT_SEC, TEST_TIMEOUT_SEC) },
      label: "connection test",
    });
    return { ok: true, latencyMs: res.usage.latencyMs, sample: res.text.slice(0, 200) };
  } catch (err) {
    if (err instanceof ProviderError) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}
