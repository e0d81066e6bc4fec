/**
 * One interface in front of every model API (OpenAI Chat Completions and Responses, Anthropic
 * Messages, Google Gemini generateContent, any OpenAI-compatible endpoint). Harnesses talk only
 * to this; keys never leave the server and are never logged.
 */

/** The wire protocols we speak. */
export type ProviderKind = "openai" | "openai-responses" | "anthropic" | "gemini" | "openai-compatible";

export type { ReasoningLevel } from "./reasoning";
import type { ReasoningLevel } from "./reasoning";

/** Per-model settings (Contestant.settings), all optional. */
export interface ModelSettings {
  temperature?: number;
  reasoning?: ReasoningLevel;
  maxOutputTokens?: number;
  seed?: number;
  /** Overrides the provider's base URL (required for openai-compatible). */
  baseUrl?: string;
  /** Name of the env variable or stored key to use instead of the provider default. */
  apiKeyName?: string;
  /** Text -> 3D user message: the category description (default) or its instruction (§6). */
  textPrompt?: "description" | "instruction";
  /** Per-model rate limits; default to the provider's. */
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  /** Request timeout in seconds (default 300). */
  timeoutSec?: number;
}

export interface ChatImage {
  /** image/png etc. */
  mediaType: string;
  /** base64 without the data: prefix. */
  data: string;
}

export interface ChatRequest {
  system: string;
  /** One user turn: text plus optional images (Image -> 3D sends the four reference views). */
  user: { text: string; images?: ChatImage[] };
  settings: ModelSettings;
  /** For logging and rate-limit accounting only. */
  label?: string;
  signal?: AbortSignal;
}

/** Usage of one call (docs/benchmark.md §6). `inputTokens` excludes cached reads. */
export interface CallUsage {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  thinkingTokens: number;
  latencyMs: number;
}

export interface ChatResponse {
  /** The answer text (may be empty). */
  text: string;
  usage: CallUsage;
  /** Provider's finish/stop reason, as given. */
  finishReason: string | null;
}

/**
 * Why a call failed, in words an admin can act on. `retryable` errors (overload, 5xx, timeouts,
 * transient network) are retried with backoff by the client; the others fail at once.
 */
export type ProviderErrorCode =
  | "rate_limited" // 429 that is a rate limit (retryable)
  | "overloaded" // 529 / 503 / "overloaded" (retryable)
  | "server_error" // 5xx (retryable)
  | "timeout" // no answer in time (retryable)
  | "network" // connection refused/reset (retryable)
  | "malformed_response" // not the JSON we expect (retryable once or twice)
  | "invalid_key" // 401/403
  | "quota_exhausted" // billing / insufficient_quota / credit balance
  | "bad_request" // 400: our request or the model id is wrong
  | "not_configured"; // no key or base URL

export class ProviderError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** Seconds the provider asked us to wait (Retry-After), when given. */
    readonly retryAfterSec?: number,
  ) {
    super(message);
    this.name = "ProviderError";
  }
}

export interface ProviderClient {
  readonly kind: ProviderKind;
  /** One call with retries, backoff and rate limiting applied. */
  chat(modelId: string, req: ChatRequest): Promise<ChatResponse>;
}

/** USD per million tokens (Contestant price columns). */
export interface Prices {
  input: number;
  cached: number;
  cacheWrite: number;
  output: number;
}
