/**
 * Mock Gemini API (POST /v1beta/models/{model}:generateContent), key by ?key= or x-goog-api-key.
 * Errors follow google.rpc.Status; the rate limit carries a RetryInfo detail instead of a header,
 * and a bad key is 400 API_KEY_INVALID, as the real API answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { THINKING_TEXT } from "./answers";
import { sendJson, sendTruncatedJson, startServer, type MockOptions, type MockRequest, type MockServer, type Outcome, type Protocol } from "./server";

type Part = { text?: string; inline_data?: unknown; inlineData?: unknown };

function parse(req: IncomingMessage, url: URL, body: any): MockRequest | null {
  const m = /^\/v1beta\/models\/([^/:]+):generateContent$/.exec(url.pathname);
  if (!m) return null;
  const header = req.headers["x-goog-api-key"];
  const key = url.searchParams.get("key") || (typeof header === "string" && header ? header : null);
  const system = ((body.systemInstruction ?? body.system_instruction)?.parts ?? []) as Part[];
  const parts = ((body.contents ?? []) as Array<{ role?: string; parts: Part[] }>).filter((c) => c.role !== "model").flatMap((c) => c.parts);
  const config = body.generationConfig ?? {};
  return {
    model: decodeURIComponent(m[1]!),
    system: system.map((p) => p.text ?? "").join("\n"),
    userText: parts.map((p) => p.text ?? "").join("\n"),
    images: parts.filter((p) => p.inline_data || p.inlineData).length,
    reasoning: (config.thinkingConfig?.thinkingBudget ?? 0) > 0,
    key,
    body,
  };
}

const status = (code: number, statusName: string, message: string, details?: object[]) => ({ error: { code, message, status: statusName, ...(details && { details }) } });

function respondError(res: ServerResponse, outcome: Exclude<Outcome, { kind: "answer" }>, model: string): number {
  switch (outcome.kind) {
    case "rate_limited":
      return sendJson(
        res,
        429,
        status(429, "RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details.", [
          { "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "1s" },
        ]),
      );
    case "server_error":
      return sendJson(res, 500, status(500, "INTERNAL", "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"));
    case "overloaded":
      return sendJson(res, 503, status(503, "UNAVAILABLE", "The model is overloaded. Please try again later."));
    case "quota":
      return sendJson(res, 429, status(429, "RESOURCE_EXHAUSTED", "Your project has exceeded its spending cap. Check billing in Google AI Studio."));
    case "bad_key":
      return sendJson(
        res,
        400,
        status(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", [
          { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "API_KEY_INVALID", domain: "googleapis.com" },
        ]),
      );
    case "malformed":
      return sendTruncatedJson(res);
    case "unknown_model":
      return sendJson(res, 404, status(404, "NOT_FOUND", `models/${model} is not found for API version v1beta, or is not supported for generateContent.`));
  }
}

function respond(res: ServerResponse, outcome: Outcome, r: MockRequest): number {
  if (outcome.kind !== "answer") return respondError(res, outcome, r.model);
  const u = outcome.usage;
  const parts = [...(u.thinking ? [{ text: THINKING_TEXT, thought: true }] : []), { text: outcome.text }];
  return sendJson(res, 200, {
    candidates: [{ content: { role: "model", parts }, finishReason: "STOP", index: 0 }],
    usageMetadata: {
      promptTokenCount: u.prompt,
      cachedContentTokenCount: u.cached,
      candidatesTokenCount: u.output,
      thoughtsTokenCount: u.thinking,
      totalTokenCount: u.prompt + u.output + u.thinking,
    },
    modelVersion: r.model,
  });
}

export const geminiProtocol: Protocol = { parse, respond };

/** `url` is the host root, like GEMINI_BASE_URL. */
export function startMockGemini(opts: MockOptions = {}): Promise<MockServer> {
  return startServer(geminiProtocol, opts);
}
