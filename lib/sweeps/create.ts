/**
 * The one way a sweep row comes to be, for the launcher (lib/sweeps/sweeps.ts ensureSweep), the
 * admin console (lib/sweeps/control.ts startSweep) and the importer
 * (lib/runs/results-tree.ts): the config is validated against ZSweepConfig before it is stored.
 */
import { db, type Prisma } from "@/lib/db";
import { defaultPromptSetId } from "@/lib/harness/load-prompt-set";
import { ZSweepConfig, type SweepConfig } from "./config";

export interface NewSweep {
  name: string;
  config: SweepConfig;
  createdById?: string | null;
  /** From the console's plan, when there is one. */
  plannedCalls?: number;
  estimatedCostUsd?: number;
}

/**
 * Creates the sweep; with `reuseByName`, returns the newest sweep of that name instead when there
 * is one (the launcher and the importer are idempotent per name). Runs in `tx` when given.
 */
export async function createSweep(input: NewSweep, opts: { reuseByName?: boolean; tx?: Prisma.TransactionClient } = {}) {
  const client = opts.tx ?? db();
  const config = ZSweepConfig.parse(input.config);
  // Pin the prompt set now: a later PROMPT_SET change must not change what this sweep asks.
  if (!config.imported && config.promptSet === undefined) config.promptSet = defaultPromptSetId();
  if (opts.reuseByName) {
    const existing = await client.sweep.findFirst({ where: { name: input.name }, orderBy: { createdAt: "desc" } });
    if (existing) return existing;
  }
  return client.sweep.create({
    data: {
      name: input.name,
      config: config as unknown as Prisma.InputJsonValue,
      createdById: input.createdById ?? null,
      ...(input.plannedCalls !== undefined ? { plannedCalls: input.plannedCalls } : {}),
      ...(input.estimatedCostUsd !== undefined ? { estimatedCostUsd: input.estimatedCostUsd } : {}),
    },
  });
}
