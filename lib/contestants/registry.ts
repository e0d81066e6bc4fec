/**
 * Maps a contestant row to its code generator, and declares the built-in contestants that need
 * no API key. Each is labelled as what it is (kind = reference | baseline).
 */
import type { ContestantKind } from "@/lib/generated/prisma/client";
import type { CodeGenerator } from "./types";
import { baselineGenerator, BASELINE_IDS } from "./baselines";

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

export function codeGeneratorFor(contestant: { slug: string; provider: string; providerModelId: string }): CodeGenerator {
  if (contestant.provider === "baseline") return baselineGenerator(contestant.providerModelId, contestant.slug);
  throw new UnknownProviderError(
    `Provider "${contestant.provider}" is not available in this build (contestant ${contestant.slug}).`,
  );
}
