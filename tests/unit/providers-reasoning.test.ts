/** Reasoning levels minimal … xhigh/max as each API is sent them, and the 3DCodeBench presets. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { anthropicBudget, geminiThinkingConfig, openaiEffort, REASONING_LEVELS, THINKING_BUDGET } from "@/lib/providers/reasoning";
import { MODEL_PRESETS } from "@/lib/providers/presets";
import { parseModelSettings } from "@/lib/providers/settings";

test("every level is a valid setting", () => {
  assert.deepEqual([...REASONING_LEVELS], ["off", "minimal", "low", "medium", "high", "xhigh", "max"]);
  for (const reasoning of REASONING_LEVELS) assert.equal(parseModelSettings({ reasoning }).reasoning, reasoning);
  assert.throws(() => parseModelSettings({ reasoning: "extreme" }), /reasoning/);
});

test("OpenAI effort follows the benchmark: minimal asks low, max asks xhigh, -pro models medium at least", () => {
  const chat = REASONING_LEVELS.map((l) => openaiEffort(l, "gpt-5.4"));
  assert.deepEqual(chat, [undefined, "low", "low", "medium", "high", "xhigh", "xhigh"]);
  const pro = REASONING_LEVELS.map((l) => openaiEffort(l, "gpt-5.5-pro"));
  assert.deepEqual(pro, [undefined, "medium", "medium", "medium", "high", "xhigh", "xhigh"]);
  assert.equal(openaiEffort(undefined, "gpt-5.4"), undefined);
});

test("Gemini 3 / Gemma take a thinking level (high at most); earlier models a budget", () => {
  assert.deepEqual(
    REASONING_LEVELS.map((l) => geminiThinkingConfig(l, "gemini-3.1-pro-preview")),
    [{ thinkingBudget: 0 }, { thinkingLevel: "minimal" }, { thinkingLevel: "low" }, { thinkingLevel: "medium" }, { thinkingLevel: "high" }, { thinkingLevel: "high" }, { thinkingLevel: "high" }],
  );
  assert.deepEqual(geminiThinkingConfig("high", "gemma-4-31b-it"), { thinkingLevel: "high" });
  assert.deepEqual(geminiThinkingConfig("low", "gemini-2.5-pro"), { thinkingBudget: THINKING_BUDGET.low });
  assert.deepEqual(geminiThinkingConfig("max", "gemini-2.5-pro"), { thinkingBudget: 32768 });
  assert.equal(geminiThinkingConfig(undefined, "gemini-3-flash-preview"), undefined);
});

test("Anthropic: minimal turns thinking off, the others get a growing budget", () => {
  const budgets = REASONING_LEVELS.map((l) => anthropicBudget(l));
  assert.deepEqual(budgets, [0, 0, 2048, 8192, 24576, 32768, 49152]);
});

test("presets are valid settings and send the benchmark's total output limit", () => {
  assert.ok(MODEL_PRESETS.length >= 15);
  for (const p of MODEL_PRESETS) {
    parseModelSettings(p.settings);
    const budget = p.settings.reasoning && p.settings.reasoning !== "off" ? THINKING_BUDGET[p.settings.reasoning] : 0;
    const total = p.settings.maxOutputTokens! + budget;
    const expected = p.id.startsWith("gemma") ? 16_384 + budget : p.provider === "anthropic" ? 64_000 : 65_536;
    assert.equal(total, expected, p.id);
    if (p.provider.startsWith("openai") || p.provider === "anthropic") assert.equal(p.settings.temperature, undefined, p.id);
  }
  const sonnet = MODEL_PRESETS.find((p) => p.id === "claude_sonnet_4_6")!;
  assert.deepEqual(sonnet.prices, { priceInput: 3, priceCached: 0.3, priceOutput: 15, priceCacheWrite: 3.75 });
});
