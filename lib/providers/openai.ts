/**
 * OpenAI Chat Completions (POST {base}/chat/completions), also spoken by vLLM, Ollama, OpenRouter
 * and others (kind "openai-compatible"). Usage: prompt_tokens includes cached reads and
 * completion_tokens includes reasoning, so both are split out (docs/benchmark.md §6).
 */
import { z } from "zod";
import type { ChatRequest } from "./types";
import { openaiEffort, thinkingLevel } from "./reasoning";
import { THINKING_BUDGET, dataUrl, joinUrl, minus, parseBody, postJson, type CallContext, type ProtocolCall, type WireResult } from "./wire";

const count = z.number().int().nonnegative().nullish().transform((n) => n ?? 0);

const ZChatCompletion = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: z.object({
    prompt_tokens: count,
    completion_tokens: count,
    prompt_tokens_details: z.object({ cached_tokens: count }).nullish(),
    completion_tokens_details: z.object({ reasoning_tokens: count }).nullish(),
  }),
});

function requestBody(modelId: string, req: ChatRequest): Record<string, unknown> {
  const { settings: s, user } = req;
  const images = user.images ?? [];
  const content = images.length
    ? [{ type: "text", text: user.text }, ...images.map((img) => ({ type: "image_url", image_url: { url: dataUrl(img) } }))]
    : user.text;
  const reasoning = thinkingLevel(s.reasoning);
  const effort = openaiEffort(s.reasoning, modelId);
  // max_completion_tokens counts reasoning too: add the level's budget so the answer keeps its room.
  const maxTokens = s.maxOutputTokens === undefined ? undefined : s.maxOutputTokens + (reasoning ? THINKING_BUDGET[reasoning] : 0);
  return {
    model: modelId,
    messages: [
      { role: "system", content: req.system },
      { role: "user", content },
    ],
    ...(s.temperature !== undefined && { temperature: s.temperature }),
    ...(maxTokens !== undefined && { max_completion_tokens: maxTokens }),
    ...(s.seed !== undefined && { seed: s.seed }),
    ...(effort && { reasoning_effort: effort }),
  };
}

export const chatCompletions: ProtocolCall = async (modelId, req, ctx: CallContext): Promise<WireResult> => {
  const headers: Record<string, string> = ctx.apiKey ? { authorization: `Bearer ${ctx.apiKey}` } : {};
  const res = await postJson(ctx, joinUrl(ctx.baseUrl, "chat/completions"), headers, requestBody(modelId, req));
  const body = parseBody(ctx, await res.text(), ZChatCompletion);
  const choice = body.choices[0]!;
  const u = body.usage;
  const cached = u.prompt_tokens_details?.cached_tokens ?? 0;
  const reasoning = u.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    text: choice.message.content ?? "",
    finishReason: choice.finish_reason ?? null,
    usage: {
      inputTokens: minus(u.prompt_tokens, cached),
      cachedTokens: cached,
      cacheWriteTokens: 0,
      outputTokens: minus(u.completion_tokens, reasoning),
      thinkingTokens: reasoning,
    },
  };
};
