/**
 * Browser-side client for the battle API (contract: lib/contracts.ts). Every failure becomes an
 * `ArenaApiError` carrying the server's code and its one readable message.
 */
import type { z } from "zod";
import type { ApiErrorBody, BattleResponse, Outcome, Track, VoteResponse, ZReportBody } from "@/lib/contracts";

export class ArenaApiError extends Error {
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds the server asked us to wait (Retry-After on a 429), when it said. */
    readonly retryAfterSec: number | null = null,
    /** 409 already_voted: the vote the battle already has, with its reveal. */
    readonly recorded: ApiErrorBody["recorded"] | null = null,
  ) {
    super(message);
    this.name = "ArenaApiError";
  }
}

const FALLBACK_MESSAGES: Record<number, string> = {
  0: "Could not reach the server. Check your connection and try again.",
  400: "The request was not understood.",
  403: "This battle's voting token is no longer valid.",
  404: "This battle no longer exists.",
  409: "This battle already has a vote; each battle counts once.",
  422: "The vote could not be accepted.",
  429: "Too many requests. Wait a moment and try again.",
  503: "The arena is temporarily unavailable.",
};

function isErrorBody(body: unknown): body is ApiErrorBody {
  if (typeof body !== "object" || body === null || !("error" in body)) return false;
  const error = (body as { error: unknown }).error;
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}

async function request<T>(url: string, body: unknown, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      cache: "no-store",
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ArenaApiError(0, "network", FALLBACK_MESSAGES[0]!);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
    if (isErrorBody(json)) throw new ArenaApiError(res.status, json.error.code, json.error.message, retryAfter, json.recorded ?? null);
    const message = FALLBACK_MESSAGES[res.status] ?? `The server answered with an unexpected error (${res.status}).`;
    throw new ArenaApiError(res.status, `http_${res.status}`, message, retryAfter);
  }
  if (json === null) throw new ArenaApiError(res.status, "bad_response", "The server sent an unreadable answer.");
  return json as T;
}

/** Lost on the way (no answer) or the server could not answer now: the same request may be sent again. */
function isTransient(err: unknown): boolean {
  return err instanceof ArenaApiError && (err.status === 0 || err.status === 502 || err.status === 503 || err.status === 504) && err.code !== "no_battles";
}

/** Waits before the n-th retry (0.5 s, 1 s, 2 s, ...), or the server's Retry-After when it said. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000];

/**
 * Sends `send()` again after a transient failure, up to RETRY_DELAYS_MS.length times. Only for
 * requests the server treats as idempotent: a battle request carries its Idempotency-Key, a vote
 * its single-use token (sent again, it answers 200 with the reveal it was given).
 */
async function withRetries<T>(send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      if (!isTransient(err) || attempt >= RETRY_DELAYS_MS.length || signal?.aborted) throw err;
      const hinted = (err as ArenaApiError).retryAfterSec;
      const delay = hinted !== null ? Math.min(hinted * 1000, 10_000) : RETRY_DELAYS_MS[attempt]!;
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}

export function createBattle(track: Track, signal?: AbortSignal): Promise<BattleResponse> {
  // One key for this request and its retries: a lost answer does not mint a second battle.
  const key = crypto.randomUUID();
  return withRetries(() => request<BattleResponse>("/api/battles", { track }, signal, { "idempotency-key": key }), signal);
}

export interface VoteRequest {
  token: string;
  outcome: Outcome;
  /** Quality signals (lib/contracts.ts ZVoteBody): time on screen, both models seen, looked around. */
  decisionMs?: number;
  bothLoaded?: boolean;
  interacted?: boolean;
}

/** Retried by itself when the answer is lost or the server is briefly unavailable (see withRetries). */
export function castVote(battleId: string, vote: VoteRequest): Promise<VoteResponse> {
  return withRetries(() => request<VoteResponse>(`/api/battles/${encodeURIComponent(battleId)}/vote`, vote));
}

export type ReportRequest = z.input<typeof ZReportBody>;
export type ReportReason = ReportRequest["reason"];

export function reportSide(battleId: string, report: ReportRequest): Promise<{ ok: true }> {
  return request<{ ok: true }>(`/api/battles/${encodeURIComponent(battleId)}/report`, report);
}

/** Retry-After is either delta-seconds or an HTTP date; anything else means "not said". */
function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/** How long to wait before retrying after a 429: the server's word, else a short default. */
export function rateLimitDelayMs(err: ArenaApiError): number {
  return Math.min(Math.max(err.retryAfterSec ?? 5, 1), 120) * 1000;
}

export function isRateLimited(err: unknown): err is ArenaApiError {
  return err instanceof ArenaApiError && err.status === 429;
}

/** True when no two ready generations exist yet for the track (the API's "no_battles"). */
export function isNoBattles(err: unknown): boolean {
  return err instanceof ArenaApiError && err.code === "no_battles";
}

/**
 * Errors after which the same vote may be sent again: nothing was recorded, or we cannot know.
 * A resend is safe: a vote that did land answers 200 with the reveal it was given.
 */
export function isRetryableVoteError(err: ArenaApiError): boolean {
  return err.status === 0 || err.status === 429 || err.status >= 500;
}
