/**
 * OpenAI Chat Completions, Responses and OpenAI-compatible against the mock: what goes on the wire
 * (system prompt, data-URL images, reasoning, limits, seed, key) and how usage is split (cached
 * reads out of input, reasoning out of output). Plus the admin console's connection test.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { providerClient, testConnection } from "@/lib/providers";
import { memoryRateLimiter } from "@/lib/providers/call-budget";
import { startMockProvider, GOOD_ANSWER, MOCK_THINKING_TOKENS, type MockServer } from "@/tests/support/mock-providers";
import { PNG_1PX, SYSTEM, USER, expectedTokens, request, testClient } from "@/tests/support/provider-client";

let mock: MockServer;
let compatible: MockServer;
before(async () => {
  mock = await startMockProvider("openai", { failures: 5 });
  compatible = await startMockProvider("openai-compatible");
});
after(async () => {
  await mock.close();
  await compatible.close();
});

describe("openai (Chat Completions)", () => {
  it("sends system, user text, settings and the key as a bearer token", async () => {
    const settings = { temperature: 0.2, seed: 7, maxOutputTokens: 1000, reasoning: "high" as const };
    const res = await testClient("openai", mock.url).chat("mock-good", request(settings));
    const call = mock.calls.at(-1)!;
    assert.equal(call.path, "/v1/chat/completions");
    assert.equal(call.headers.authorization, "[redacted]");
    assert.equal(call.auth, "ok");
    assert.deepEqual(call.body.messages, [
      { role: "system", content: SYSTEM },
      { role: "user", content: USER },
    ]);
    assert.equal(call.body.temperature, 0.2);
    assert.equal(call.body.seed, 7);
    assert.equal(call.body.reasoning_effort, "high");
    assert.equal(call.body.max_completion_tokens, 1000 + 24576); // answer room + the level's thinking budget
    const t = expectedTokens(GOOD_ANSWER);
    assert.deepEqual({ ...res.usage, latencyMs: 0 }, {
      inputTokens: t.prompt - t.cached,
      cachedTokens: t.cached,
      cacheWriteTokens: 0,
      outputTokens: t.output,
      thinkingTokens: MOCK_THINKING_TOKENS,
      latencyMs: 0,
    });
    assert.equal(res.finishReason, "stop");
  });

  it("sends images as data URLs after the text", async () => {
    await testClient("openai", mock.url).chat("mock-good", request({}, 4));
    const content = mock.calls.at(-1)!.body.messages[1].content;
    assert.equal(content[0].type, "text");
    assert.equal(content.length, 5);
    assert.deepEqual(content[1], { type: "image_url", image_url: { url: `data:image/png;base64,${PNG_1PX}` } });
  });

  it("leaves out what the settings do not set", async () => {
    await testClient("openai", mock.url).chat("mock-good", request({ reasoning: "off" }));
    const body = mock.calls.at(-1)!.body;
    for (const k of ["temperature", "seed", "reasoning_effort", "max_completion_tokens"]) assert.ok(!(k in body), k);
  });
});

describe("openai-responses", () => {
  it("sends instructions, input_text and input_image, and splits usage", async () => {
    const res = await testClient("openai-responses", mock.url).chat("mock-good", request({ reasoning: "low", maxOutputTokens: 500 }, 2));
    const call = mock.calls.at(-1)!;
    assert.equal(call.path, "/v1/responses");
    assert.equal(call.body.instructions, SYSTEM);
    assert.equal(call.body.store, false);
    assert.deepEqual(call.body.reasoning, { effort: "low" });
    assert.equal(call.body.max_output_tokens, 500 + 2048);
    const content = call.body.input[0].content;
    assert.deepEqual(content[0], { type: "input_text", text: USER });
    assert.deepEqual(content[1], { type: "input_image", image_url: `data:image/png;base64,${PNG_1PX}` });
    assert.equal(res.text, GOOD_ANSWER); // the reasoning item carries no text
    const t = expectedTokens(GOOD_ANSWER, 2);
    assert.equal(res.usage.inputTokens, t.prompt - t.cached);
    assert.equal(res.usage.cachedTokens, t.cached);
    assert.equal(res.usage.outputTokens, t.output);
    assert.equal(res.usage.thinkingTokens, MOCK_THINKING_TOKENS);
    assert.equal(res.finishReason, "completed");
  });
});

describe("openai-compatible", () => {
  it("needs a base URL", async () => {
    const client = providerClient("openai-compatible", { apiKey: null, limiter: memoryRateLimiter() });
    await assert.rejects(client.chat("mock-good", request()), {
      code: "not_configured",
      message: "OpenAI-compatible: settings.baseUrl is required for openai-compatible models",
    });
  });

  it("works without a key, base URL from the model's settings", async () => {
    const res = await testClient("openai-compatible", "http://unused.invalid", { apiKey: null }).chat("mock-good", request({ baseUrl: compatible.url }));
    assert.equal(res.text, GOOD_ANSWER);
    const call = compatible.calls.at(-1)!;
    assert.equal(call.auth, "missing");
    assert.ok(!("authorization" in call.headers));
  });
});

describe("testConnection", () => {
  const opts = () => ({ baseUrl: mock.url, apiKey: "test-key", limiter: memoryRateLimiter() });

  it("reports latency and a sample on success", async () => {
    const r = await testConnection({ provider: "openai", providerModelId: "mock-good", settings: { reasoning: "high" } }, opts());
    assert.equal(r.ok, true);
    assert.ok(r.ok && r.sample.startsWith("Here is") && r.latencyMs >= 0);
    const body = mock.calls.at(-1)!.body;
    assert.equal(body.messages[1].content, "Reply with OK");
    assert.equal(body.max_completion_tokens, 64);
    assert.ok(!("reasoning_effort" in body));
  });

  it("returns provider failures without throwing or retrying", async () => {
    const before = mock.calls.filter((c) => c.model === "mock-429").length;
    assert.deepEqual(await testConnection({ provider: "openai", providerModelId: "mock-429", settings: {} }, opts()), {
      ok: false,
      code: "rate_limited",
      message: "OpenAI: rate limited (429)",
    });
    assert.equal(mock.calls.filter((c) => c.model === "mock-429").length, before + 1);
    const quota = await testConnection({ provider: "openai", providerModelId: "mock-quota", settings: {} }, opts());
    assert.equal(quota.ok === false && quota.code, "quota_exhausted");
  });

  it("rejects unknown providers and bad settings readably", async () => {
    const unknown = await testConnection({ provider: "baseline", providerModelId: "x", settings: {} }, opts());
    assert.equal(unknown.ok === false && unknown.code, "not_configured");
    const bad = await testConnection({ provider: "openai", providerModelId: "mock-good", settings: { temprature: 1 } }, opts());
    assert.equal(bad.ok === false && bad.code, "bad_request");
    assert.match(bad.ok === false ? bad.message : "", /Invalid model settings/);
  });
});
