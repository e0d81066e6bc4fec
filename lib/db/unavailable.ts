/**
 * Whether an error means "the database did not answer in time" (lib/db's connection and query
 * deadlines, or PostgreSQL's own statement_timeout), as opposed to a bug: the route wrapper then
 * answers 503 `unavailable` with Retry-After instead of a 500.
 */
const PATTERNS = [
  /timeout exceeded when trying to connect/i,
  /Query read timeout/i,
  /canceling statement due to statement timeout/i,
  /Connection terminated (due to connection timeout|unexpectedly)/i,
  /connect ECONNREFUSED/i,
  /Can't reach database server/i,
  /Timed out fetching a new connection/i,
];
/** Prisma's codes for an unreachable server / connection-pool timeout / closed connection. */
const CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);

export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (CODES.has(code) || code === "57014")) return true;
    const message = e instanceof Error ? e.message : typeof e === "string" ? e : "";
    if (PATTERNS.some((p) => p.test(message))) return true;
  }
  return false;
}
