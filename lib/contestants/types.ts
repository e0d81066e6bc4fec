/**
 * How a contestant produces code. LLM providers (issue: model sweeps) implement the same interface
 * behind a harness (single-shot, multi-turn); non-LLM baselines implement it directly.
 */
import type { Track } from "@/lib/contracts";
import type { CallUsage } from "@/lib/providers/types";

/** A generation's usage: its calls' usage (lib/providers/types.ts) summed, with their cost. */
export interface Usage extends CallUsage {
  costUsd: number;
}

export const ZERO_USAGE: Usage = {
  inputTokens: 0,
  cachedTokens: 0,
  cacheWriteTokens: 0,
  outputTokens: 0,
  thinkingTokens: 0,
  latencyMs: 0,
  costUsd: 0,
};

export interface CategoryInput {
  instanceId: string;
  name: string;
  description: string;
  instruction: string;
  referenceScript: string;
  /** Absolute paths of the four reference views (Image -> 3D), when available. */
  referenceImages: string[];
}

/** Feedback from the previous attempt, for multi-turn harnesses (docs/benchmark.md §6). */
export interface PreviousAttempt {
  code: string | null;
  execStatus: string | null;
  errorText: string | null;
  /** Mesh objects and views the run left (the benchmark's feedback template shows them). */
  meshObjects?: number | null;
  viewsRendered?: number | null;
}

export interface CodeRequest {
  category: CategoryInput;
  track: Track;
  attempt: number;
  previous: PreviousAttempt | null;
  settings: Record<string, unknown>;
}

export interface CodeResult {
  /** Null when no parseable code could be extracted. */
  code: string | null;
  parseOk: boolean;
  error: string | null;
  usage: Usage;
  /** LLM harnesses: the model's last raw answer, the calls the parse retries took, the user message. */
  rawResponse?: string | null;
  parseTries?: number;
  prompt?: string | null;
  /** The generation cannot go on (e.g. the provider refused: bad key, no quota): no further attempts. */
  final?: boolean;
  /** Coding agents (lib/agents): the agent run's facts, stored as Generation.agentRun. */
  agentRun?: Record<string, unknown>;
}

export interface CodeGenerator {
  /** Attempts allowed in total (1 = single shot; multi-turn = 1 + T retries). */
  readonly maxAttempts: number;
  generate(req: CodeRequest): Promise<CodeResult>;
}
