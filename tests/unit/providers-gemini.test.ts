/**
 * Gemini generateContent against the mock: the key in a header (never the URL), system
 * instruction, inline images, generation config, thought parts left out, and usage split.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startMockProvider, GOOD_ANSWER, MOCK_THINKING_TOKENS, PROSE_ANSWER, type MockServer } from "@/tests/support/mock-providers";
import { PNG_1PX, SYSTEM, USER, expectedTokens, request, testClient } from "@/tests/support/provider-client";

let mock: MockServer;
before(async () => {
  mock = await startMockProvider("gemini");
});
after(() => mock.close());

describe("gemini", () => {
  it("sends system instruction, text, inline images and generation config", async () => {
    const res = await testClient("gemini", mock.url).chat("mock-good", request({ temperature: 0.5, seed: 3, maxOutputTokens: 2000, reasoning: "low" }, 2));
    const call = mock.calls.at(-1)!;
    assert.equal(call.path, "/v1beta/models/mock-good:generateContent");
    assert.equal(call.headers["x-goog-api-key"], "[redacted]");
    assert.deepEqual(call.body.systemInstruction, { parts: [{ text: SYSTEM }] });
    const parts = call.body.contents[0].parts;
    assert.deepEqual(parts[0], { text: USER });
    assert.deepEqual(parts[1], { inline_data: { mime_type: "image/png", data: PNG_1PX } });
    assert.equal(parts.length, 3);
    assert.deepEqual(call.body.generationConfig, { temperature: 0.5, maxOutputTokens: 2000 + 2048, seed: 3, thinkingConfig: { thinkingBudget: 2048 } });
    assert.equal(res.text, GOOD_ANSWER); // the thought part is not part of the answer
    assert.equal(res.finishReason, "STOP");
    const t = expectedTokens(GOOD_ANSWER, 2);
    assert.deepEqual({ ...res.usage, latencyMs: 0 }, {
      inputTokens: t.prompt - t.cached,
      cachedTokens: t.cached,
      cacheWriteTokens: 0,
      outputTokens: t.output,
      thinkingTokens: MOCK_THINKING_TOKENS,
      latencyMs: 0,
    });
  });

  it("turns thinking off with a zero budget and leaves it to the model when unset", async () => {
    const client = testClient("gemini", mock.url);
    await client.chat("mock-prose", request({ reasoning: "off" }));
    assert.deepEqual(mock.calls.at(-1)!.body.generationConfig, { thinkingConfig: { thinkingBudget: 0 } });
    const res = await client.chat("mock-prose", request());
    assert.ok(!("generationConfig" in mock.calls.at(-1)!.body));
    assert.equal(res.text, PROSE_ANSWER);
    assert.equal(res.usage.thinkingTokens, 0);
  });
});
