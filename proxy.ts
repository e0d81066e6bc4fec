/**
 * Next's proxy (formerly middleware): runs before every request and adds the security headers
 * (lib/web/security-headers.ts). For pages it also puts the per-request CSP, nonce included, on
 * the request, where Next's renderer reads the nonce to stamp its own scripts.
 */
import { NextResponse, type NextRequest } from "next/server";
import { isPagePath, securityHeaders } from "@/lib/web/security-headers";

export function proxy(request: NextRequest): NextResponse {
  const page = isPagePath(request.nextUrl.pathname);
  const nonce = page ? Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64") : undefined;
  // X-Forwarded-Proto reaches the app only from a trusted proxy (scripts/web-server.ts).
  const https = request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
  const headers = securityHeaders({ nonce, https, dev: process.env.NODE_ENV === "development" });
  const requestHeaders = new Headers(request.headers);
  if (nonce) requestHeaders.set("content-security-policy", headers.find(([k]) => k === "Content-Security-Policy")![1]);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of headers) response.headers.set(name, value);
  return response;
}
