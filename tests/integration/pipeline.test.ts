/**
 * The staged pipeline on real PostgreSQL, Redis (BullMQ) and sandboxed Blender, with the four
 * workers running in this process: import -> sweep -> generate -> execute -> score -> ready | failed,
 * then votes -> ratings snapshot.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";
import { removeSweepAndSet } from "../support/sweep-cleanup";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");
const { recomputeRatings, BOOTSTRAP_SEED } = await import("@/lib/ratings/snapshot");
const { foldVoteCounts } = await import("@/lib/ratings/counts");
const { computeRatings } = await import("@/lib/ratings");
const { BUILTIN_CONTESTANTS } = await import("@/lib/contestants/registry");

const SET = "pipeline-test";
const CUBE = `import bpy
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
bpy.ops.mesh.primitive_cube_add(size=0.5, location=(0, 0, 0.25))
mat = bpy.data.materials.new("Red")
mat.diffuse_color = (0.8, 0.1, 0.1, 1.0)
bpy.context.object.data.materials.append(mat)
`;
// use_auto_smooth was removed in Blender 4.1: the benchmark's B5-API class.
const BROKEN = `import bpy
bpy.ops.mesh.primitive_cube_add()
bpy.context.object.data.use_auto_smooth = True
`;

let root: string;
let workers: PipelineWorkers | undefined;

function writeCategory(name: string, script: string | null): void {
  const dir = path.join(root, `${name}_seed0`);
  mkdirSync(dir, { recursive: true });
  if (script !== null) writeFileSync(path.join(dir, `${name}_seed0.py`), script);
  writeFileSync(path.join(dir, "prompt_description.txt"), `A 3D model of a ${name.toLowerCase()} used by the pipeline test.`);
  writeFileSync(
    path.join(dir, "prompt_instruction.txt"),
    `Create the 3D object of a ${name} using Python Blender code. Overall dimensions: width 0.5 m, depth 0.5 m, height 0.5 m.`,
  );
}

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), "arena-categories-"));
  writeCategory("PtCube", CUBE);
  writeCategory("PtBroken", BROKEN);
  writeCategory("PtNoScript", null);
  mkdirSync(path.join(root, "_scratch"));
  for (const c of BUILTIN_CONTESTANTS) {
    const { slug, ...rest } = c;
    await db().contestant.upsert({ where: { slug }, create: c, update: rest });
  }
  workers = await startPipelineWorkers();
});

after(async () => {
  await workers?.close();
  // Leave the shared test database as we found it for the suites that follow.
  await removeSweepAndSet(SET);
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  rmSync(root, { recursive: true, force: true });
});

test("importing a category set reports bad folders and is idempotent", async () => {
  const first = await importCategorySet(root, SET);
  assert.deepEqual(first.created.sort(), ["PtBroken_seed0", "PtCube_seed0"]);
  assert.deepEqual(first.problems, [{ folder: "PtNoScript_seed0", reason: "missing reference script (PtNoScript_seed0.py)" }]);
  const second = await importCategorySet(root, SET);
  assert.deepEqual(second.created, []);
  assert.deepEqual(second.unchanged.sort(), ["PtBroken_seed0", "PtCube_seed0"]);
});

test("a sweep runs every stage and ends each generation ready or failed with a reason", async () => {
  const spec = {
    name: SET,
    contestantSlugs: ["reference", "blockout"],
    categories: ["PtCube_seed0", "PtBroken_seed0"],
    tracks: ["text", "image"] as ("text" | "image")[],
    profile: "preview",
  };
  const s1 = await ensureSweep(spec);
  const s2 = await ensureSweep(spec);
  assert.equal(s1.generations, 8);
  assert.equal(s2.generations, 8, "a second ensureSweep adds nothing");
  assert.equal(s2.sweepId, s1.sweepId);

  const deadline = Date.now() + 240_000;
  let p = await sweepProgress(s1.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    p = await sweepProgress(s1.sweepId);
  }
  assert.equal(p.done, 8, JSON.stringify(p.byStatus));
  // The last finisher marks the sweep completed right after its own write: allow that moment.
  let status = (await db().sweep.findUniqueOrThrow({ where: { id: s1.sweepId } })).status;
  for (let k = 0; k < 20 && status !== "completed"; k++) {
    await new Promise((r) => setTimeout(r, 250));
    status = (await db().sweep.findUniqueOrThrow({ where: { id: s1.sweepId } })).status;
  }
  assert.equal(status, "completed");

  const gens = await db().generation.findMany({
    where: { sweepId: s1.sweepId },
    include: { category: true, contestant: true, attempts: true },
  });
  const get = (cat: string, slug: string, track: string) =>
    gens.find((g) => g.category.instanceId === cat && g.contestant.slug === slug && g.track === track)!;

  // The reference cube: executed, scored against itself, with mesh facts.
  const cube = get("PtCube_seed0", "reference", "text");
  assert.equal(cube.status, "ready");
  assert.equal(cube.execStatus, "OK");
  assert.match(cube.blenderVersion ?? "", /^5\./);
  // Beside the Blender version: the device its views were rendered on (EXEC_DEVICE, default cpu).
  assert.equal(cube.execDevice, "cpu");
  assert.equal((cube.runConditions as { device?: string } | null)?.device, "cpu");
  assert.equal(cube.renderKeys.length, 4);
  assert.ok(cube.displayGlbKey && cube.metricGlbKey);
  const stats = cube.meshStats as { vertices: number; faces: number; parts: number; hasMaterials: boolean };
  assert.equal(stats.vertices, 8);
  assert.equal(stats.faces, 6);
  assert.equal(stats.parts, 1);
  assert.equal(stats.hasMaterials, true);
  assert.ok(cube.chamfer !== null && cube.chamfer < 1e-9, `reference vs itself: ${cube.chamfer}`);
  assert.equal(cube.attempts.length, 1);

  // Identical code on both tracks is executed once and shared.
  const cubeImage = get("PtCube_seed0", "reference", "image");
  assert.equal(cubeImage.status, "ready");
  assert.deepEqual(cubeImage.renderKeys, cube.renderKeys);
  assert.deepEqual(cubeImage.displayRenderKeys, cube.displayRenderKeys);

  // Display views (DISPLAY_PROFILE=fast here) stored next to the benchmark views, never instead of them.
  assert.deepEqual(cube.displayRenderKeys.map((k) => k.split("/").slice(-2).join("/")), ["display/display_0.png", "display/display_1.png"]);
  assert.equal(cube.displayProfile, "fast(2spp,512px,2 views)");
  assert.equal((cube.displayRenderer as { error: string | null }).error, null);
  const cubeCat = await db().category.findUniqueOrThrow({ where: { instanceId: "PtCube_seed0" } });
  assert.equal(cubeCat.referenceImageKeys.length, 4, "the Image->3D input stays the four benchmark views");
  assert.ok(cubeCat.referenceImageKeys.every((k) => /Image_0\d5\.png$/.test(k)));
  assert.equal(cubeCat.displayImageKeys.length, 2);
  assert.equal(cubeCat.displayProfile, "fast(2spp,512px,2 views)");
  const { assets } = await import("@/lib/storage");
  const png = await assets().get(cube.displayRenderKeys[0]!);
  assert.ok(png && Buffer.from(png).readUInt32BE(16) === 512, "a 512 px display view");

  // The broken reference: ERR_EXEC with the benchmark's error text and taxonomy.
  const broken = get("PtBroken_seed0", "reference", "text");
  assert.equal(broken.status, "failed");
  assert.equal(broken.execStatus, "ERR_EXEC");
  assert.match(broken.errorText ?? "", /^AttributeError: .*use_auto_smooth.*\nTraceback/s);
  assert.equal(broken.failureGroup, "B5-API");
  assert.deepEqual(broken.displayRenderKeys, [], "no display views for a failed run");
  assert.equal(broken.attempts[0]!.execStatus, "ERR_EXEC");
  const brokenCat = await db().category.findUniqueOrThrow({ where: { instanceId: "PtBroken_seed0" } });
  assert.equal(brokenCat.referenceStatus, "ERR_EXEC");

  // Without reference views the image track cannot be prompted: a failure with a readable reason.
  const brokenImage = get("PtBroken_seed0", "reference", "image");
  assert.equal(brokenImage.status, "failed");
  assert.match(brokenImage.errorText ?? "", /no reference views/);

  // The block-out still builds something; Chamfer is unavailable when the reference failed.
  const blockout = get("PtBroken_seed0", "blockout", "text");
  assert.equal(blockout.status, "ready");
  assert.equal(blockout.chamfer, null);
  assert.equal((blockout.metrics as { chamfer: { available: boolean } }).chamfer.available, false);
  // A block-out of a cube is a cube: after per-cloud normalisation it matches the reference.
  const blockoutCube = get("PtCube_seed0", "blockout", "text");
  assert.equal(blockoutCube.status, "ready");
  assert.ok(blockoutCube.chamfer !== null && blockoutCube.chamfer < 1e-3, `blockout cube: ${blockoutCube.chamfer}`);
});

test("votes become a rating snapshot per scope", async () => {
  const sweep = await db().sweep.findFirstOrThrow({ where: { name: SET } });
  const ref = await db().generation.findFirstOrThrow({ where: { sweepId: sweep.id, track: "text", status: "ready", contestant: { slug: "reference" } } });
  const blk = await db().generation.findFirstOrThrow({ where: { sweepId: sweep.id, track: "text", status: "ready", categoryId: ref.categoryId, contestant: { slug: "blockout" } } });
  const voter = await db().user.create({ data: { anonymous: true } });
  const outcomes = ["a", "a", "a", "b", "tie", "both_bad"] as const;
  for (const [i, outcome] of outcomes.entries()) {
    const battle = await db().battle.create({
      data: { track: "text", categoryId: ref.categoryId, generationAId: ref.id, generationBId: blk.id, voterId: voter.id, tokenHash: `pipeline-test-${i}`, expiresAt: new Date(Date.now() + 60_000) },
    });
    await db().vote.create({ data: { battleId: battle.id, outcome, voterId: voter.id } });
  }
  const res = await recomputeRatings();
  const { tags } = await db().category.findUniqueOrThrow({ where: { id: ref.categoryId } });
  const tagScopes = tags.map((t) => `track:text;tag:${t.toLowerCase()}`);
  // Every scope that counts these text-track votes gets a new snapshot; the image track may not
  // (its votes, possibly none, are unchanged), but it is always computed.
  for (const scope of ["all", "track:text", "style:control", "flagged:include", ...tagScopes]) {
    assert.ok(res.some((r) => r.scope === scope && r.written), `${scope} written`);
  }
  assert.ok(res.some((r) => r.scope === "track:image"), "track:image computed");
  // Nothing changed: a second recompute writes no snapshot at all.
  assert.deepEqual((await recomputeRatings()).filter((r) => r.written), []);

  // Other suites may have voted in this database too: the snapshot must equal the fit over every
  // valid vote in scope, read here independently with SQL.
  const rows = await db().$queryRaw<{ a: string; b: string; outcome: "a" | "b" | "tie" | "both_bad"; track: string }[]>`
    SELECT ga."contestantId" AS a, gb."contestantId" AS b, v.outcome::text AS outcome, bt.track::text AS track
    FROM "Vote" v JOIN "Battle" bt ON bt.id = v."battleId"
    JOIN "Generation" ga ON ga.id = bt."generationAId" JOIN "Generation" gb ON gb.id = bt."generationBId"
    WHERE v.valid ORDER BY v."createdAt"`;
  for (const scope of ["all", "track:text", "track:image"] as const) {
    const votes = rows.filter((r) => scope === "all" || `track:${r.track}` === scope);
    const snap = await db().ratingSnapshot.findFirstOrThrow({ where: { scope }, orderBy: { computedAt: "desc" }, include: { entries: true } });
    assert.equal(snap.voteCount, votes.length, scope);
    const expected = computeRatings(votes, { rounds: Number(process.env.RATINGS_BOOTSTRAP_ROUNDS ?? 1000), seed: BOOTSTRAP_SEED });
    assert.equal(snap.entries.length, expected.models.length, scope);
    for (const m of expected.models) {
      const e = snap.entries.find((x) => x.contestantId === m.id)!;
      assert.ok(e, `${scope}: entry for ${m.id}`);
      assert.deepEqual([e.elo, e.ciLow, e.ciHigh, e.rank, e.wins, e.losses, e.ties, e.bothBad], [m.elo, m.ciLow, m.ciHigh, m.rank, m.wins, m.losses, m.ties, m.bothBad]);
    }
  }
  const text = await db().ratingSnapshot.findFirstOrThrow({ where: { scope: "track:text" }, orderBy: { computedAt: "desc" }, include: { entries: true } });
  const refEntry = text.entries.find((e) => e.contestantId === ref.contestantId)!;
  assert.ok(refEntry.wins >= 3 && refEntry.ties >= 1 && refEntry.bothBad >= 1, "this test's votes are counted");
  assert.ok(refEntry.ciLow <= refEntry.elo && refEntry.elo <= refEntry.ciHigh);

  // A flagged vote leaves the default scopes and appears only where flagged votes are included.
  const one = await db().vote.findFirstOrThrow({ where: { voterId: voter.id } });
  await db().vote.update({ where: { id: one.id }, data: { valid: false, invalidReason: "test flag" } });
  const changed = (await recomputeRatings()).filter((r) => r.written).map((r) => r.scope);
  assert.ok(changed.includes("all") && changed.includes("track:text") && !changed.includes("flagged:include"), changed.join());
  const [all, withFlagged] = await Promise.all(
    ["all", "flagged:include"].map((scope) => db().ratingSnapshot.findFirstOrThrow({ where: { scope }, orderBy: { computedAt: "desc" } })),
  );
  // Other suites may have left flagged votes in this database too.
  const invalid = await db().vote.count({ where: { valid: false } });
  assert.ok(invalid >= 1);
  assert.equal(withFlagged!.voteCount, all!.voteCount + invalid);

  // A recompute that folds the votes and dies before publishing (kill -9) loses nothing: the fold
  // marked the scopes, and the next recompute writes them.
  await db().vote.update({ where: { id: one.id }, data: { valid: true, invalidReason: null } });
  assert.ok((await foldVoteCounts()).changed.has("all"), "folded, as the dead recompute did");
  const afterCrash = (await recomputeRatings()).filter((r) => r.written).map((r) => r.scope);
  assert.ok(afterCrash.includes("all") && afterCrash.includes("track:text"), afterCrash.join());
  assert.equal((await db().ratingSnapshot.findFirstOrThrow({ where: { scope: "all" }, orderBy: { computedAt: "desc" } })).voteCount, all!.voteCount + 1);
  assert.equal(await db().ratingDirtyScope.count(), 0, "marks cleared once published");
  await db().vote.deleteMany({ where: { voterId: voter.id } });
  await db().battle.deleteMany({ where: { voterId: voter.id } });
  await db().user.delete({ where: { id: voter.id } });
  // Publish snapshots without these votes: a later suite casting the same votes (pipeline-s3 runs
  // this file again) must see them change the ratings, as they did here.
  await recomputeRatings();
});
