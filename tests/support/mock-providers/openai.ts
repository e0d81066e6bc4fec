/**
 * Mock OpenAI API: Chat Completions (POST /v1/chat/completions) and Responses (POST /v1/responses)
 * on one server, like api.openai.com. Error bodies copy the real ones (type, code, message).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendJson, sendTruncatedJson, startServer, type MockOptions, type MockRequest, type MockServer, type Outcome, type Protocol } from "./server";

type Part = { type: string; text?: string };

function textAndImages(content: unknown, textTypes: string[], imageTypes: string[]): { text: string; images: number } {
  if (typeof content === "string") return { text: content, images: 0 };
  const parts = Array.isArray(content) ? (content as Part[]) : [];
  return {
    text: parts.filter((p) => textTypes.includes(p.type)).map((p) => p.text ?? "").join("\n"),
    images: parts.filter((p) => imageTypes.includes(p.type)).length,
  };
}

function bearer(req: IncomingMessage): string | null {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  return m ? m[1]! : null;
}

function parse(req: IncomingMessage, url: URL, body: any): MockRequest | null {
  const key = bearer(req);
  if (url.pathname === "/v1/chat/completions") {
    const msgs = (body.messages ?? []) as Array<{ role: string; content: unknown }>;
    const system = msgs.filter((m) => m.role === "system" || m.role === "developer").map((m) => textAndImages(m.content, ["text"], []).text).join("\n");
    const users = msgs.filter((m) => m.role === "user").map((m) => textAndImages(m.content, ["text"], ["image_url"]));
    return {
      model: String(body.model),
      system,
      userText: users.map((u) => u.text).join("\n"),
      images: users.reduce((n, u) => n + u.images, 0),
      reasoning: typeof body.reasoning_effort === "string",
      key,
      body,
    };
  }
  if (url.pathname === "/v1/responses") {
    const input = typeof body.input === "string" ? [{ role: "user", content: body.input }] : ((body.input ?? []) as Array<{ role: string; content: unknown }>);
    const users = input.filter((m) => m.role === "user").map((m) => textAndImages(m.content, ["input_text"], ["input_image"]));
    return {
      model: String(body.model),
      system: String(body.instructions ?? ""),
      userText: users.map((u) => u.text).join("\n"),
      images: users.reduce((n, u) => n + u.images, 0),
      reasoning: typeof body.reasoning?.effort === "string",
      key,
      body,
    };
  }
  return null;
}

const err = (message: string, type: string, code: string | null) => ({ error: { message, type, param: null, code } });

function respondError(res: ServerResponse, outcome: Exclude<Outcome, { kind: "answer" }>, model: string): number {
  switch (outcome.kind) {
    case "rate_limited":
      return sendJson(res, 429, err(`Rate limit reached for ${model} on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 1s.`, "requests", "rate_limit_exceeded"), { "retry-after": "1" });
    case "server_error":
      return sendJson(res, 500, err("The server had an error while processing your request. Sorry about that!", "server_error", null));
    case "overloaded":
      return sendJson(res, 503, err("The engine is currently overloaded, please try again later.", "server_error", null));
    case "quota":
      return sendJson(res, 429, err("You exceeded your current quota, please check your plan and billing details.", "insufficient_quota", "insufficient_quota"));
    case "bad_key":
      return sendJson(res, 401, err("Incorrect API key provided: sk-bad*****. You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key"));
    case "malformed":
      return sendTruncatedJson(res);
    case "unknown_model":
      return sendJson(res, 404, err(`The model \`${model}\` does not exist or you do not have access to it.`, "invalid_request_error", "model_not_found"));
  }
}

function respond(res: ServerResponse, outcome: Outcome, r: MockRequest): number {
  if (outcome.kind !== "answer") return respondError(res, outcome, r.model);
  const u = outcome.usage;
  const created = Math.floor(Date.now() / 1000);
  if (r.body.messages) {
    return sendJson(res, 200, {
      id: `chatcmpl-mock${created}`,
      object: "chat.completion",
      created,
      model: r.model,
      choices: [{ index: 0, message: { role: "assistant", content: outcome.text, refusal: null }, logprobs: null, finish_reason: "stop" }],
      usage: {
        prompt_tokens: u.prompt,
        completion_tokens: u.output + u.thinking,
        total_tokens: u.prompt + u.output + u.thinking,
        prompt_tokens_details: { cached_tokens: u.cached, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: u.thinking, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
      },
      system_fingerprint: "fp_mock",
    });
  }
  return sendJson(res, 200, {
    id: `resp_mock${created}`,
    object: "response",
    created_at: created,
    status: "completed",
    model: r.model,
    output: [
      ...(u.thinking ? [{ type: "reasoning", id: "rs_mock", summary: [] }] : []),
      { type: "message", id: "msg_mock", status: "completed", role: "assistant", content: [{ type: "output_text", text: outcome.text, annotations: [] }] },
    ],
    usage: {
      input_tokens: u.prompt,
      input_tokens_details: { cached_tokens: u.cached },
      output_tokens: u.output + u.thinking,
      output_tokens_details: { reasoning_tokens: u.thinking },
      total_tokens: u.prompt + u.output + u.thinking,
    },
  });
}

export const openaiProtocol: Protocol = { parse, respond };

/** `url` ends in /v1, like OPENAI_BASE_URL. */
export function startMockOpenAI(opts: MockOptions = {}): Promise<MockServer> {
  return startServer(openaiProtocol, opts, "/v1");
}
