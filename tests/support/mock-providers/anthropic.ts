/**
 * Mock Anthropic Messages API (POST /v1/messages), streaming (SSE: message_start,
 * content_block_start/delta/stop, message_delta, message_stop) or not, with thinking blocks when
 * `thinking` is enabled and the real error bodies ({type: "error", error: {type, message}}).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { THINKING_TEXT } from "./answers";
import { sendJson, startServer, type MockOptions, type MockRequest, type MockServer, type Outcome, type Protocol } from "./server";

type Block = { type: string; text?: string };

function parse(req: IncomingMessage, url: URL, body: any): MockRequest | null {
  if (url.pathname !== "/v1/messages") return null;
  const system = typeof body.system === "string" ? body.system : ((body.system ?? []) as Block[]).map((b) => b.text ?? "").join("\n");
  const users = ((body.messages ?? []) as Array<{ role: string; content: string | Block[] }>).filter((m) => m.role === "user");
  const blocks = users.flatMap((m) => (typeof m.content === "string" ? [{ type: "text", text: m.content }] : m.content));
  const key = req.headers["x-api-key"];
  return {
    model: String(body.model),
    system,
    userText: blocks.filter((b) => b.type === "text").map((b) => b.text ?? "").join("\n"),
    images: blocks.filter((b) => b.type === "image").length,
    reasoning: body.thinking?.type === "enabled",
    key: typeof key === "string" && key ? key : null,
    body,
  };
}

const err = (status: number, type: string, message: string, headers: Record<string, string> = {}) => ({ status, body: { type: "error", error: { type, message } }, headers });

function errorFor(outcome: Exclude<Outcome, { kind: "answer" }>, model: string) {
  switch (outcome.kind) {
    case "rate_limited":
      return err(429, "rate_limit_error", "This request would exceed the rate limit for your organization of 50 requests per minute.", { "retry-after": "1" });
    case "server_error":
      return err(500, "api_error", "Internal server error");
    case "overloaded":
      return err(529, "overloaded_error", "Overloaded");
    case "quota":
      return err(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.");
    case "bad_key":
      return err(401, "authentication_error", "invalid x-api-key");
    case "unknown_model":
      return err(404, "not_found_error", `model: ${model}`);
    case "malformed":
      return null;
  }
}

/** Splits text the way the API streams it: a few dozen characters per delta. */
function chunks(text: string, size = 40): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function respond(res: ServerResponse, outcome: Outcome, r: MockRequest): Promise<number> {
  if (outcome.kind !== "answer") {
    const e = errorFor(outcome, r.model);
    if (e) return sendJson(res, e.status, e.body, { "request-id": "req_mock", ...e.headers });
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end("event: message_start\ndata: {not json\n\n");
    return 200;
  }
  const u = outcome.usage;
  // Anthropic's input_tokens excludes cache reads and writes; output_tokens includes thinking.
  const usage = {
    input_tokens: u.prompt - u.cached,
    cache_creation_input_tokens: u.firstSeen ? u.cached : 0,
    cache_read_input_tokens: u.firstSeen ? 0 : u.cached,
    output_tokens: u.output + u.thinking,
  };
  const blocks: Array<{ type: "thinking" | "text"; text: string }> = [
    ...(u.thinking ? [{ type: "thinking" as const, text: THINKING_TEXT }] : []),
    { type: "text" as const, text: outcome.text },
  ];
  const message = { id: "msg_mock", type: "message", role: "assistant", model: r.model, stop_sequence: null };
  if (!r.body.stream) {
    const content = blocks.map((b) => (b.type === "thinking" ? { type: "thinking", thinking: b.text, signature: "sig_mock" } : { type: "text", text: b.text }));
    return sendJson(res, 200, { ...message, content, stop_reason: "end_turn", usage });
  }
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  const send = (type: string, data: object) => res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send("message_start", { message: { ...message, content: [], stop_reason: null, usage: { ...usage, output_tokens: 1 } } });
  send("ping", {});
  blocks.forEach((b, index) => {
    if (b.type === "thinking") {
      send("content_block_start", { index, content_block: { type: "thinking", thinking: "", signature: "" } });
      for (const c of chunks(b.text)) send("content_block_delta", { index, delta: { type: "thinking_delta", thinking: c } });
      send("content_block_delta", { index, delta: { type: "signature_delta", signature: "sig_mock" } });
    } else {
      send("content_block_start", { index, content_block: { type: "text", text: "" } });
      for (const c of chunks(b.text)) send("content_block_delta", { index, delta: { type: "text_delta", text: c } });
    }
    send("content_block_stop", { index });
  });
  send("message_delta", { delta: { stop_reason: "end_turn", stop_sequence: null }, usage: { output_tokens: usage.output_tokens } });
  send("message_stop", {});
  res.end();
  return 200;
}

export const anthropicProtocol: Protocol = { parse, respond };

/** `url` is the host root, like ANTHROPIC_BASE_URL. */
export function startMockAnthropic(opts: MockOptions = {}): Promise<MockServer> {
  return startServer(anthropicProtocol, opts);
}
