/** Registering and editing LLM and coding-agent contestants, hiding them, and testing their connection. */
import "server-only";
import { db, type Prisma } from "@/lib/db";
import { requireRole } from "@/lib/auth/session";
import { ApiError } from "@/lib/api/errors";
import { testConnection } from "@/lib/providers";
import type { SignedInUser } from "@/lib/auth/session";
import { recordAudit } from "@/lib/moderation/audit-log";

// The input schema is its own (client- and test-safe) module; re-exported for the routes.
export { HARNESSES, isAgentProvider, PROVIDER_KINDS, ZModelInput, type ModelInput } from "./model-input";
import { isAgentProvider, type ModelInput } from "./model-input";

export interface ModelRow {
  id: string;
  slug: string;
  displayName: string;
  organisation: string;
  kind: string;
  provider: string;
  providerModelId: string;
  harness: string;
  status: string;
  prices: { input: number; cached: number; output: number; cacheWrite: number };
  outputs: number;
  votes: number;
}

export async function listModels(): Promise<ModelRow[]> {
  await requireRole("admin");
  const rows = await db().contestant.findMany({ orderBy: [{ kind: "desc" }, { slug: "asc" }] });
  const outputs = await db().generation.groupBy({ by: ["contestantId"], where: { status: "ready" }, _count: { _all: true } });
  // Votes per model: each vote counts for both sides of its battle.
  const voteRows = await db().$queryRaw<{ contestantId: string; votes: bigint }[]>`
    SELECT g."contestantId" AS "contestantId", COUNT(*)::bigint AS votes
    FROM "Vote" v JOIN "Battle" b ON b.id = v."battleId"
    JOIN "Generation" g ON g.id = b."generationAId" OR g.id = b."generationBId"
    GROUP BY g."contestantId"`;
  return rows.map((c) => ({
    id: c.id,
    slug: c.slug,
    displayName: c.displayName,
    organisation: c.organisation,
    kind: c.kind,
    provider: c.provider,
    providerModelId: c.providerModelId,
    harness: c.harness,
    status: c.status,
    prices: { input: c.priceInput, cached: c.priceCached, output: c.priceOutput, cacheWrite: c.priceCacheWrite },
    outputs: outputs.find((o) => o.contestantId === c.id)?._count._all ?? 0,
    votes: Number(voteRows.find((v) => v.contestantId === c.id)?.votes ?? 0),
  }));
}

export async function getModel(id: string) {
  await requireRole("admin");
  return db().contestant.findUnique({ where: { id } });
}

function data(input: ModelInput) {
  return {
    kind: isAgentProvider(input.provider) ? ("agent" as const) : ("llm" as const),
    displayName: input.displayName,
    organisation: input.organisation,
    provider: input.provider,
    providerModelId: input.providerModelId,
    harness: input.harness,
    description: input.description,
    settings: input.settings as Prisma.InputJsonValue,
    priceInput: input.priceInput,
    priceCached: input.priceCached,
    priceOutput: input.priceOutput,
    priceCacheWrite: input.priceCacheWrite,
  };
}

export async function createModel(input: ModelInput, admin: SignedInUser): Promise<{ id: string }> {
  if (await db().contestant.findUnique({ where: { slug: input.slug } })) throw new ApiError("conflict", `A model with slug "${input.slug}" exists already.`);
  return db().$transaction(async (tx) => {
    const c = await tx.contestant.create({ data: { slug: input.slug, ...data(input) } });
    await recordAudit(admin.id, "model.create", "contestant", c.id, { slug: input.slug, provider: input.provider, model: input.providerModelId, harness: input.harness }, tx);
    return { id: c.id };
  });
}

export async function updateModel(id: string, input: ModelInput, admin: SignedInUser): Promise<void> {
  const c = await db().contestant.findUnique({ where: { id } });
  if (!c) throw new ApiError("not_found", "This model does not exist.");
  if (c.kind !== "llm" && c.kind !== "agent") throw new ApiError("conflict", "Built-in baselines cannot be edited.");
  if (input.slug !== c.slug) throw new ApiError("unprocessable", "The slug of a model cannot change (votes and exports refer to it).");
  await db().$transaction(async (tx) => {
    await tx.contestant.update({ where: { id }, data: data(input) });
    const changed = Object.fromEntries(
      Object.entries(data(input)).filter(([k, v]) => JSON.stringify((c as Record<string, unknown>)[k]) !== JSON.stringify(v)),
    );
    await recordAudit(admin.id, "model.update", "contestant", id, { slug: c.slug, changed }, tx);
  });
}

export async function setModelStatus(id: string, status: "active" | "hidden", admin: SignedInUser): Promise<void> {
  const c = await db().contestant.findUnique({ where: { id } });
  if (!c) throw new ApiError("not_found", "This model does not exist.");
  await db().$transaction(async (tx) => {
    await tx.contestant.update({ where: { id }, data: { status } });
    await recordAudit(admin.id, status === "hidden" ? "model.hide" : "model.unhide", "contestant", id, { slug: c.slug, from: c.status }, tx);
  });
}

export async function testModel(id: string, admin: SignedInUser) {
  const c = await db().contestant.findUnique({ where: { id } });
  if (!c) throw new ApiError("not_found", "This model does not exist.");
  if (c.provider === "baseline") throw new ApiError("conflict", "Baselines need no connection.");
  if (c.kind === "agent") throw new ApiError("conflict", "A coding agent is tried by a sweep over one category, not by a connection test.");
  const result = await testConnection(c);
  await recordAudit(admin.id, "model.test", "contestant", id, result.ok ? { slug: c.slug, ok: true, latencyMs: result.latencyMs } : { slug: c.slug, ok: false, code: result.code });
  return result;
}
