import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome } from "@/lib/contracts";
import { computeRatings } from "@/lib/ratings";
import {
  computeStyleControlled,
  MAX_EFFECT_ELO,
  STYLE_MAX_SE_ELO,
  STYLE_MIN_VARYING_VOTES,
  type StyleFeatures,
  type StyledVote,
} from "@/lib/ratings/style-control";
import { mulberry32 } from "@/lib/math/mulberry32";

const ELO_PER_NAT = 400 / Math.LN10;

/** The covariates as the model defines them, written out here so the tests do not trust the module. */
const covariates = (f: StyleFeatures): number[] => [Math.log1p(f.faces), Math.log1p(f.parts), f.hasMaterials ? 1 : 0];

interface World {
  /** True strengths on the Elo scale. */
  elo: number[];
  /** True style effects, Elo per unit of (logFaces, logParts, materials) difference. */
  beta: number[];
  /** What model m produced for category c: features[m][c]. */
  features: StyleFeatures[][];
}

/**
 * Features per (model, category), as in the arena where a model's output for a prompt is fixed.
 * Model m's log face count is centred on `faceBias[m]` (nats around ln 3000), with per-category
 * spread so that style varies within every model and beta is identifiable.
 */
function makeFeatures(faceBias: number[], categories: number, seed: number): StyleFeatures[][] {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return faceBias.map((bias) =>
    Array.from({ length: categories }, () => ({
      faces: Math.round(Math.exp(Math.log(3000) + bias + 0.8 * normal())),
      parts: Math.round(Math.exp(2 + 1.2 * normal())),
      hasMaterials: rand() < 0.6,
    })),
  );
}

/** Votes from the style-augmented Bradley-Terry world; `drawRate` of votes become tie/both_bad. */
function simulate(world: World, count: number, seed: number, drawRate = 0.15): StyledVote[] {
  const rand = mulberry32(seed);
  const n = world.elo.length;
  const categories = world.features[0]!.length;
  const votes: StyledVote[] = [];
  while (votes.length < count) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    if (a === b) continue;
    const c = Math.floor(rand() * categories);
    const fa = world.features[a]![c]!;
    const fb = world.features[b]![c]!;
    const xa = covariates(fa);
    const xb = covariates(fb);
    const logit = world.elo[a]! - world.elo[b]! + world.beta.reduce((s, beta, k) => s + beta * (xa[k]! - xb[k]!), 0);
    let outcome: Outcome = rand() < 1 / (1 + 10 ** (-logit / 400)) ? "a" : "b";
    if (rand() < drawRate) outcome = rand() < 0.5 ? "tie" : "both_bad";
    votes.push({ a: `m${a}`, b: `m${b}`, outcome, fa, fb });
  }
  return votes;
}

/** True ratings on the reported convention (field mean 1000). */
function centred(elo: number[]): Map<string, number> {
  const mean = elo.reduce((s, x) => s + x, 0) / elo.length;
  return new Map(elo.map((e, k) => [`m${k}`, e - mean + 1000]));
}

const maxError = (models: { id: string; elo: number }[], truth: Map<string, number>): number =>
  Math.max(...models.map((m) => Math.abs(m.elo - truth.get(m.id)!)));

