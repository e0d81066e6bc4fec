/**
 * OpenAI Responses API (POST {base}/responses), the only way to some newer models. The system
 * prompt goes in `instructions`; nothing is stored server-side (`store: false`). Usage splits like
 * Chat Completions: input_tokens includes cached reads, output_tokens includes reasoning.
 */
import { z } from "zod";
import type { ChatRequest } from "./types";
import { openaiEffort, thinkingLevel } from "./reasoning";
import { THINKING_BUDGET, dataUrl, joinUrl, minus, parseBody, postJson, type CallContext, type ProtocolCall, type WireResult } from "./wire";

const count = z.number().int().nonnegative().nullish().transform((n) => n ?? 0);

const ZResponse = z.object({
  status: z.string().nullish(),
  incomplete_details: z.object({ reason: z.string().nullish() }).nullish(),
  output: z.array(
    z.object({
      type: z.string(),
      content: z.array(z.object({ type: z.string(), text: z.string().nullish() })).nullish(),
    }),
  ),
  usage: z.object({
    input_tokens: count,
    output_tokens: count,
    input_tokens_details: z.object({ cached_tokens: count }).nullish(),
    output_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
  }),
});

function requestBody(modelId: string, req: ChatRequest): Record<string, unknown> {
  const { settings: s, user } = req;
  const reasoning = thinkingLevel(s.reasoning);
  const effort = openaiEffort(s.reasoning, modelId);
  const maxTokens = s.maxOutputTokens === undefined ? undefined : s.maxOutputTokens + (reasoning ? THINKING_BUDGET[reasoning] : 0);
  return {
    model: modelId,
    instructions: req.system,
    input: [
      {
        role: "user",
        content: [
          { type: "input_text", text: user.text },
          ...(user.images ?? []).map((img) => ({ type: "input_image", image_url: dataUrl(img) })),
        ],
      },
    ],
    store: false,
    ...(s.temperature !== undefined && { temperature: s.temperature }),
    ...(maxTokens !== undefined && { max_output_tokens: maxTokens }),
    ...(effort && { reasoning: { effort } }),
  };
}

export const responses: ProtocolCall = async (modelId, req, ctx: CallContext): Promise<WireResult> => {
  const headers: Record<string, string> = ctx.apiKey ? { authorization: `Bearer ${ctx.apiKey}` } : {};
  const res = await postJson(ctx, joinUrl(ctx.baseUrl, "responses"), headers, requestBody(modelId, req));
  const body = parseBody(ctx, await res.text(), ZResponse);
  const text = body.output
    .filter((item) => item.type === "message")
    .flatMap((item) => item.content ?? [])
    .filter((part) => part.type === "output_text")
    .map((part) => part.text ?? "")
    .join("");
  const u = body.usage;
  const cached = u.input_tokens_details?.cached_tokens ?? 0;
  const reasoning = u.output_tokens_details?.reasoning_tokens ?? 0;
  return {
    text,
    finishReason: body.status === "incomplete" ? (body.incomplete_details?.reason ?? "incomplete") : (body.status ?? null),
    usage: {
      inputTokens: minus(u.input_tokens, cached),
      cachedTokens: cached,
      cacheWriteTokens: 0,
      outputTokens: minus(u.output_tokens, reasoning),
      thinkingTokens: reasoning,
    },
  };
};
