/**
 * Security headers for every response (set by proxy.ts). Pages get a Content Security Policy
 * with a fresh nonce per request; Next reads the nonce back from the request's CSP header and
 * stamps it on its own scripts, which works because every page renders dynamically (the root
 * layout reads the session). Everything else (API, assets, static chunks) gets a policy that
 * allows nothing, since none of it is a document that should run or load anything.
 *
 * Why each page directive is what it is:
 * - script-src: the nonce plus 'strict-dynamic' (scripts Next's nonced runtime loads are
 *   trusted, nothing else; 'self' is only a fallback for CSP2 browsers) and 'wasm-unsafe-eval'
 *   for the meshopt decoder that three.js compiles from bundled WebAssembly.
 * - connect-src 'self' blob: data: : fetches go to this site only, so a GLB whose textures or
 *   buffers point elsewhere cannot make a voter's browser call out; GLTFLoader reads embedded
 *   images through blob: URLs (ImageBitmapLoader uses fetch) and may read data: URIs.
 * - img-src 'self' blob: data: : renders, the inline favicon and GLB textures.
 * - style-src-elem 'self' + nonce; style-src-attr 'unsafe-inline': React writes style
 *   attributes (progress bars, chart positions) into the server HTML, which a nonce cannot cover;
 *   style attributes cannot run code. `style-src` carries the same for CSP2 browsers.
 * - worker-src 'self' blob: : three.js can decode in blob: workers (not enabled today; cheap to allow).
 * - object-src 'none', base-uri 'self', form-action 'self', frame-ancestors 'none' (with
 *   X-Frame-Options for old browsers): no plugins, no base-tag hijack, forms post only here, and
 *   the voting page cannot be framed for clickjacking.
 * - upgrade-insecure-requests and HSTS only when the client used https: on a plain-http self-host
 *   they would break every request.
 */
export interface SecurityHeaderOptions {
  /** Present for pages: the per-request script nonce. */
  nonce?: string;
  /** The client reached us over https (directly or through a trusted proxy). */
  https: boolean;
  /** `next dev` needs eval for React's debugging aids. */
  dev?: boolean;
}

export function pagePolicy(nonce: string, opts: { https: boolean; dev?: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    `style-src-elem 'self' 'nonce-${nonce}'${opts.dev ? " 'unsafe-inline'" : ""}`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self' blob: data:",
    "worker-src 'self' blob:",
    "media-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** For responses that are not pages: they load nothing and are framed by no one. */
export const NON_PAGE_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function securityHeaders(opts: SecurityHeaderOptions): [string, string][] {
  return [
    ["Content-Security-Policy", opts.nonce ? pagePolicy(opts.nonce, opts) : NON_PAGE_POLICY],
    ["X-Content-Type-Options", "nosniff"],
    ["X-Frame-Options", "DENY"],
    // Full URLs (which can carry battle ids or a verification token) only to ourselves.
    ["Referrer-Policy", "same-origin"],
    // Only what the arena uses: full screen for the viewers. Named features only, so browsers do
    // not log "unrecognized feature" errors.
    ["Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), fullscreen=(self)"],
    ["Cross-Origin-Opener-Policy", "same-origin"],
    ["Cross-Origin-Resource-Policy", "same-origin"],
    ...(opts.https ? ([["Strict-Transport-Security", "max-age=31536000"]] as [string, string][]) : []),
  ];
}

/** Paths that render a page (and so need a nonce): everything but the API and Next's static files. */
export function isPagePath(pathname: string): boolean {
  return !pathname.startsWith("/api/") && pathname !== "/api" && !pathname.startsWith("/_next/");
}
