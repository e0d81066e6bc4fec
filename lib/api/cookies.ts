/**
 * A request's cookies for route handlers (lib/api/handler.ts): read from the Cookie header and
 * written as Set-Cookie on whatever the route answers, errors included. Nothing here needs Next's
 * request context, so the same handlers run behind Next's router and in the web server's fast
 * lane (lib/web/fast-lane.ts).
 */

/**
 * The cookies of one request as the voter code uses them: route handlers pass their request's
 * (requestCookieJar), pages get Next's `cookies()` (lib/battles/voter.ts).
 */
export interface CookieJar {
  names(): string[];
  get(name: string): string | undefined;
  set(name: string, value: string, options: { httpOnly: boolean; sameSite: "lax"; secure: boolean; path: string; maxAge: number }): void;
}

/** next-auth's session cookie (JWT strategy), `__Secure-` over https, `.0`, `.1`, ... when chunked. */
const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/** Whether a request carries a session at all; without one there is no account to read. */
export function hasSessionCookie(names: Iterable<string>): boolean {
  for (const name of names) if (SESSION_COOKIE.test(name)) return true;
  return false;
}

export function hasSessionCookieHeader(header: string | null): boolean {
  return header !== null && hasSessionCookie(parseCookieHeader(header).keys());
}

/** RFC 6265 cookie-octets: what we write must not need quoting or escaping. */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const COOKIE_VALUE = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

export function parseCookieHeader(header: string | null): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    // The first of two same-named cookies wins, as browsers send the most specific path first.
    if (name && !out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export function requestCookieJar(headers: { get(name: string): string | null }): CookieJar & { setCookies: string[] } {
  const jar = parseCookieHeader(headers.get("cookie"));
  const setCookies: string[] = [];
  return {
    setCookies,
    names: () => [...jar.keys()],
    get: (name) => jar.get(name),
    set(name, value, o) {
      if (!COOKIE_NAME.test(name) || !COOKIE_VALUE.test(value)) throw new Error(`refusing to write cookie ${name}: characters outside RFC 6265`);
      jar.set(name, value);
      setCookies.push(`${name}=${value}; Path=${o.path}; Max-Age=${o.maxAge}${o.httpOnly ? "; HttpOnly" : ""}; SameSite=${o.sameSite === "lax" ? "Lax" : o.sameSite}${o.secure ? "; Secure" : ""}`);
    },
  };
}

/** Adds the cookies a route wrote to its answer. */
export function withSetCookies(res: Response, setCookies: readonly string[]): Response {
  for (const c of setCookies) res.headers.append("set-cookie", c);
  return res;
}
