/**
 * Google Gemini generateContent (POST {base}/v1beta/models/{model}:generateContent). The key goes
 * in the x-goog-api-key header rather than ?key= so it never lands in a URL or an access log.
 * Usage: promptTokenCount includes cachedContentTokenCount; candidatesTokenCount excludes thoughts.
 */
import { z } from "zod";
import type { ChatRequest } from "./types";
import { geminiThinkingConfig, thinkingLevel } from "./reasoning";
import { THINKING_BUDGET, joinUrl, minus, parseBody, postJson, type CallContext, type ProtocolCall, type WireResult } from "./wire";

const count = z.number().int().nonnegative().nullish().transform((n) => n ?? 0);

const ZGenerateContent = z.object({
  // Absent when the prompt itself was blocked (promptFeedback): an empty answer, not an error.
  candidates: z
    .array(
      z.object({
        content: z.object({ parts: z.array(z.object({ text: z.string().optional(), thought: z.boolean().optional() })).nullish() }).nullish(),
        finishReason: z.string().nullish(),
      }),
    )
    .nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: z.object({
    promptTokenCount: count,
    cachedContentTokenCount: count,
    candidatesTokenCount: count,
    thoughtsTokenCount: count,
  }),
});

function requestBody(modelId: string, req: ChatRequest): Record<string, unknown> {
  const { settings: s, user } = req;
  // "off" is an explicit budget of 0; unset leaves the model's default (some models always think).
  const thinkingConfig = geminiThinkingConfig(s.reasoning, modelId);
  const level = thinkingLevel(s.reasoning);
  // maxOutputTokens counts thoughts too on thinking models: the level's budget comes on top.
  const maxTokens = s.maxOutputTokens === undefined ? undefined : s.maxOutputTokens + (level ? THINKING_BUDGET[level] : 0);
  const generationConfig = {
    ...(s.temperature !== undefined && { temperature: s.temperature }),
    ...(maxTokens !== undefined && { maxOutputTokens: maxTokens }),
    ...(s.seed !== undefined && { seed: s.seed }),
    ...(thinkingConfig && { thinkingConfig }),
  };
  return {
    systemInstruction: { parts: [{ text: req.system }] },
    contents: [
      {
        role: "user",
        parts: [{ text: user.text }, ...(user.images ?? []).map((img) => ({ inline_data: { mime_type: img.mediaType, data: img.data } }))],
      },
    ],
    ...(Object.keys(generationConfig).length > 0 && { generationConfig }),
  };
}

export const generateContent: ProtocolCall = async (modelId, req, ctx: CallContext): Promise<WireResult> => {
  const url = joinUrl(ctx.baseUrl, `v1beta/models/${encodeURIComponent(modelId)}:generateContent`);
  const res = await postJson(ctx, url, { "x-goog-api-key": ctx.apiKey ?? "" }, requestBody(modelId, req));
  const body = parseBody(ctx, await res.text(), ZGenerateContent);
  const candidate = body.candidates?.[0];
  const text = (candidate?.content?.parts ?? [])
    .filter((p) => !p.thought)
    .map((p) => p.text ?? "")
    .join("");
  const u = body.usageMetadata;
  return {
    text,
    finishReason: candidate?.finishReason ?? body.promptFeedback?.blockReason ?? null,
    usage: {
      inputTokens: minus(u.promptTokenCount, u.cachedContentTokenCount),
      cachedTokens: u.cachedContentTokenCount,
      cacheWriteTokens: 0,
      outputTokens: u.candidatesTokenCount,
      thinkingTokens: u.thoughtsTokenCount,
    },
  };
};
