/**
 * Reading a JSON request body with a size cap. The body is streamed and counted, so a client that
 * lies about (or omits) Content-Length still cannot make the server buffer more than the cap.
 */
import { ApiError } from "./errors";

/** Enough for every form in the app; routes that take lists (sweep retries) raise it. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

function tooLarge(max: number): ApiError {
  return new ApiError("payload_too_large", `The request body is larger than ${Math.round(max / 1024)} KiB.`);
}

export async function readJsonBody(req: Request, maxBytes: number = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  const declared = Number(req.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ApiError("unprocessable", "The request body must be JSON.");
  }
}
