/**
 * Anthropic Messages against the mock: headers and body on the wire, the SSE stream assembled into
 * the answer (thinking excluded), and usage with cache reads and writes kept apart.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ANTHROPIC_VERSION } from "@/lib/providers/anthropic";
import { startMockProvider, GOOD_ANSWER, MOCK_THINKING_TOKENS, type MockServer } from "@/tests/support/mock-providers";
import { PNG_1PX, SYSTEM, USER, expectedTokens, request, testClient } from "@/tests/support/provider-client";

let mock: MockServer;
before(async () => {
  mock = await startMockProvider("anthropic");
});
after(() => mock.close());

describe("anthropic", () => {
  it("streams the answer and reports a first-seen system prompt as a cache write", async () => {
    const res = await testClient("anthropic", mock.url).chat("mock-good", request({ temperature: 0.3 }));
    const call = mock.calls.at(-1)!;
    assert.equal(call.path, "/v1/messages");
    assert.equal(call.headers["x-api-key"], "[redacted]");
    assert.equal(call.headers["anthropic-version"], ANTHROPIC_VERSION);
    assert.equal(call.body.stream, true);
    assert.equal(call.body.system, SYSTEM);
    assert.equal(call.body.max_tokens, 8192);
    assert.equal(call.body.temperature, 0.3);
    assert.deepEqual(call.body.messages, [{ role: "user", content: [{ type: "text", text: USER }] }]);
    assert.equal(res.text, GOOD_ANSWER);
    assert.equal(res.finishReason, "end_turn");
    const t = expectedTokens(GOOD_ANSWER);
    assert.deepEqual({ ...res.usage, latencyMs: 0 }, {
      inputTokens: t.prompt - t.cached,
      cachedTokens: 0,
      cacheWriteTokens: t.cached,
      outputTokens: t.output,
      thinkingTokens: 0,
      latencyMs: 0,
    });
  });

  it("reads the same prompt from the cache the second time", async () => {
    const res = await testClient("anthropic", mock.url).chat("mock-good", request());
    const t = expectedTokens(GOOD_ANSWER);
    assert.equal(res.usage.cachedTokens, t.cached);
    assert.equal(res.usage.cacheWriteTokens, 0);
  });

  it("asks for thinking by budget and keeps thinking out of the answer", async () => {
    const res = await testClient("anthropic", mock.url).chat("mock-good", request({ reasoning: "medium", maxOutputTokens: 4000, temperature: 0.3 }));
    const body = mock.calls.at(-1)!.body;
    assert.deepEqual(body.thinking, { type: "enabled", budget_tokens: 8192 });
    assert.equal(body.max_tokens, 4000 + 8192);
    assert.ok(!("temperature" in body), "thinking requires the default temperature");
    assert.equal(res.text, GOOD_ANSWER);
    assert.equal(res.usage.outputTokens, expectedTokens(GOOD_ANSWER).output);
    assert.equal(res.usage.thinkingTokens, MOCK_THINKING_TOKENS);
  });

  it("sends images as base64 source blocks before the text", async () => {
    await testClient("anthropic", mock.url).chat("mock-good", request({}, 4));
    const content = mock.calls.at(-1)!.body.messages[0].content;
    assert.equal(content.length, 5);
    assert.deepEqual(content[0], { type: "image", source: { type: "base64", media_type: "image/png", data: PNG_1PX } });
    assert.deepEqual(content[4], { type: "text", text: USER });
  });

  it("returns an empty answer as empty text, not an error", async () => {
    const res = await testClient("anthropic", mock.url).chat("mock-empty", request());
    assert.equal(res.text, "");
  });
});
