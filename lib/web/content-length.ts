/**
 * Next 16 drops Content-Length from route handler responses (next/dist/server/send-response.js
 * forbids it), so a download's progress could never be a percentage. A route that knows its exact
 * size says so in X-Content-Length; the web server entry turns that into the real header just
 * before the headers go out. Only when nothing re-encodes the body (no Content-Encoding).
 */
import type { ServerResponse } from "node:http";

export const SIZE_HINT_HEADER = "x-content-length";

export function restoreContentLength(res: ServerResponse): void {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    const hint = this.getHeader(SIZE_HINT_HEADER);
    if (hint !== undefined) {
      this.removeHeader(SIZE_HINT_HEADER);
      const size = Number(hint);
      if (Number.isSafeInteger(size) && size >= 0 && !this.getHeader("content-encoding") && !this.headersSent) {
        this.removeHeader("transfer-encoding");
        this.setHeader("content-length", String(size));
      }
    }
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}
