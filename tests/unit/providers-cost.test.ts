/** The cost formula of docs/benchmark.md §6, with numbers worked by hand. */
import assert from "node:assert/strict";
import { it } from "node:test";
import { callCost, estimateCallCost, reservationTokens } from "@/lib/providers/cost";

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

it("prices input, output + thinking, cached reads and cache writes per million tokens", () => {
  const usage = { inputTokens: 1000, cachedTokens: 2000, cacheWriteTokens: 500, outputTokens: 300, thinkingTokens: 700 };
  // 1000 x 3 + (300 + 700) x 15 + 2000 x 0.3 + 500 x 3.75 = 3000 + 15000 + 600 + 1875 = 20475
  close(callCost(usage, { input: 3, output: 15, cached: 0.3, cacheWrite: 3.75 }), 0.020475);
  close(callCost({ ...usage, cacheWriteTokens: 0, cachedTokens: 0 }, { input: 0, output: 0, cached: 0, cacheWrite: 0 }), 0);
});

it("estimates a call from the prompt size and the expected output", () => {
  // 4000 chars = 1000 tokens at 2 $/M, 2000 output at 8 $/M: 0.002 + 0.016
  close(estimateCallCost({ promptChars: 4000, expectedOutputTokens: 2000 }, { input: 2, output: 8, cached: 0.5, cacheWrite: 0 }), 0.018);
  // Four images at 1000 tokens each and 500 thinking tokens
  close(estimateCallCost({ promptChars: 0, images: 4, expectedOutputTokens: 0, expectedThinkingTokens: 500 }, { input: 1, output: 4, cached: 0, cacheWrite: 0 }), 0.006);
});

it("reserves prompt/4 + max output tokens against the rate limit", () => {
  const req = { system: "x".repeat(400), user: { text: "y".repeat(41) }, settings: { maxOutputTokens: 1000 } };
  assert.equal(reservationTokens(req), Math.ceil(441 / 4) + 1000);
  assert.equal(reservationTokens({ ...req, settings: {} }), Math.ceil(441 / 4) + 4096);
});
