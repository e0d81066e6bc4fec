/** Agent presets and settings (lib/agents/presets.ts) and usage parsing of each CLI's JSON output (lib/agents/usage.ts). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fillCommand, resolveAgent, ZAgentConfig, ZAgentSettings } from "@/lib/agents/presets";
import { UsageReader } from "@/lib/agents/usage";
import { CappedTranscript } from "@/lib/agents/transcript";

const PRICES = { input: 3, cached: 0.3, output: 15, cacheWrite: 3.75 };

describe("agent presets", () => {
  it("fill the benchmark's defaults and let every field be overridden", () => {
    const claude = resolveAgent(ZAgentConfig.parse({ preset: "claude-code" }));
    assert.equal(claude.timeLimitSec, 600);
    assert.equal(claude.budgetUsd, 2);
    assert.deepEqual(claude.allowHosts, ["api.anthropic.com:443"]);
    assert.equal(claude.keyEnv, "ANTHROPIC_API_KEY");
    assert.ok(claude.command.includes("stream-json"));
    assert.equal(claude.env.CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC, "1");
    assert.deepEqual(resolveAgent(ZAgentConfig.parse({ preset: "claude-code", env: { FOO: "1" } })).env, { CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1", FOO: "1" });
    const codex = resolveAgent(ZAgentConfig.parse({ preset: "codex", allowHosts: ["proxy.example:8443"], keyProvider: null, command: ["my-codex", "{prompt}"] }));
    assert.deepEqual(codex.allowHosts, ["proxy.example:8443"]);
    assert.equal(codex.keyProvider, null);
    assert.equal(codex.keyEnv, "OPENAI_API_KEY");
    assert.deepEqual(codex.command, ["my-codex", "{prompt}"]);
    assert.deepEqual(resolveAgent(ZAgentConfig.parse({ preset: "gemini-cli" })).allowHosts, ["generativelanguage.googleapis.com:443"]);
  });

  it("fill placeholders without re-expanding what they insert", () => {
    const argv = fillCommand(["x", "-p", "{prompt}", "--m={model}", "{budget}"], { prompt: "say {model}", model: "m1", workdir: "/w", budget: "2", timeLimit: "600" });
    assert.deepEqual(argv, ["x", "-p", "say {model}", "--m=m1", "2"]);
  });

  it("refuse bad settings: unknown preset, hosts without a port, relative binds, unknown keys", () => {
    assert.equal(ZAgentConfig.safeParse({ preset: "aider" }).success, false);
    assert.equal(ZAgentConfig.safeParse({ preset: "codex", allowHosts: ["api.openai.com"] }).success, false);
    assert.equal(ZAgentConfig.safeParse({ preset: "codex", readOnlyBinds: ["opt/codex"] }).success, false);
    assert.equal(ZAgentConfig.safeParse({ preset: "codex", timeLimitSec: 0 }).success, false);
    assert.equal(ZAgentSettings.safeParse({ agent: { preset: "codex" }, temperature: 0.2 }).success, false);
    assert.equal(ZAgentSettings.safeParse({ agent: { preset: "codex" }, apiKeyName: "team-openai" }).success, true);
  });
});

describe("agent usage", () => {
  it("claude stream-json: per-message usage live, the result line's cost and totals at the end", () => {
    const r = new UsageReader("claude");
    const usage = { input_tokens: 10, output_tokens: 5, cache_read_input_tokens: 100, cache_creation_input_tokens: 7 };
    // The same message id repeated per content block counts once.
    r.push(`${JSON.stringify({ type: "assistant", message: { id: "a", usage } })}\n${JSON.stringify({ type: "assistant", message: { id: "a", usage } })}\n`);
    r.push(JSON.stringify({ type: "assistant", message: { id: "b", usage } }).slice(0, 20));
    assert.equal(r.usage().inputTokens, 10);
    r.push(JSON.stringify({ type: "assistant", message: { id: "b", usage } }).slice(20) + "\n");
    assert.equal(r.usage().inputTokens, 20);
    assert.equal(r.usage().cacheWriteTokens, 14);
    assert.ok(Math.abs(r.costUsd(PRICES) - (20 * 3 + 10 * 15 + 200 * 0.3 + 14 * 3.75) / 1e6) < 1e-12);
    r.push(JSON.stringify({ type: "result", total_cost_usd: 0.5, num_turns: 4, usage: { input_tokens: 30, output_tokens: 12 } }) + "\n");
    assert.equal(r.costUsd(PRICES), 0.5);
    assert.equal(r.usage().turns, 4);
    assert.equal(r.usage().inputTokens, 30);
  });

  it("codex --json: sums turn.completed usage, no cost of its own", () => {
    const r = new UsageReader("codex");
    for (let i = 0; i < 3; i++) r.push(JSON.stringify({ type: "turn.completed", usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 10, reasoning_output_tokens: 5 } }) + "\n");
    r.push('{"type":"item.completed","item":{"type":"agent_message"}}\n');
    const u = r.usage();
    assert.deepEqual([u.inputTokens, u.cachedTokens, u.outputTokens, u.thinkingTokens, u.turns, u.reportedCostUsd], [300, 120, 30, 15, 3, null]);
  });

  it("gemini: the stream-json result line, or json mode's per-model tokens", () => {
    const s = new UsageReader("gemini");
    s.push('{"type":"message","content":"hi"}\n{"type":"result","stats":{"total_tokens":150,"input_tokens":120,"output_tokens":30,"tool_calls":4}}\n');
    assert.deepEqual([s.usage().inputTokens, s.usage().outputTokens, s.usage().toolCalls], [120, 30, 4]);
    const j = new UsageReader("gemini");
    j.push(JSON.stringify({ response: "ok", stats: { models: { "gemini-3-pro": { tokens: { prompt: 1000, candidates: 50, cached: 400, thoughts: 20 } } } } }));
    j.end();
    assert.deepEqual([j.usage().inputTokens, j.usage().cachedTokens, j.usage().outputTokens, j.usage().thinkingTokens], [600, 400, 50, 20]);
  });

  it("survives hostile output: junk, negative and huge numbers, a line past the cap", () => {
    const r = new UsageReader("claude");
    r.push("not json\n{broken\n");
    r.push(JSON.stringify({ type: "assistant", message: { id: "x", usage: { input_tokens: -5, output_tokens: "9", cache_read_input_tokens: 1e300 } } }) + "\n");
    r.push("A".repeat(3 << 20));
    r.push(JSON.stringify({ type: "result", total_cost_usd: 0.2 }) + "\n"); // still inside the over-long line
    r.push(JSON.stringify({ type: "result", total_cost_usd: 0.3, usage: {} }) + "\n");
    const u = r.usage();
    assert.equal(u.reportedCostUsd, 0.3);
    assert.equal(u.inputTokens, 0);
    const cut = new UsageReader("claude");
    cut.push(JSON.stringify({ type: "assistant", message: { id: "x", usage: { cache_read_input_tokens: 1e300 } } }) + "\n");
    assert.equal(cut.usage().cachedTokens, 1e12);
  });

  it("keeps a capped transcript: head, marker, tail, no NULs", () => {
    const t = new CappedTranscript(10, 5);
    t.push(Buffer.from("0123456789abcdef"));
    t.push(Buffer.from("\0XYZW"));
    assert.equal(t.bytes, 21);
    assert.equal(t.text(), "0123456789\n[... 6 bytes of transcript dropped ...]\n\uFFFDXYZW");
  });
});

describe("model input for coding agents", async () => {
  const { ZModelInput } = await import("@/lib/contestants/model-input");
  const base = { slug: "cc-sonnet", displayName: "Claude Code (Sonnet)", providerModelId: "claude-sonnet-4-6" };

  it("accepts an agent preset with the agent harness and its settings", () => {
    const v = ZModelInput.parse({ ...base, provider: "claude-code", harness: "agent", settings: { agent: { preset: "claude-code", timeLimitSec: 300 } } });
    assert.deepEqual(v.settings, { agent: { preset: "claude-code", timeLimitSec: 300 } });
    const llm = ZModelInput.parse({ ...base, provider: "anthropic", harness: "multi-turn", settings: { temperature: 0.2 } });
    assert.equal(llm.harness, "multi-turn");
  });

  it("refuses mixed-up kinds, a wrong preset and LLM settings on an agent", () => {
    const issues = (input: Record<string, unknown>) => {
      const r = ZModelInput.safeParse({ ...base, ...input });
      return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    };
    assert.match(issues({ provider: "claude-code", harness: "multi-turn", settings: { agent: { preset: "claude-code" } } }).join(), /^harness: A coding agent runs in the agent harness/);
    assert.match(issues({ provider: "openai", harness: "agent" }).join(), /^harness: The agent harness is for coding agents/);
    assert.match(issues({ provider: "codex", harness: "agent", settings: { agent: { preset: "claude-code" } } }).join(), /settings\.agent\.preset: must be the provider's preset/);
    assert.match(issues({ provider: "codex", harness: "agent", settings: { agent: { preset: "codex" }, temperature: 1 } }).join(), /settings/);
    assert.match(issues({ provider: "codex", harness: "agent", settings: {} }).join(), /settings\.agent/);
    assert.match(issues({ provider: "openai", harness: "single-shot", settings: { agent: { preset: "codex" } } }).join(), /settings/);
  });
});

describe("blender gate", async () => {
  const { Gate } = await import("@/lib/agents/blender-bridge");
  it("lets at most `size` runs in at once, the others in order", async () => {
    const gate = new Gate(2);
    let now = 0;
    let peak = 0;
    const order: number[] = [];
    const job = (i: number) =>
      gate.run(async () => {
        now++;
        peak = Math.max(peak, now);
        await new Promise((r) => setTimeout(r, 10));
        order.push(i);
        now--;
        if (i === 1) throw new Error("boom");
        return i;
      });
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map(job));
    assert.equal(peak, 2);
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
    assert.equal(results[1]!.status, "rejected");
    assert.deepEqual(results.filter((r) => r.status === "fulfilled").map((r) => (r as PromiseFulfilledResult<number>).value), [0, 2, 3, 4]);
  });
});