describe("computeStyleControlled", () => {
  it("removes a face-count preference that biases the plain ratings, and recovers its size", (t) => {
    // Models 1 and 4 make much denser meshes, 2 and 5 much sparser ones (e^1.5 ~ 4.5x either way).
    const world: World = {
      elo: [1200, 1130, 1070, 1000, 950, 880],
      beta: [60, 0, 0],
      features: makeFeatures([0, 1.5, -1.5, 0.5, 1.5, -1.5], 12, 3),
    };
    // No draws here: random draws pull every fitted rating toward the mean, which is not style bias.
    const votes = simulate(world, 20_000, 21, 0);
    const truth = centred(world.elo);
    const plain = computeRatings(votes, { rounds: 0 });
    const styled = computeStyleControlled(votes, { rounds: 200, seed: 4 });
    const plainError = maxError(plain.models, truth);
    const styledError = maxError(styled.models, truth);
    t.diagnostic(`max |error|: plain ${plainError.toFixed(1)}, style-controlled ${styledError.toFixed(1)} Elo`);
    // The bias is ~60 Elo per unit x 1.5 units (~90); sampling error of the controlled fit is ~10.
    assert.ok(plainError > 60, `plain ratings should be biased, max error ${plainError}`);
    assert.ok(styledError < 25, `style-controlled max error ${styledError}`);
    assert.ok(styled.controlled && styled.params.converged);
    assert.ok(styled.effects.every((e) => e.status === "estimated"));

    const [faces, parts, materials] = styled.effects;
    t.diagnostic(`faces effect ${faces!.elo.toFixed(1)} [${faces!.ciLow.toFixed(1)}, ${faces!.ciHigh.toFixed(1)}]`);
    assert.equal(faces!.key, "logFaces");
    assert.ok(faces!.ciLow <= 60 && 60 <= faces!.ciHigh);
    assert.ok(faces!.ciLow > 30, "the face-count effect is clearly non-zero");
    // Parts and materials have no true effect; their sampling sd here is ~2-4 Elo per unit.
    for (const e of [parts!, materials!]) assert.ok(Math.abs(e.elo) < 12, `${e.key} ${e.elo}`);
  });

  it("finds no style effect where there is none and then agrees with the plain ratings", (t) => {
    const world: World = {
      elo: [1150, 1100, 1040, 1000, 980, 930, 900, 860],
      beta: [0, 0, 0],
      features: makeFeatures([0, 0, 0, 0, 0, 0, 0, 0], 40, 8),
    };
    const votes = simulate(world, 8000, 13);
    const plain = computeRatings(votes, { rounds: 0 });
    const styled = computeStyleControlled(votes, { rounds: 200, seed: 5 });
    for (const e of styled.effects) assert.ok(e.estimable && e.ciLow <= 0 && 0 <= e.ciHigh, `${e.key} ${e.ciLow}..${e.ciHigh}`);
    const plainElo = new Map(plain.models.map((m) => [m.id, m.elo]));
    const gap = Math.max(...styled.models.map((m) => Math.abs(m.elo - plainElo.get(m.id)!)));
    t.diagnostic(`max |style-controlled - plain| ${gap.toFixed(2)} Elo`);
    assert.ok(gap < 5, `gap ${gap}`);
  });

  it("equals the plain fit exactly when style carries no information beyond the model", () => {
    const world: World = { elo: [1100, 1050, 1000, 940, 900], beta: [0, 0, 0], features: [] };
    const same: StyleFeatures = { faces: 5000, parts: 3, hasMaterials: true };
    // All outputs alike: every covariate difference is 0.
    const alike = simulate({ ...world, features: world.elo.map(() => [same]) }, 3000, 17);
    // Each model always the same style: differences are a function of the pair, so collinear with theta.
    const perModel = makeFeatures([0.5, -1, 2, 0, -0.5], 1, 19);
    const collinear = simulate({ ...world, beta: [80, -30, 50], features: perModel }, 3000, 23);
    for (const votes of [alike, collinear]) {
      const plain = computeRatings(votes, { rounds: 0 });
      const styled = computeStyleControlled(votes, { rounds: 100 });
      assert.deepEqual(styled.models.map((m) => m.id), plain.models.map((m) => m.id));
      styled.models.forEach((m, k) => assert.ok(Math.abs(m.elo - plain.models[k]!.elo) < 1e-6, `${m.elo}`));
      for (const e of styled.effects) assert.deepEqual([e.elo, e.ciLow, e.ciHigh, e.estimable], [0, 0, 0, false]);
      assert.ok(styled.models.every((m) => [m.elo, m.ciLow, m.ciHigh].every(Number.isFinite)));
    }
  });

  it("does not depend on vote order or on display order", () => {
    const world: World = {
      elo: [1150, 1080, 1000, 960, 900],
      beta: [50, -20, 30],
      features: makeFeatures([1, -1, 0, 0.5, -0.5], 10, 29),
    };
    const votes = simulate(world, 4000, 31);
    const reference = computeStyleControlled(votes, { rounds: 150, seed: 6 });
    const rand = mulberry32(99);
    const shuffled = [...votes];
    for (let k = shuffled.length - 1; k > 0; k--) {
      const r = Math.floor(rand() * (k + 1));
      [shuffled[k], shuffled[r]] = [shuffled[r]!, shuffled[k]!];
    }
    const swap: Record<Outcome, Outcome> = { a: "b", b: "a", tie: "tie", both_bad: "both_bad" };
    const swapped = shuffled.map((v): StyledVote => ({ a: v.b, b: v.a, outcome: swap[v.outcome], fa: v.fb, fb: v.fa }));
    assert.deepEqual(computeStyleControlled(shuffled, { rounds: 150, seed: 6 }), reference);
    assert.deepEqual(computeStyleControlled(swapped, { rounds: 150, seed: 6 }), reference);
    // Deterministic: the sandwich has no random rounds, so the seed changes nothing.
    assert.deepEqual(computeStyleControlled(votes, { rounds: 150, seed: 7 }).models, reference.models);
  });

  it("treats pre-counted votes exactly like the same votes one by one", () => {
    const world: World = { elo: [1100, 1000, 900], beta: [40, 0, 20], features: makeFeatures([1, 0, -1], 4, 51) };
    const votes = simulate(world, 3000, 53);
    const grouped = new Map<string, StyledVote>();
    for (const v of votes) {
      const key = JSON.stringify([v.a, v.b, v.outcome, v.fa, v.fb]);
      const g = grouped.get(key) ?? { ...v, count: 0 };
      g.count! += 1;
      grouped.set(key, g);
    }
    assert.ok(grouped.size < votes.length / 5, `${grouped.size} groups`);
    assert.deepEqual(computeStyleControlled([...grouped.values()], { rounds: 100, seed: 2 }), computeStyleControlled(votes, { rounds: 100, seed: 2 }));
  });

  it("returns a stationary point of the log-likelihood computed from the raw votes", () => {
    const world: World = {
      elo: [1180, 1100, 1030, 1000, 950, 890, 850],
      beta: [45, -35, 70],
      features: makeFeatures([0.8, -0.6, 0, 1.2, -1, 0.3, -0.2], 15, 37),
    };
    const votes = [...simulate(world, 5000, 41), { ...simulate(world, 1, 43)[0]!, b: "m0", a: "m0" }];
    const r = computeStyleControlled(votes, { rounds: 0 });
    assert.equal(r.voteCount, 5000); // the self-vote is skipped
    assert.ok(r.controlled && r.params.converged);
    const theta = new Map(r.models.map((m) => [m.id, (m.elo - 1000) / ELO_PER_NAT]));
    const beta = r.effects.map((e) => e.elo / ELO_PER_NAT);
    const gTheta = new Map([...theta.keys()].map((id) => [id, 0]));
    const gBeta = [0, 0, 0];
    for (const v of votes) {
      if (v.a === v.b) continue;
      const xa = covariates(v.fa);
      const xb = covariates(v.fb);
      const d = theta.get(v.a)! - theta.get(v.b)! + beta.reduce((s, bk, k) => s + bk * (xa[k]! - xb[k]!), 0);
      const y = v.outcome === "a" ? 1 : v.outcome === "b" ? 0 : 0.5;
      const g = y - 1 / (1 + Math.exp(-d)); // d/dd of y log s(d) + (1 - y) log(1 - s(d))
      gTheta.set(v.a, gTheta.get(v.a)! + g);
      gTheta.set(v.b, gTheta.get(v.b)! - g);
      for (let k = 0; k < 3; k++) gBeta[k]! += g * (xa[k]! - xb[k]!);
    }
    for (const g of [...gTheta.values(), ...gBeta]) assert.ok(Math.abs(g) < 1e-6, `gradient ${g}`);
    assert.ok(beta.every((b) => b !== 0), "all three covariates are estimated");
  });

  it("anchors the models (not the effects); a model that never lost is listed apart, not rated", () => {
    const world: World = { elo: [1100, 1000, 900], beta: [40, 0, 0], features: makeFeatures([1, 0, -1], 6, 47) };
    const votes = simulate(world, 1500, 53);
    const free = computeStyleControlled(votes, { rounds: 100 });
    const anchored = computeStyleControlled(votes, { rounds: 100, anchor: { id: "m1", elo: 1500 } });
    const shift = 1500 - free.models.find((m) => m.id === "m1")!.elo;
    anchored.models.forEach((m, k) => {
      for (const key of ["elo", "ciLow", "ciHigh"] as const) assert.ok(Math.abs(m[key] - free.models[k]![key] - shift) < 1e-9);
    });
    assert.deepEqual(anchored.effects, free.effects);

    const feature = world.features[0]![0]!;
    const sweep = [...votes, ...Array.from({ length: 12 }, () => ({ a: "top", b: "m0", outcome: "a" as const, fa: feature, fb: feature }))];
    const r = computeStyleControlled(sweep, { rounds: 100 });
    assert.ok(!r.models.some((m) => m.id === "top"));
    assert.equal(r.unrated.find((u) => u.id === "top")?.reason, "no-loss");
    // The sweep is outside the board: the style-controlled numbers are exactly those without it
    // (m0's record does show the 12 losses).
    const numbers = (x: typeof r) => [
      ...x.models.flatMap((m) => [m.elo, m.ciLow, m.ciHigh, m.rank]),
      ...x.effects.flatMap((e) => [e.elo, e.ciLow, e.ciHigh]),
    ];
    assert.deepEqual(r.models.map((m) => m.id), free.models.map((m) => m.id));
    numbers(r).forEach((x, k) => assert.ok(Math.abs(x - numbers(free)[k]!) < 1e-9, `${x} vs ${numbers(free)[k]}`));
  });

  it("a fresh board (3 models, 16 votes) shows the plain ratings and no effect: the reported failure", () => {
    // What a fresh arena has: the three baselines on Mug and Stool, both tracks, each model always
    // making the same output for a prompt. Once this gave Elo 11058 with CI -15,405,881,173..40,480
    // and effects of -570 Elo per unit +-100k.
    const out = (faces: number, parts: number, hasMaterials: boolean): StyleFeatures => ({ faces, parts, hasMaterials });
    const features: Record<string, StyleFeatures[]> = {
      reference: [out(1984, 3, true), out(780, 5, true), out(1984, 3, true), out(780, 5, true)],
      "perturbed-reference": [out(2112, 3, true), out(812, 5, true), out(2112, 3, true), out(812, 5, true)],
      blockout: [out(12, 1, false), out(36, 3, false), out(12, 1, false), out(36, 3, false)],
    };
    const models = Object.keys(features);
    const rand = mulberry32(2026);
    const votes: StyledVote[] = [];
    for (let k = 0; k < 16; k++) {
      const a = models[k % 3]!;
      const b = models[(k + 1 + (k >> 2) % 2) % 3]!;
      const c = k % 4;
      const fa = features[a]![c]!;
      const fb = features[b]![c]!;
      // Voters mostly prefer the side with more faces, sometimes call a tie or both bad.
      const more = fa.faces >= fb.faces ? "a" : "b";
      const u = rand();
      const outcome = u < 0.1 ? "tie" : u < 0.15 ? "both_bad" : u < 0.8 ? more : more === "a" ? "b" : "a";
      votes.push({ a, b, outcome, fa, fb });
    }
    const plain = computeRatings(votes, { rounds: 200 });
    const r = computeStyleControlled(votes, { rounds: 200 });
    assert.equal(r.controlled, false);
    assert.deepEqual(r.models, plain.models, "the plain ratings, exactly");
    assert.deepEqual(r.unrated, plain.unrated);
    for (const m of r.models) {
      assert.ok([m.elo, m.ciLow, m.ciHigh].every((x) => Number.isFinite(x) && x > 0 && x < 2000), `${m.id} ${m.elo} ${m.ciLow}..${m.ciHigh}`);
      assert.ok(m.ciLow < m.elo && m.elo < m.ciHigh);
    }
    for (const e of r.effects) {
      assert.equal(e.estimable, false, e.key);
      assert.ok(e.status === "little-variation" || e.status === "collinear", `${e.key}: ${e.status}`);
      assert.deepEqual([e.elo, e.ciLow, e.ciHigh], [0, 0, 0]);
      assert.ok(e.varyingVotes < STYLE_MIN_VARYING_VOTES || e.designSe === null || e.designSe > STYLE_MAX_SE_ELO);
    }
  });

  it("estimates a covariate only once enough votes vary in it", () => {
    const world: World = { elo: [1100, 1050, 1000, 950, 900], beta: [0, 0, 60], features: makeFeatures([0, 0, 0, 0, 0], 20, 61) };
    const few = computeStyleControlled(simulate(world, 20, 62), { rounds: 0 });
    assert.equal(few.controlled, false);
    assert.ok(few.effects.every((e) => !e.estimable && e.varyingVotes < STYLE_MIN_VARYING_VOTES));
    const many = computeStyleControlled(simulate(world, 3000, 63), { rounds: 0 });
    assert.ok(many.controlled);
    const materials = many.effects.find((e) => e.key === "materials")!;
    assert.equal(materials.status, "estimated");
    assert.ok(materials.designSe! <= STYLE_MAX_SE_ELO && materials.varyingVotes >= STYLE_MIN_VARYING_VOTES);
    assert.ok(materials.ciLow < 60 && 60 < materials.ciHigh, `${materials.ciLow}..${materials.ciHigh}`);
  });

  it("publishes no effect when a covariate separates wins from losses (no finite MLE)", () => {
    // Every vote is won by the side with materials, within every pair of models: beta -> infinity.
    const world: World = { elo: [1000, 1000, 1000, 1000], beta: [0, 0, 0], features: makeFeatures([0, 0, 0, 0], 30, 71) };
    const rand = mulberry32(72);
    const votes: StyledVote[] = [];
    while (votes.length < 1500) {
      const a = Math.floor(rand() * 4);
      const b = Math.floor(rand() * 4);
      const c = Math.floor(rand() * 30);
      const fa = world.features[a]![c]!;
      const fb = world.features[b]![c]!;
      if (a === b || fa.hasMaterials === fb.hasMaterials) continue;
      votes.push({ a: `m${a}`, b: `m${b}`, outcome: fa.hasMaterials ? "a" : "b", fa, fb });
    }
    const r = computeStyleControlled(votes, { rounds: 0 });
    assert.equal(r.controlled, false);
    assert.ok(r.effects.every((e) => !e.estimable && Math.abs(e.elo) <= MAX_EFFECT_ELO));
    assert.ok(r.effects.some((e) => e.status === "not-converged"));
    assert.deepEqual(r.models, computeRatings(votes, { rounds: 0 }).models);
  });
});
