/**
 * Cross-site request refusal for state-changing routes (POST/PUT/PATCH/DELETE). A browser lets any
 * page submit a form or a "simple" fetch to us with our cookies attached; three checks make such a
 * request fail before it does anything:
 *
 * 1. `Sec-Fetch-Site`, sent by every current browser, must be `same-origin` (our own pages) or
 *    `none` (typed by the user). `same-site` is refused too: a sibling subdomain is not us.
 * 2. `Origin`, when present, must be this site: the Host the browser addressed (a browser cannot
 *    forge Host cross-site), the X-Forwarded-Host of a trusted proxy (the web server entry drops it
 *    from anyone else), or NEXTAUTH_URL. `Origin: null` (sandboxed frames, privacy redirects) is
 *    refused.
 * 3. A body must be `application/json`. Forms can only send urlencoded, multipart or text/plain,
 *    and a cross-site fetch with a JSON content type needs a CORS preflight we never grant.
 *
 * Clients that are not browsers (curl, tests, scripts) send neither header and pass 1 and 2; they
 * carry no victim's cookies, so there is nothing to forge.
 */
import { ApiError } from "./errors";

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const OK_FETCH_SITES = new Set(["same-origin", "none"]);

type HeaderGet = (name: string) => string | null;

export function isStateChanging(method: string): boolean {
  return STATE_CHANGING.has(method.toUpperCase());
}

function hostOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

function ourHosts(get: HeaderGet, siteUrl: string | undefined): Set<string> {
  const hosts = new Set<string>();
  const host = get("host");
  if (host) hosts.add(host.trim().toLowerCase());
  const forwarded = get("x-forwarded-host");
  if (forwarded) hosts.add(forwarded.split(",")[0]!.trim().toLowerCase());
  const site = siteUrl ? hostOf(siteUrl) : null;
  if (site) hosts.add(site);
  return hosts;
}

function hasBody(get: HeaderGet): boolean {
  const length = get("content-length");
  return (length !== null && length.trim() !== "0") || get("transfer-encoding") !== null || get("content-type") !== null;
}

/**
 * Throws `cross_site` (403) or `unsupported_media_type` (415) for a request that must not change
 * state; returns quietly for safe methods and acceptable requests. `expectsBody`: the route reads
 * a JSON body, so a missing content type is refused as well.
 */
export function assertNotCrossSite(req: { method: string; headers: { get: HeaderGet } }, opts: { expectsBody: boolean; siteUrl?: string }): void {
  if (!isStateChanging(req.method)) return;
  const get = (n: string) => req.headers.get(n);
  const fetchSite = get("sec-fetch-site");
  if (fetchSite !== null && !OK_FETCH_SITES.has(fetchSite.trim().toLowerCase())) {
    throw new ApiError("cross_site", "This request came from another site. Use the arena's own pages.");
  }
  const origin = get("origin");
  if (origin !== null) {
    const host = hostOf(origin);
    if (!host || !ourHosts(get, opts.siteUrl).has(host)) {
      throw new ApiError("cross_site", "This request came from another site. Use the arena's own pages.");
    }
  }
  if (opts.expectsBody || hasBody(get)) {
    const type = (get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "application/json") {
      throw new ApiError("unsupported_media_type", "Send the body as JSON with Content-Type: application/json.");
    }
  }
}
