/**
 * The closed error contract (house rules §6): fixed codes, each mapped to one HTTP status and a
 * readable message. Unexpected errors become `internal` without leaking their text.
 */
import type { ApiErrorBody } from "@/lib/contracts";

export const ERROR_STATUS = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  bad_token: 403,
  battle_expired: 403,
  foreign_battle: 403,
  /** A state-changing request from another site (Origin / Sec-Fetch-Site), see lib/api/cross-site.ts. */
  cross_site: 403,
  not_found: 404,
  conflict: 409,
  already_voted: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  no_battles: 503,
  unavailable: 503,
  internal: 500,
} as const;
export type ErrorCode = keyof typeof ERROR_STATUS;

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Typed extras sent beside `error` (ApiErrorBody), e.g. the vote a 409 collided with. */
    readonly extra: Omit<ApiErrorBody, "error"> = {},
  ) {
    super(message);
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
