/**
 * Conditional GET for rendered JSON (RFC 9110 §13.1.2): a client that already holds the current
 * bytes (If-None-Match with their ETag) gets 304 and no body.
 */
import { createHash } from "node:crypto";

export interface RenderedJson {
  body: string;
  /** Strong validator (quoted): the same bytes always get the same tag, in every process. */
  etag: string;
}

export function renderJson(data: unknown): RenderedJson {
  const body = JSON.stringify(data);
  return { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"` };
}

/** If-None-Match uses the weak comparison: `W/"x"` matches `"x"`; `*` matches any current representation. */
export function noneMatch(header: string | null, etag: string): boolean {
  if (!header) return false;
  const want = etag.replace(/^W\//, "");
  return header.split(",").some((t) => {
    const tag = t.trim();
    return tag === "*" || tag.replace(/^W\//, "") === want;
  });
}

export function conditionalJson(req: Request, rendered: RenderedJson, cacheControl: string): Response {
  const headers = { ETag: rendered.etag, "Cache-Control": cacheControl };
  if (noneMatch(req.headers.get("if-none-match"), rendered.etag)) return new Response(null, { status: 304, headers });
  return new Response(rendered.body, { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
}
