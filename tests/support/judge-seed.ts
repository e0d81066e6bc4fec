/**
 * Human-voted battles for the LLM judge's tests (tests/integration/llm-judge.test.ts,
 * tests/e2e/judge.test.ts), written straight into the test database under an id prefix.
 *
 * 24 Text -> 3D battles between three outputs x, y, z, 8 per pair, each pair shown both ways round.
 * People voted: x-y: x 6, y 1, tie 1; x-z: x 5, z 2, both_bad 1; y-z: tie 4, y 2, z 2. Only x's
 * script carries the judge marker, so mock-judge-marked picks x whenever x is there and "tie" for
 * y-z: it agrees with people on 6 + 5 + 4 = 15 of 24 battles. One more battle's vote is flagged
 * (invalid) and must stay out of every run.
 */
import { JUDGE_FAVOURITE_MARKER } from "./mock-providers/answers";

export const JUDGE_SEED_OUTPUTS = ["x", "y", "z"] as const;
export type SeedOutput = (typeof JUDGE_SEED_OUTPUTS)[number];
export type SeedOutcome = "a" | "b" | "tie" | "both_bad";

const HUMAN: [SeedOutput, SeedOutput, SeedOutcome, number][] = [
  ["x", "y", "a", 3], ["y", "x", "b", 3], ["x", "y", "b", 1], ["y", "x", "tie", 1],
  ["x", "z", "a", 3], ["z", "x", "b", 2], ["x", "z", "b", 1], ["z", "x", "a", 1], ["z", "x", "both_bad", 1],
  ["y", "z", "tie", 2], ["z", "y", "tie", 2], ["y", "z", "a", 1], ["z", "y", "b", 1], ["y", "z", "b", 1], ["z", "y", "a", 1],
];

/** The smallest valid PNG (1x1): the mocks only count images. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=", "base64");

export interface JudgeSpec {
  key: string;
  model: string;
  prices?: { priceInput: number; priceCached?: number; priceOutput: number };
}

export interface JudgeSeed {
  setName: string;
  battles: { id: string; a: SeedOutput; b: SeedOutput; human: SeedOutcome }[];
  judgeSlug: (key: string) => string;
  judgeId: (key: string) => string;
  cleanup: () => Promise<void>;
}

export async function seedJudgeBattles(prefix: string, judges: JudgeSpec[], baseUrl: string): Promise<JudgeSeed> {
  const { db } = await import("@/lib/db");
  const { assets } = await import("@/lib/storage");
  const like = `${prefix}%`;
  const cleanup = async () => {
    await db().$executeRaw`DELETE FROM "AuditLog" WHERE "targetType" = 'judgeRun' AND "targetId" IN (SELECT "id" FROM "JudgeRun" WHERE "judgeContestantId" LIKE ${like})`;
    await db().$executeRaw`DELETE FROM "JudgeRun" WHERE "judgeContestantId" LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Vote" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Battle" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Generation" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Sweep" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Category" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "Contestant" WHERE id LIKE ${like}`;
    await db().$executeRaw`DELETE FROM "User" WHERE id LIKE ${like}`;
  };
  await cleanup();
  const setName = `${prefix}-set`;
  const judgeSlug = (key: string) => `${prefix}-judge-${key}`;
  const judgeId = (key: string) => `${prefix}judge-${key}`;
  await db().user.create({ data: { id: `${prefix}voter`, anonymous: true } });
  await db().contestant.createMany({
    data: [
      ...JUDGE_SEED_OUTPUTS.map((g) => ({
        id: `${prefix}con-${g}`,
        slug: `${prefix}-${g}`,
        displayName: `Model ${g.toUpperCase()}`,
        organisation: "test",
        kind: "baseline" as const,
        provider: "baseline",
        providerModelId: g,
        harness: "baseline",
        // Hidden: later suites expect only the built-in contestants in the arena.
        status: "hidden" as const,
      })),
      ...judges.map((j) => ({
        id: judgeId(j.key),
        slug: judgeSlug(j.key),
        displayName: `Judge ${j.key}`,
        organisation: "mock",
        kind: "llm" as const,
        provider: "openai",
        providerModelId: j.model,
        harness: "single-shot",
        status: "hidden" as const,
        settings: { baseUrl, temperature: 0.7 },
        ...(j.prices ?? { priceInput: 2, priceCached: 0.5, priceOutput: 8 }),
      })),
    ],
  });
  await db().category.create({
    data: { id: `${prefix}cat`, instanceId: `${prefix}Mug_seed0`, name: `${prefix}Mug`, setName, description: "A 3D model of a mug with a round handle.", instruction: "i", referenceScript: "", contentHash: "h" },
  });
  await db().sweep.create({ data: { id: `${prefix}sweep`, name: prefix, config: {} } });
  for (const g of JUDGE_SEED_OUTPUTS) {
    const renderKeys = ["005", "015", "025", "035"].map((v) => `generations/${prefix}gen-${g}/renders/Image_${v}.png`);
    for (const k of renderKeys) await assets().putBytes(k, PNG);
    await db().generation.create({
      data: {
        id: `${prefix}gen-${g}`,
        contestantId: `${prefix}con-${g}`,
        categoryId: `${prefix}cat`,
        track: "text",
        sweepId: `${prefix}sweep`,
        status: "ready",
        finalCode: `import bpy\n# model ${g}\n${g === "x" ? `${JUDGE_FAVOURITE_MARKER}\n` : ""}bpy.ops.mesh.primitive_cylinder_add()\n`,
        renderKeys,
      },
    });
  }
  const battles: JudgeSeed["battles"] = [];
  let i = 0;
  for (const [a, b, human, n] of HUMAN) {
    for (let k = 0; k < n; k++, i++) {
      const id = `${prefix}b${String(i).padStart(3, "0")}`;
      battles.push({ id, a, b, human });
      const createdAt = new Date(Date.UTC(2026, 0, 1, 0, 0, i));
      await db().battle.create({
        data: { id, track: "text", categoryId: `${prefix}cat`, generationAId: `${prefix}gen-${a}`, generationBId: `${prefix}gen-${b}`, voterId: `${prefix}voter`, tokenHash: `${prefix}tok${i}`, expiresAt: createdAt, createdAt },
      });
      await db().vote.create({ data: { id: `${prefix}v${i}`, battleId: id, outcome: human, voterId: `${prefix}voter`, createdAt } });
    }
  }
  await db().battle.create({
    data: { id: `${prefix}bflag`, track: "text", categoryId: `${prefix}cat`, generationAId: `${prefix}gen-x`, generationBId: `${prefix}gen-y`, voterId: `${prefix}voter`, tokenHash: `${prefix}tokflag`, expiresAt: new Date() },
  });
  await db().vote.create({ data: { id: `${prefix}vflag`, battleId: `${prefix}bflag`, outcome: "b", voterId: `${prefix}voter`, valid: false, invalidReason: "test" } });
  return { setName, battles, judgeSlug, judgeId, cleanup };
}

/** What mock-judge-marked answers, in the battle's own order. */
export function markedVerdict(b: { a: SeedOutput; b: SeedOutput }): SeedOutcome {
  return b.a === "x" ? "a" : b.b === "x" ? "b" : "tie";
}
