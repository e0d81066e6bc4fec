/**
 * Chamfer on the leaderboard as the benchmark aggregates it (issue 14, part 2), on real PostgreSQL
 * (the model page uses the same penalisedMean / conditionalMean, tests/unit/chamfer.test.ts): the penalised mean counts every finished generation without a score (no GLB,
 * a failed run without one, no reference) as 1.5 x the worst scored CD of the same set, whatever
 * the execution status; the conditional mean is over scored ones. A failed run with a GLB (e.g.
 * ERR_RENDER) has a score and counts as scored. Rows live in a tag of their own.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "@/tests/support/env";

requireEnv("DATABASE_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { generationMetrics } = await import("@/lib/leaderboard/read");

const P = "cdm-";
const TAG = "cdm-only";

async function cleanup() {
  await db().generation.deleteMany({ where: { sweepId: `${P}sweep` } });
  await db().category.deleteMany({ where: { setName: P } });
  await db().contestant.deleteMany({ where: { slug: { startsWith: P } } });
  await db().sweep.deleteMany({ where: { id: `${P}sweep` } });
}

// [execStatus, status, chamfer, chamferRotMin] per category for one model.
const ROWS: Array<["OK" | "ERR_RENDER" | "ERR_EXEC" | null, "ready" | "failed", number | null, number | null]> = [
  ["OK", "ready", 0.1, 0.05],
  ["OK", "ready", 0.3, 0.2],
  ["ERR_RENDER", "failed", 0.2, 0.1], // failed, but its GLB was scored
  ["ERR_EXEC", "failed", null, null], // no GLB: penalised
  [null, "failed", null, null], // an imported instance without code: penalised too
];

before(async () => {
  await cleanup();
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  await db().contestant.create({
    data: { id: `${P}m`, slug: `${P}model`, displayName: "CDM", organisation: "test", kind: "baseline", provider: "baseline", providerModelId: "x", harness: "baseline" },
  });
  for (const [k, [execStatus, status, chamfer, chamferRotMin]] of ROWS.entries()) {
    await db().category.create({
      data: { id: `${P}cat${k}`, instanceId: `Cdm${k}_seed0`, name: `Cdm ${k}`, setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h", tags: [TAG] },
    });
    await db().generation.create({
      data: { contestantId: `${P}m`, categoryId: `${P}cat${k}`, track: "text", sweepId: `${P}sweep`, status, execStatus, chamfer, chamferRotMin, chamferRotMinVertical: chamferRotMin },
    });
  }
});

after(async () => {
  await cleanup();
  await disconnectDb();
});

test("the leaderboard shows the benchmark's penalised and conditional Chamfer means", async () => {
  const m = (await generationMetrics({ track: "text", tag: TAG })).get(`${P}m`)!;
  const close = (a: number | null, b: number) => assert.ok(a !== null && Math.abs(a - b) < 1e-12, `${a} vs ${b}`);
  close(m.chamferConditional, (0.1 + 0.3 + 0.2) / 3);
  close(m.chamfer, (0.1 + 0.3 + 0.2 + 2 * 1.5 * 0.3) / 5);
  close(m.chamferRotMinConditional, (0.05 + 0.2 + 0.1) / 3);
  close(m.chamferRotMin, (0.05 + 0.2 + 0.1 + 2 * 1.5 * 0.2) / 5);
  close(m.execRate, 2 / 5);
});
