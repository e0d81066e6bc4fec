/**
 * Usage and cost from an agent CLI's JSON output, read line by line as it arrives so a budget can
 * stop the run before the CLI's own final report. Formats (benchmark-facts §10):
 *  - claude (stream-json): "assistant" lines carry each API message's usage (repeated per content
 *    block, so kept per message id); the "result" line has total_cost_usd, usage and num_turns.
 *  - codex (--json): usage summed over "turn.completed" events; no cost.
 *  - gemini (stream-json): the "result" line's stats; json mode: stats.models.*.tokens. No cost.
 * The output is the agent's, hence hostile: every field is checked, a line over MAX_LINE is skipped.
 */
import { callCost } from "@/lib/providers/cost";
import type { Prices } from "@/lib/providers/types";
import type { UsageFormat } from "./presets";

export interface AgentUsage {
  inputTokens: number;
  cachedTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  thinkingTokens: number;
  /** Cost the CLI itself reported (Claude Code only), else null. */
  reportedCostUsd: number | null;
  turns: number | null;
  toolCalls: number | null;
}

const MAX_LINE = 1 << 20;

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v >= 0 ? Math.min(v, 1e12) : 0;
}
function rec(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

export class UsageReader {
  private buf = "";
  private skipping = false;
  private readonly perMessage = new Map<string, Record<string, unknown>>();
  private final: Partial<AgentUsage> | null = null;
  private sums = { input: 0, cached: 0, output: 0, thinking: 0, turns: 0 };

  constructor(private readonly format: UsageFormat) {}

  push(chunk: Buffer | string): void {
    if (this.format === "none") return;
    this.buf += chunk.toString();
    let nl: number;
    while ((nl = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      if (this.skipping) this.skipping = false;
      else this.line(line);
    }
    if (this.buf.length > MAX_LINE) {
      this.buf = "";
      this.skipping = true;
    }
  }

  /** The last line when the stream ends without a newline (gemini json mode prints one object). */
  end(): void {
    if (!this.skipping && this.buf.trim()) this.line(this.buf);
    this.buf = "";
  }

  private line(text: string): void {
    const t = text.trim();
    if (!t.startsWith("{")) return;
    let ev: Record<string, unknown>;
    try {
      ev = rec(JSON.parse(t));
    } catch {
      return;
    }
    if (this.format === "claude") this.claude(ev);
    else if (this.format === "codex") this.codex(ev);
    else this.gemini(ev);
  }

  private claude(ev: Record<string, unknown>): void {
    if (ev.type === "assistant") {
      const msg = rec(ev.message);
      const id = typeof msg.id === "string" ? msg.id.slice(0, 200) : `anon-${this.perMessage.size}`;
      if (this.perMessage.size < 100_000) this.perMessage.set(id, rec(msg.usage));
    } else if (ev.type === "result") {
      const u = rec(ev.usage);
      this.final = {
        inputTokens: num(u.input_tokens),
        cachedTokens: num(u.cache_read_input_tokens),
        cacheWriteTokens: num(u.cache_creation_input_tokens),
        outputTokens: num(u.output_tokens),
        reportedCostUsd: typeof ev.total_cost_usd === "number" ? num(ev.total_cost_usd) : null,
        turns: num(ev.num_turns),
      };
    }
  }

  private codex(ev: Record<string, unknown>): void {
    if (ev.type !== "turn.completed") return;
    const u = rec(ev.usage);
    this.sums.input += num(u.input_tokens);
    this.sums.cached += num(u.cached_input_tokens);
    this.sums.output += num(u.output_tokens);
    this.sums.thinking += num(u.reasoning_output_tokens);
    this.sums.turns++;
  }

  private gemini(ev: Record<string, unknown>): void {
    const stats = rec(ev.stats);
    if (ev.type === "result") {
      this.final = { inputTokens: num(stats.input_tokens), outputTokens: num(stats.output_tokens), toolCalls: num(stats.tool_calls) };
    } else if (Object.keys(rec(stats.models)).length) {
      let input = 0, cached = 0, output = 0, thinking = 0;
      for (const m of Object.values(rec(stats.models))) {
        const tk = rec(rec(m).tokens);
        // Gemini's prompt count includes its cached tokens (benchmark-facts §11).
        input += num(tk.prompt) - num(tk.cached);
        cached += num(tk.cached);
        output += num(tk.candidates);
        thinking += num(tk.thoughts);
      }
      this.final = { inputTokens: Math.max(0, input), cachedTokens: cached, outputTokens: output, thinkingTokens: thinking };
    }
  }

  usage(): AgentUsage {
    const u: AgentUsage = { inputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, outputTokens: 0, thinkingTokens: 0, reportedCostUsd: null, turns: null, toolCalls: null };
    if (this.format === "claude") {
      for (const m of this.perMessage.values()) {
        u.inputTokens += num(m.input_tokens);
        u.cachedTokens += num(m.cache_read_input_tokens);
        u.cacheWriteTokens += num(m.cache_creation_input_tokens);
        u.outputTokens += num(m.output_tokens);
      }
      if (this.perMessage.size) u.turns = this.perMessage.size;
    } else if (this.format === "codex" && this.sums.turns) {
      Object.assign(u, { inputTokens: this.sums.input, cachedTokens: this.sums.cached, outputTokens: this.sums.output, thinkingTokens: this.sums.thinking, turns: this.sums.turns });
    }
    // A final report replaces the running sums (it is the CLI's own total).
    return this.final ? { ...u, ...this.final } : u;
  }

  /** The CLI's own cost when it reports one, else the tokens at the contestant's prices. */
  costUsd(prices: Prices): number {
    const u = this.usage();
    return u.reportedCostUsd ?? callCost(u, prices);
  }
}
