/**
 * Maps a contestant row to its code generator, and declares the built-in contestants that need
 * no API key. Each is labelled as what it is (kind = reference | baseline).
 */
import type { ContestantKind } from "@/lib/generated/prisma/client";
import type { CodeGenerator } from "./types";
import { baselineGenerator, BASELINE_IDS } from "./baselines";
import { harnessFor } from "@/lib/harness";
import { agentGenerator } from "@/lib/agents/generator";
import type { PromptSet } from "@/lib/harness/prompt-set";
import { isProviderKind, providerClient } from "@/lib/providers";
import type { ProviderKind } from "@/lib/providers/types";

export interface ContestantSeed {
  slug: string;
  displayName: string;
  organisation: string;
  kind: ContestantKind;
  provider: string;
  providerModelId: string;
  harness: string;
  description: string;
}

export const BUILTIN_CONTESTANTS: ContestantSeed[] = [
  {
    slug: "reference",
    displayName: "Reference script",
    organisation: "3DCodeBench ground truth",
    kind: "reference",
    provider: "baseline",
    providerModelId: BASELINE_IDS.reference,
    harness: "baseline",
    description: "The category's ground-truth script, executed unchanged. An upper bound, not a model.",
  },
  {
    slug: "perturbed-reference",
    displayName: "Perturbed reference",
    organisation: "3DCodeArena baseline",
    kind: "baseline",
    provider: "baseline",
    providerModelId: BASELINE_IDS.perturbed,
    harness: "baseline",
    description: "The reference script with every float literal scaled by a seeded random factor in [0.85, 1.15].",
  },
  {
    slug: "blockout",
    displayName: "Text block-out",
    organisation: "3DCodeArena baseline",
    kind: "baseline",
    provider: "baseline",
    providerModelId: BASELINE_IDS.blockout,
    harness: "baseline",
    description: "Primitive boxes and cylinders placed from the dimensions and keywords in the instruction text.",
  },
];

export class UnknownProviderError extends Error {}

/** The contestant columns a generator needs (a Contestant row fits). */
export interface GeneratorContestant {
  slug: string;
  kind: ContestantKind;
  provider: string;
  providerModelId: string;
  harness: string;
  settings: unknown;
  priceInput: number;
  priceCached: number;
  priceOutput: number;
  priceCacheWrite: number;
}

const PROVIDER_LABELS: Record<ProviderKind, string> = {
  openai: "OpenAI",
  "openai-responses": "OpenAI",
  anthropic: "Anthropic",
  gemini: "Gemini",
  "openai-compatible": "OpenAI-compatible endpoint",
};

function asRecord(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/**
 * Maps a contestant to its code generator. Baselines run in-process; LLM contestants get their
 * provider client, harness, prices and settings. Sweep-level harness/retries are applied to the row
 * before this (lib/sweeps/overrides.ts).
 */
export function codeGeneratorFor(contestant: GeneratorContestant, opts: { promptSet?: PromptSet } = {}): CodeGenerator {
  if (contestant.provider === "baseline") return baselineGenerator(contestant.providerModelId, contestant.slug);
  if (contestant.kind === "agent") {
    return agentGenerator(
      {
        slug: contestant.slug,
        providerModelId: contestant.providerModelId,
        settings: asRecord(contestant.settings),
        prices: { input: contestant.priceInput, cached: contestant.priceCached, output: contestant.priceOutput, cacheWrite: contestant.priceCacheWrite },
      },
      opts,
    );
  }
  if (contestant.kind !== "llm" || !isProviderKind(contestant.provider)) {
    throw new UnknownProviderError(
      `Provider "${contestant.provider}" is not available in this build (contestant ${contestant.slug}).`,
    );
  }
  return harnessFor(contestant.harness, {
    client: providerClient(contestant.provider),
    modelId: contestant.providerModelId,
    prices: {
      input: contestant.priceInput,
      cached: contestant.priceCached,
      output: contestant.priceOutput,
      cacheWrite: contestant.priceCacheWrite,
    },
    settings: asRecord(contestant.settings),
    providerLabel: PROVIDER_LABELS[contestant.provider],
    label: contestant.slug,
    promptSet: opts.promptSet,
  });
}
