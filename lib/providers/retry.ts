/**
 * Retries with exponential backoff and jitter for errors that waiting can fix (rate limits,
 * overload, 5xx, timeouts, dropped connections). Everything else (bad key, no quota, bad request)
 * fails at the first attempt: retrying would only burn time and, for quota, money.
 */
import { ProviderError } from "./types";

export interface RetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Delay before the first retry; doubles each time. */
  baseMs: number;
  capMs: number;
  /** A malformed answer is retried at most this many times (it is seldom transient). */
  maxMalformedRetries: number;
  signal?: AbortSignal;
  /** Told before each wait, e.g. to log "rate limited, retrying in 4 s". */
  onRetry?: (err: ProviderError, attempt: number, delayMs: number) => void;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseMs: 1000, capMs: 60_000, maxMalformedRetries: 2 };

/**
 * Backoff for retry `n` (1-based): half fixed, half random ("equal jitter"), so workers that failed
 * together do not retry together. A provider's Retry-After wins over our guess.
 */
export function backoffMs(n: number, err: ProviderError, o: Pick<RetryOptions, "baseMs" | "capMs">, random = Math.random): number {
  if (err.retryAfterSec !== undefined) return err.retryAfterSec * 1000;
  const exp = Math.min(o.capMs, o.baseMs * 2 ** (n - 1));
  return exp / 2 + random() * (exp / 2);
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: Partial<RetryOptions> = {}): Promise<T> {
  const o = { ...DEFAULT_RETRY, ...opts };
  let malformedRetries = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!(err instanceof ProviderError) || !err.retryable || attempt >= o.maxAttempts) throw err;
      if (err.code === "malformed_response" && ++malformedRetries > o.maxMalformedRetries) throw err;
      const delay = backoffMs(attempt, err, o);
      o.onRetry?.(err, attempt, delay);
      await sleep(delay, o.signal);
    }
  }
}

/** setTimeout as a promise that rejects with the signal's reason when aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Runs one attempt under a deadline (settings.timeoutSec) joined with the caller's signal.
 * `classify` maps what the attempt threw, knowing whether our deadline was the cause.
 */
export async function withTimeout<T>(
  timeoutMs: number,
  signal: AbortSignal | undefined,
  fn: (signal: AbortSignal) => Promise<T>,
  classify: (err: unknown, timedOut: boolean) => unknown,
): Promise<T> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const joined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    return await fn(joined);
  } catch (err) {
    throw classify(err, deadline.aborted && !signal?.aborted);
  }
}
