/**
 * Anthropic Messages API (POST {base}/v1/messages), streamed: answers with extended thinking run
 * for minutes, and Anthropic recommends streaming for any long request to keep the connection busy.
 * Usage: input_tokens already excludes cache reads and writes; output_tokens includes thinking.
 */
import { z } from "zod";
import { classifyStreamError, malformed } from "./errors";
import { readSse } from "./sse";
import type { ChatRequest } from "./types";
import { anthropicBudget } from "./reasoning";
import { joinUrl, minus, postJson, type CallContext, type ProtocolCall, type WireResult } from "./wire";

/** Pinned: the API's behaviour is versioned by this header, not by the URL. */
export const ANTHROPIC_VERSION = "2023-06-01";
/** max_tokens is mandatory; 8,192 fits every current model's output limit. */
const DEFAULT_MAX_TOKENS = 8192;

const count = z.number().int().nonnegative().nullish();
const ZUsage = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_read_input_tokens: count,
  cache_creation_input_tokens: count,
});
type Usage = z.infer<typeof ZUsage>;

const ZEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message_start"), message: z.object({ usage: ZUsage }) }),
  z.object({ type: z.literal("content_block_start"), index: z.number(), content_block: z.object({ type: z.string(), text: z.string().optional() }) }),
  z.object({ type: z.literal("content_block_delta"), index: z.number(), delta: z.object({ type: z.string(), text: z.string().optional(), thinking: z.string().optional() }) }),
  z.object({ type: z.literal("content_block_stop") }),
  z.object({ type: z.literal("message_delta"), delta: z.object({ stop_reason: z.string().nullish() }), usage: ZUsage.nullish() }),
  z.object({ type: z.literal("message_stop") }),
  z.object({ type: z.literal("ping") }),
  z.object({ type: z.literal("error"), error: z.object({ type: z.string(), message: z.string() }) }),
]);

function requestBody(modelId: string, req: ChatRequest): Record<string, unknown> {
  const { settings: s, user } = req;
  const budget = anthropicBudget(s.reasoning);
  // max_tokens covers thinking and answer: the budget comes on top of the answer's room.
  const maxTokens = (s.maxOutputTokens ?? DEFAULT_MAX_TOKENS) + budget;
  return {
    model: modelId,
    system: req.system,
    messages: [
      {
        role: "user",
        // Images before the text, as Anthropic's vision guide recommends.
        content: [
          ...(user.images ?? []).map((img) => ({ type: "image", source: { type: "base64", media_type: img.mediaType, data: img.data } })),
          { type: "text", text: user.text },
        ],
      },
    ],
    max_tokens: maxTokens,
    stream: true,
    // Thinking requires the default temperature.
    ...(s.temperature !== undefined && budget === 0 && { temperature: s.temperature }),
    ...(budget > 0 && { thinking: { type: "enabled", budget_tokens: budget } }),
  };
}

/** Assembles the streamed message: text blocks joined, thinking blocks only counted. */
class MessageAssembler {
  private readonly kinds = new Map<number, string>();
  private text = "";
  private sawThinking = false;
  private usage: Usage = {};
  stopReason: string | null = null;
  done = false;

  constructor(private readonly ctx: CallContext) {}

  apply(raw: string): void {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw malformed(this.ctx.label, "stream event is not JSON");
    }
    const parsed = ZEvent.safeParse(json);
    if (!parsed.success) return; // event types added after our pinned version are safe to skip
    const ev = parsed.data;
    switch (ev.type) {
      case "message_start":
        this.usage = { ...ev.message.usage };
        break;
      case "content_block_start":
        this.kinds.set(ev.index, ev.content_block.type);
        if (ev.content_block.type === "thinking" || ev.content_block.type === "redacted_thinking") this.sawThinking = true;
        if (ev.content_block.type === "text") this.text += ev.content_block.text ?? "";
        break;
      case "content_block_delta":
        if (this.kinds.get(ev.index) === "text" && ev.delta.type === "text_delta") this.text += ev.delta.text ?? "";
        break;
      case "message_delta":
        this.stopReason = ev.delta.stop_reason ?? this.stopReason;
        // message_delta's usage is cumulative and wins over message_start's where present.
        for (const [k, v] of Object.entries(ev.usage ?? {})) if (v !== null && v !== undefined) this.usage[k as keyof Usage] = v;
        break;
      case "message_stop":
        this.done = true;
        break;
      case "error":
        throw classifyStreamError(this.ctx.label, ev.error.type, ev.error.message, this.ctx.apiKey);
    }
  }

  result(): WireResult {
    const u = this.usage;
    if (u.input_tokens == null || u.output_tokens == null) throw malformed(this.ctx.label, "stream carried no usage");
    // Anthropic reports thinking inside output_tokens. Visible text is ~4 characters a token, so
    // the answer's share is estimated and thinking gets the rest; the sum (and cost) stays exact.
    const answer = this.sawThinking ? Math.min(u.output_tokens, Math.ceil(this.text.length / 4)) : u.output_tokens;
    return {
      text: this.text,
      finishReason: this.stopReason,
      usage: {
        inputTokens: u.input_tokens,
        cachedTokens: u.cache_read_input_tokens ?? 0,
        cacheWriteTokens: u.cache_creation_input_tokens ?? 0,
        outputTokens: answer,
        thinkingTokens: minus(u.output_tokens, answer),
      },
    };
  }
}

export const messages: ProtocolCall = async (modelId, req, ctx: CallContext): Promise<WireResult> => {
  const headers = { "x-api-key": ctx.apiKey ?? "", "anthropic-version": ANTHROPIC_VERSION, accept: "text/event-stream" };
  const res = await postJson(ctx, joinUrl(ctx.baseUrl, "v1/messages"), headers, requestBody(modelId, req));
  if (!res.body || !res.headers.get("content-type")?.includes("text/event-stream")) {
    throw malformed(ctx.label, `expected an event stream, got ${res.headers.get("content-type") ?? "no content type"}`);
  }
  const message = new MessageAssembler(ctx);
  for await (const ev of readSse(res.body)) {
    message.apply(ev.data);
    if (message.done) break;
  }
  if (!message.done) throw malformed(ctx.label, "stream ended before message_stop");
  return message.result();
};
