/**
 * What the protocol modules (openai, openai-responses, anthropic, gemini) share: the call contract,
 * one POST helper that turns non-2xx answers into ProviderErrors, and zod-checked JSON bodies so a
 * missing field is a malformed_response rather than a TypeError deep in a harness.
 */
import type { z } from "zod";
import { classifyHttpError, malformed } from "./errors";
import type { CallUsage, ChatImage, ChatRequest } from "./types";

export interface CallContext {
  baseUrl: string;
  /** Null only for openai-compatible endpoints that need none. */
  apiKey: string | null;
  /** Carries the caller's abort and the request timeout. */
  signal: AbortSignal;
  /** "OpenAI", "Anthropic"...: the start of every error message. */
  label: string;
}

export interface WireResult {
  text: string;
  usage: Omit<CallUsage, "latencyMs">;
  finishReason: string | null;
}

/** One HTTP exchange in one protocol; retries, limits and timing are the client's business. */
export type ProtocolCall = (modelId: string, req: ChatRequest, ctx: CallContext) => Promise<WireResult>;

export { THINKING_BUDGET } from "./reasoning";

/** Base URL + path without doubled or missing slashes. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}

export function dataUrl(img: ChatImage): string {
  return `data:${img.mediaType};base64,${img.data}`;
}

/** POSTs JSON; a non-2xx answer becomes a classified ProviderError. */
export async function postJson(ctx: CallContext, url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
    signal: ctx.signal,
  });
  if (!res.ok) throw classifyHttpError(ctx.label, res.status, res.headers, await res.text(), ctx.apiKey);
  return res;
}

/** Parses and checks a JSON body against the protocol's schema. */
export function parseBody<T>(ctx: CallContext, text: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(ctx.label, "body is not JSON");
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw malformed(ctx.label, `${first?.path.join(".") || "body"}: ${first?.message ?? "unexpected shape"}`);
  }
  return parsed.data;
}

/** Providers include cached/thinking tokens in their totals; never let a subtraction go negative. */
export function minus(total: number, part: number): number {
  return Math.max(0, total - part);
}
