import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  choosePair,
  pairKey,
  type PairingCandidate,
  type PairingChoice,
  type PairingInput,
  type PairingRating,
} from "@/lib/pairing/strategy";
import { mulberry32 } from "@/lib/math/mulberry32";

type Strategy = "adaptive" | "uniform";

/** Frequency of each unordered pair (and the raw choices) over `draws` calls. */
function draw(input: PairingInput, draws: number, seed: number, strategy: Strategy) {
  const rand = mulberry32(seed);
  const pairs = new Map<string, number>();
  const choices: PairingChoice[] = [];
  for (let k = 0; k < draws; k++) {
    const c = choosePair(input, rand, { strategy });
    assert.ok(c);
    choices.push(c);
    const key = pairKey(c.a, c.b);
    pairs.set(key, (pairs.get(key) ?? 0) + 1);
  }
  const share = (a: string, b: string) => (pairs.get(pairKey(a, b)) ?? 0) / draws;
  const modelShare = (id: string) => choices.filter((c) => c.a === id || c.b === id).length / draws;
  return { pairs, choices, share, modelShare };
}

function rating(elo: number, halfWidth: number, votes: number): PairingRating {
  return { elo, ciLow: elo - halfWidth, ciHigh: elo + halfWidth, votes };
}

/** Every model in every category. */
function everywhere(ids: string[], categories = 3): PairingCandidate[] {
  return Array.from({ length: categories }, (_, k) => ({ categoryId: `c${k}`, contestants: [...ids] }));
}

/** A settled field: `votes` on every pair, ratings with intervals to match. */
function settled(elo: Record<string, number>, votes: number): Pick<PairingInput, "ratings" | "pairVotes"> {
  const ids = Object.keys(elo);
  const pairVotes = new Map<string, number>();
  for (const a of ids) for (const b of ids) if (a < b) pairVotes.set(pairKey(a, b), votes);
  const ratings = new Map(ids.map((id) => [id, rating(elo[id]!, 30, votes * (ids.length - 1))] as const));
  return { ratings, pairVotes };
}

describe("pairKey", () => {
  it("is order-independent and keeps different pairs apart", () => {
    assert.equal(pairKey("a", "b"), pairKey("b", "a"));
    assert.notEqual(pairKey("a", "bc"), pairKey("ab", "c"));
    assert.notEqual(pairKey("a", "b"), pairKey("a", "c"));
  });
});

