/**
 * Turns what a provider sent back (status, headers, body) or what went wrong on the way (timeout,
 * refused connection) into a ProviderError whose message an admin can act on, e.g.
 * "Anthropic: invalid API key (401)". Provider messages are quoted only where they help and never
 * contain our key: anything that looks like one is masked.
 */
import { ProviderError, type ProviderErrorCode } from "./types";

/** Matches billing problems, which no amount of waiting fixes (OpenAI, Anthropic, Gemini wording). */
const QUOTA = /insufficient_quota|billing|credit balance/i;
const OVERLOADED = /overloaded/i;
/** Gemini answers a bad key with 400 INVALID_ARGUMENT, not 401. */
const BAD_KEY = /API_KEY_INVALID|API key not valid|invalid[_ ]api[_ ]key/i;

const RETRYABLE: Record<ProviderErrorCode, boolean> = {
  rate_limited: true,
  overloaded: true,
  server_error: true,
  timeout: true,
  network: true,
  malformed_response: true,
  invalid_key: false,
  quota_exhausted: false,
  bad_request: false,
  not_configured: false,
};

export function providerError(code: ProviderErrorCode, message: string, status?: number, retryAfterSec?: number): ProviderError {
  return new ProviderError(code, message, RETRYABLE[code], status, retryAfterSec);
}

interface ErrorBody {
  message: string | null;
  /** Google RetryInfo.retryDelay ("12s"), in seconds. */
  retryDelaySec: number | undefined;
}

/** `{error: {message}}` is common to OpenAI, Anthropic and Gemini; Gemini adds `details`. */
function readErrorBody(text: string): ErrorBody {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown; details?: Array<Record<string, unknown>> } };
    const message = typeof body.error?.message === "string" ? body.error.message : null;
    const retryInfo = body.error?.details?.find((d) => String(d["@type"]).endsWith("RetryInfo"));
    const delay = typeof retryInfo?.retryDelay === "string" ? parseFloat(retryInfo.retryDelay) : NaN;
    return { message, retryDelaySec: Number.isFinite(delay) ? delay : undefined };
  } catch {
    return { message: null, retryDelaySec: undefined };
  }
}

/** Retry-After (seconds or an HTTP date) or retry-after-ms (OpenAI, Azure). */
export function retryAfterSec(headers: Headers): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (headers.has("retry-after-ms") && Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const v = headers.get("retry-after");
  if (!v) return undefined;
  const sec = Number(v);
  if (Number.isFinite(sec) && sec >= 0) return sec;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, (date - Date.now()) / 1000) : undefined;
}

/** Masks the key we sent and anything shaped like a vendor key (sk-..., AIza...). */
export function redact(text: string, apiKey: string | null): string {
  let out = apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[redacted]") : text;
  out = out.replace(/\b(sk-[A-Za-z0-9_*-]{6,}|AIza[0-9A-Za-z_-]{10,})/g, "[redacted]");
  return out.length > 400 ? `${out.slice(0, 400)}…` : out;
}

/** A non-2xx answer as a ProviderError. `label` names the provider ("OpenAI"). */
export function classifyHttpError(label: string, status: number, headers: Headers, bodyText: string, apiKey: string | null): ProviderError {
  const body = readErrorBody(bodyText);
  const said = redact(body.message ?? bodyText.trim(), apiKey);
  const quoted = said ? `: ${said}` : "";
  const wait = retryAfterSec(headers) ?? body.retryDelaySec;

  if (status === 401 || status === 403 || (status === 400 && BAD_KEY.test(bodyText))) {
    return providerError("invalid_key", `${label}: invalid API key (${status})`, status);
  }
  // Gemini words per-minute limits with "billing" too; a retry delay tells them apart.
  if ([400, 402, 429].includes(status) && QUOTA.test(bodyText) && wait === undefined) {
    return providerError("quota_exhausted", `${label}: quota or credit exhausted, check billing (${status})${quoted}`, status);
  }
  if (status === 429) return providerError("rate_limited", `${label}: rate limited (429)`, status, wait);
  if (status === 529 || status === 503 || OVERLOADED.test(bodyText)) {
    return providerError("overloaded", `${label}: overloaded, try again later (${status})`, status, wait);
  }
  if (status === 408) return providerError("timeout", `${label}: request timed out (408)`, status);
  if (status >= 500) return providerError("server_error", `${label}: server error (${status})`, status, wait);
  return providerError("bad_request", `${label}: request rejected (${status})${quoted}`, status);
}

/** An answer that is not the JSON (or event stream) the protocol promises. */
export function malformed(label: string, what: string): ProviderError {
  return providerError("malformed_response", `${label}: malformed response (${what})`);
}

/** Errors of an SSE `error` event mid-stream, which carry a type instead of a status. */
export function classifyStreamError(label: string, type: string, message: string, apiKey: string | null): ProviderError {
  const status = { overloaded_error: 529, rate_limit_error: 429, api_error: 500, authentication_error: 401 }[type] ?? 400;
  return classifyHttpError(label, status, new Headers(), JSON.stringify({ error: { type, message } }), apiKey);
}

/**
 * Failures below HTTP: our deadline, the caller's abort (rethrown as is: not an error of the
 * provider) and connection errors. Anything else is a bug and is rethrown untouched.
 */
export function classifyTransportError(label: string, err: unknown, timedOut: boolean, timeoutSec: number): unknown {
  if (err instanceof Error && err.name === "ProviderError") return err;
  if (timedOut) return providerError("timeout", `${label}: no answer within ${timeoutSec} s (timeout)`);
  if (err instanceof Error && err.name === "AbortError") return err;
  if (err instanceof TypeError) {
    const cause = (err as { cause?: { code?: string } }).cause;
    const code = cause?.code ?? err.message;
    return providerError("network", `${label}: network error (${code})`);
  }
  return err;
}