describe("choosePair", () => {
  // Uneven coverage: x and y never share a category; duplicates and one-model categories are noise.
  const candidates: PairingCandidate[] = [
    { categoryId: "c1", contestants: ["x", "m1", "m2", "m2"] },
    { categoryId: "c2", contestants: ["y", "m1", "m3"] },
    { categoryId: "c3", contestants: ["m2", "m3", "m1"] },
    { categoryId: "solo", contestants: ["x"] },
    { categoryId: "dup", contestants: ["y", "y"] },
  ];
  const byId = new Map(candidates.map((c) => [c.categoryId, new Set(c.contestants)]));
  const input: PairingInput = {
    candidates,
    ratings: new Map([
      ["m1", rating(1100, 40, 200)],
      ["m2", rating(1000, 60, 150)],
      ["x", rating(900, 120, 20)],
    ]),
    pairVotes: new Map([
      [pairKey("m1", "m2"), 100],
      [pairKey("x", "m1"), 10],
      [pairKey("x", "m2"), 10],
      [pairKey("m1", "m3"), 3],
    ]),
  };

  for (const strategy of ["adaptive", "uniform"] as const) {
    it(`${strategy}: never the same contestant twice, only pairs sharing the chosen category`, () => {
      const { choices } = draw(input, 5000, 1, strategy);
      for (const c of choices) {
        assert.notEqual(c.a, c.b);
        const members = byId.get(c.categoryId);
        assert.ok(members?.has(c.a) && members.has(c.b), `${c.a}/${c.b} not both in ${c.categoryId}`);
        assert.ok(Number.isFinite(c.score) && c.score >= 0);
      }
      assert.ok(choices.every((c) => pairKey(c.a, c.b) !== pairKey("x", "y")));
    });
  }

  it("returns null when no category has two different contestants", () => {
    const rand = mulberry32(3);
    const none = (candidates: PairingCandidate[]) => ({ candidates, ratings: new Map(), pairVotes: new Map() });
    for (const strategy of ["adaptive", "uniform"] as const) {
      assert.equal(choosePair(none([]), rand, { strategy }), null);
      assert.equal(choosePair(none([{ categoryId: "a", contestants: [] }]), rand, { strategy }), null);
      const apart = [
        { categoryId: "a", contestants: ["p"] },
        { categoryId: "b", contestants: ["q"] },
      ];
      assert.equal(choosePair(none(apart), rand, { strategy }), null);
      assert.equal(choosePair(none([{ categoryId: "a", contestants: ["p", "p"] }]), rand, { strategy }), null);
    }
  });

  it("keeps every feasible pair appearing under adaptive (uniform exploration)", () => {
    // Six models, one settled lopsided pair and one brand-new model: the least useful pairs
    // must still come up at least at a good fraction of the exploration share, 0.2 / 15.
    const ids = ["a", "b", "c", "d", "e", "f"];
    const field = settled({ a: 1400, b: 1000, c: 1010, d: 990, e: 600 }, 200);
    const { pairs, share } = draw({ candidates: everywhere(ids), ...field }, 20000, 5, "adaptive");
    assert.equal(pairs.size, 15);
    for (const a of ids) for (const b of ids) if (a < b) assert.ok(share(a, b) > 0.5 * (0.2 / 15), `${a}-${b}: ${share(a, b)}`);
  });

  it("draws an unrated model in much more often than uniform does", () => {
    const ids = ["a", "b", "c", "d", "e", "f", "g", "h", "new"];
    const field = settled({ a: 1150, b: 1100, c: 1050, d: 1000, e: 1000, f: 950, g: 900, h: 850 }, 60);
    const input = { candidates: everywhere(ids), ...field };
    const adaptive = draw(input, 4000, 7, "adaptive").modelShare("new");
    const uniform = draw(input, 4000, 7, "uniform").modelShare("new");
    assert.ok(Math.abs(uniform - 2 / 9) < 0.03, `uniform ${uniform}`);
    assert.ok(adaptive > 2.5 * uniform, `adaptive ${adaptive} vs uniform ${uniform}`);
  });

  it("favours a pair that was never compared over the same pair when well compared", () => {
    const ids = ["a", "b", "c", "d", "e", "f"];
    const field = settled({ a: 1100, b: 1060, c: 1020, d: 980, e: 940, f: 900 }, 80);
    const fresh = new Map(field.pairVotes);
    fresh.set(pairKey("b", "e"), 0);
    const adaptive = draw({ candidates: everywhere(ids), ...field, pairVotes: fresh }, 6000, 9, "adaptive").share("b", "e");
    const uniform = draw({ candidates: everywhere(ids), ...field, pairVotes: fresh }, 6000, 9, "uniform").share("b", "e");
    const before = draw({ candidates: everywhere(ids), ...field }, 6000, 9, "adaptive").share("b", "e");
    assert.ok(adaptive > 2 * uniform, `adaptive ${adaptive} vs uniform ${uniform}`);
    assert.ok(adaptive > 2 * before, `never compared ${adaptive} vs compared 80 times ${before}`);
  });

  it("prefers close, wide-interval pairs to a lopsided settled one", () => {
    // Two new-ish models with wide intervals (3 votes against everyone) in a settled field that
    // holds a 700-Elo mismatch compared 300 times.
    const ids = ["wide1", "wide2", "top", "bottom", "mid1", "mid2"];
    const pairVotes = new Map<string, number>();
    for (const a of ids) {
      for (const b of ids) if (a < b) pairVotes.set(pairKey(a, b), a.startsWith("wide") || b.startsWith("wide") ? 3 : 300);
    }
    const ratings = new Map([
      ["wide1", rating(1010, 180, 15)],
      ["wide2", rating(1000, 180, 15)],
      ["top", rating(1350, 40, 906)],
      ["bottom", rating(650, 40, 906)],
      ["mid1", rating(1000, 35, 906)],
      ["mid2", rating(990, 35, 906)],
    ]);
    const { share, choices } = draw({ candidates: everywhere(ids), ratings, pairVotes }, 6000, 11, "adaptive");
    assert.ok(share("wide1", "wide2") > 5 * share("top", "bottom"), `${share("wide1", "wide2")} vs ${share("top", "bottom")}`);
    // Among the wide model's matchups, the close one (mid1, ~same Elo) beats the lopsided one (top).
    assert.ok(share("wide1", "mid1") > 2 * share("wide1", "top"), `${share("wide1", "mid1")} vs ${share("wide1", "top")}`);
    // The settled pair still gets its exploration share, and the scores say why.
    assert.ok(share("top", "bottom") > 0.5 * (0.2 / 15));
    const score = (a: string, b: string) => choices.find((c) => pairKey(c.a, c.b) === pairKey(a, b))!.score;
    assert.ok(score("wide1", "wide2") > 100 * score("top", "bottom"));
  });

  it("is deterministic for a seeded generator", () => {
    const ids = Array.from({ length: 10 }, (_, k) => `m${k}`);
    const field = settled(Object.fromEntries(ids.map((id, k) => [id, 900 + 25 * k])), 20);
    for (const strategy of ["adaptive", "uniform"] as const) {
      const one = draw({ candidates: everywhere(ids, 5), ...field }, 200, 42, strategy).choices;
      const two = draw({ candidates: everywhere(ids, 5), ...field }, 200, 42, strategy).choices;
      assert.deepEqual(one, two);
      const other = draw({ candidates: everywhere(ids, 5), ...field }, 200, 43, strategy).choices;
      assert.notDeepEqual(one, other);
    }
  });

  it("shows each side first about half the time and spreads a pair over its categories", () => {
    const input: PairingInput = { candidates: everywhere(["p", "q"], 4), ratings: new Map(), pairVotes: new Map() };
    for (const strategy of ["adaptive", "uniform"] as const) {
      const { choices } = draw(input, 8000, 13, strategy);
      const pFirst = choices.filter((c) => c.a === "p").length / choices.length;
      assert.ok(Math.abs(pFirst - 0.5) < 0.03, `${strategy}: p shown first ${pFirst}`);
      for (let k = 0; k < 4; k++) {
        const share = choices.filter((c) => c.categoryId === `c${k}`).length / choices.length;
        assert.ok(Math.abs(share - 0.25) < 0.03, `${strategy}: category c${k} ${share}`);
      }
    }
  });

  it("uniform picks a category first, as before (a pair in more categories is not favoured)", () => {
    const input: PairingInput = {
      candidates: [
        { categoryId: "big", contestants: ["a", "b", "c", "d"] },
        { categoryId: "small", contestants: ["e", "f"] },
      ],
      ratings: new Map(),
      pairVotes: new Map(),
    };
    const { share, choices } = draw(input, 8000, 17, "uniform");
    assert.ok(Math.abs(choices.filter((c) => c.categoryId === "small").length / 8000 - 0.5) < 0.03);
    assert.ok(Math.abs(share("e", "f") - 0.5) < 0.03);
    assert.ok(Math.abs(share("a", "b") - 0.5 / 6) < 0.02);
  });

  it("never serves two identical outputs, and skips a category with nothing else to pair", () => {
    for (const strategy of ["adaptive", "uniform"] as const) {
      const input: PairingInput = {
        candidates: [
          // p and q wrote the same code for c1: only p-r and q-r are fair battles there.
          { categoryId: "c1", contestants: ["p", "q", "r"], identical: [["q", "p"]] },
          { categoryId: "c2", contestants: ["p", "q"], identical: [["p", "q"]] },
        ],
        ratings: new Map(),
        pairVotes: new Map(),
      };
      const { pairs, choices } = draw(input, 400, 5, strategy);
      assert.equal(pairs.get(pairKey("p", "q")) ?? 0, 0, strategy);
      assert.ok(choices.every((c) => c.categoryId === "c1"), strategy);
      assert.ok((pairs.get(pairKey("p", "r")) ?? 0) > 100 && (pairs.get(pairKey("q", "r")) ?? 0) > 100, strategy);
      const only: PairingInput = { ...input, candidates: [input.candidates[1]!] };
      assert.equal(choosePair(only, mulberry32(1), { strategy }), null, strategy);
    }
  });

  it("stays fast for 30 contestants x 212 categories", () => {
    const rand = mulberry32(19);
    const ids = Array.from({ length: 30 }, (_, k) => `contestant-${k}`);
    const candidates = Array.from({ length: 212 }, (_, k) => ({
      categoryId: `category-${k}`,
      contestants: ids.filter(() => rand() < 0.85),
    }));
    const ratings = new Map(ids.slice(2).map((id, k) => [id, rating(800 + 20 * k, 60, 300)] as const));
    const pairVotes = new Map<string, number>();
    for (const a of ids.slice(2)) for (const b of ids.slice(2)) if (a < b) pairVotes.set(pairKey(a, b), Math.floor(40 * rand()));
    const input = { candidates, ratings, pairVotes };
    choosePair(input, rand); // warm-up
    const t0 = performance.now();
    for (let k = 0; k < 20; k++) assert.ok(choosePair(input, rand));
    const ms = (performance.now() - t0) / 20;
    assert.ok(ms < 50, `${ms.toFixed(1)} ms per call`);
  });
});
