import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Outcome } from "@/lib/contracts";
import { DEFAULT_FRAUD_OPTIONS, detectFraud, type AuditVote, type FraudFlag } from "@/lib/moderation/fraud/detect";
import {
  binomialLogSf,
  binomialSf,
  erfc,
  formatLogP,
  lnGamma,
  normalCdf,
  normalLogCdf,
  upsetLogSf,
} from "@/lib/moderation/fraud/tests";
import { mulberry32 } from "@/lib/math/mulberry32";

const relClose = (actual: number, expected: number, tol: number, what = ""): void =>
  assert.ok(Math.abs(actual - expected) <= tol * Math.abs(expected), `${what} ${actual} vs ${expected}`);

/** A spread-out field with two weak baselines, so some pairs are lopsided (up to 850 Elo apart). */
const WIDE = new Map(
  [1350, 1250, 1180, 1100, 1040, 1000, 960, 880, 600, 500].map((e, k): [string, number] => [`m${k}`, e]),
);
/** Near-equal models: choices carry almost no information about the voter. */
const FLAT = new Map([1000, 1010, 1020, 990].map((e, k): [string, number] => [`f${k}`, e]));

type Strategy = "honest" | "anti" | "random" | "always-a" | "always-b";

interface VoterSpec {
  voterId: string;
  votes: number;
  strategy: Strategy;
  elo?: ReadonlyMap<string, number>;
  ip?: string | null;
  /** First vote's time and the gap between votes (default 45 s, well under any burst). */
  start?: number;
  gapMs?: number;
  /** Fraction of votes turned into tie / both_bad. */
  drawRate?: number;
}

/** One voter's votes: a random pair in random display order, the pick drawn from the strategy. */
function simulateVoter(spec: VoterSpec, rand: () => number): AuditVote[] {
  const elo = spec.elo ?? WIDE;
  const ids = [...elo.keys()];
  const out: AuditVote[] = [];
  for (let k = 0; k < spec.votes; k++) {
    const i = Math.floor(rand() * ids.length);
    let j = Math.floor(rand() * (ids.length - 1));
    if (j >= i) j++;
    const a = ids[i]!;
    const b = ids[j]!;
    const pA = 1 / (1 + Math.pow(10, (elo.get(b)! - elo.get(a)!) / 400));
    const pick: Record<Strategy, () => Outcome> = {
      honest: () => (rand() < pA ? "a" : "b"),
      anti: () => (elo.get(a)! < elo.get(b)! ? "a" : "b"),
      random: () => (rand() < 0.5 ? "a" : "b"),
      "always-a": () => "a",
      "always-b": () => "b",
    };
    let outcome = pick[spec.strategy]();
    if (spec.drawRate && rand() < spec.drawRate) outcome = rand() < 0.5 ? "tie" : "both_bad";
    out.push({
      id: `${spec.voterId}/${String(k).padStart(4, "0")}`,
      voterId: spec.voterId,
      ipHash: spec.ip === undefined ? `ip-${spec.voterId}` : spec.ip,
      createdAt: (spec.start ?? 1_700_000_000_000) + k * (spec.gapMs ?? 45_000),
      a,
      b,
      outcome,
    });
  }
  return out;
}

function honestCrowd(voters: number, seed: number, votes: (rand: () => number) => number): AuditVote[] {
  const rand = mulberry32(seed);
  return Array.from({ length: voters }, (_, v) =>
    simulateVoter({ voterId: `h${String(v).padStart(5, "0")}`, votes: votes(rand), strategy: "honest", drawRate: 0.15 }, rand),
  ).flat();
}

const flaggedVoters = (flags: FraudFlag[], votes: AuditVote[]): Set<string> => {
  const voterOf = new Map(votes.map((v) => [v.id, v.voterId]));
  return new Set(flags.map((f) => voterOf.get(f.voteId)!));
};
const rulesOf = (flags: FraudFlag[], prefix: string): Set<string> =>
  new Set(flags.filter((f) => f.voteId.startsWith(prefix)).map((f) => f.rule));

describe("tail functions", () => {
  it("erfc and the normal cdf match reference values to ~1e-12", () => {
    const reference: [number, number][] = [
      [0.3, 0.6713732405408726],
      [1, 0.15729920705028513],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [5, 1.5374597944280351e-12],
      [10, 2.088487583762545e-45],
      [-1, 1.842700792949715],
    ];
    for (const [x, v] of reference) relClose(erfc(x), v, 1e-12, `erfc(${x})`);
    relClose(normalCdf(-1.96), 0.024997895148220435, 1e-12);
    relClose(normalCdf(-3.7190164854556804), 1e-4, 1e-12);
    relClose(normalCdf(3), 0.9986501019683699, 1e-14);
    assert.equal(normalCdf(0), 0.5);
    // Far past underflow: log Phi(-40) from the asymptotic series phi(z)/|z| (1 - 1/z^2 + 3/z^4 - 15/z^6).
    const z = 40;
    const series = 1 - 1 / z ** 2 + 3 / z ** 4 - 15 / z ** 6;
    const asymptotic = (-z * z) / 2 - 0.5 * Math.log(2 * Math.PI) - Math.log(z) + Math.log(series);
    relClose(normalLogCdf(-z), asymptotic, 1e-12);
    assert.equal(normalCdf(-40), 0);
  });

  it("binomial tails are exact in log space, including tails far below 1e-308", () => {
    relClose(binomialSf(18, 20, 0.5), 211 / 2 ** 20, 1e-12, "P(X>=18|20)");
    relClose(binomialSf(18, 20, 0.5), 2.0122528e-4, 1e-7);
    assert.equal(binomialSf(0, 20, 0.5), 1);
    assert.equal(binomialSf(21, 20, 0.5), 0);
    relClose(binomialSf(500, 1000, 0.5), 0.5126125090891804, 1e-9);
    relClose(binomialSf(5, 10_000, 0.001), 0.9708040498417725, 1e-9);
    relClose(binomialLogSf(900, 1000, 0.5), -371.1164211849317, 1e-11); // exact big-integer reference
    relClose(binomialLogSf(120, 200, 0.25), -57.37607179468094, 1e-11);
    relClose(binomialLogSf(10_000, 10_000, 0.5), -10_000 * Math.LN2, 1e-12);
    let logFactorial = 0;
    for (let k = 1; k <= 150; k++) {
      logFactorial += Math.log(k);
      const err = Math.abs(lnGamma(k + 1) - logFactorial);
      assert.ok(err <= 1e-13 * Math.max(1, logFactorial), `lnGamma(${k + 1}) off by ${err}`);
    }
    relClose(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14);
  });

  it("the voter-likelihood saddlepoint tail agrees with exact enumeration", () => {
    const rand = mulberry32(5);
    const margins = Array.from({ length: 16 }, () => 0.1 + 2.5 * rand());
    const total = margins.reduce((s, d) => s + d, 0);
    const exact = (w: number): number => {
      let p = 0;
      for (let mask = 0; mask < 1 << margins.length; mask++) {
        let shortfall = 0;
        let prob = 1;
        margins.forEach((d, i) => {
          const upset = (mask >> i) & 1;
          shortfall += upset ? d : 0;
          prob *= 1 / (1 + Math.exp(upset ? d : -d));
        });
        if (shortfall >= w - 1e-12) p += prob;
      }
      return p;
    };
    for (const f of [0.3, 0.45, 0.6, 0.75, 0.85]) {
      const w = f * total;
      relClose(Math.exp(upsetLogSf(margins, w)), exact(w), 0.05, `w = ${f} * total`);
    }
    // Every vote an upset: the exact product of the underdogs' probabilities.
    relClose(upsetLogSf(margins, total), margins.reduce((s, d) => s - Math.log1p(Math.exp(d)), 0), 1e-12);
    assert.equal(upsetLogSf(margins, total * 1.01), Number.NEGATIVE_INFINITY);
    assert.equal(upsetLogSf(margins, 0), 0);
    // Lattice case (one margin for all votes): a continuous approximation, within a factor 3.
    const lattice = new Array<number>(20).fill(1.5);
    const pUpset = 1 / (1 + Math.exp(1.5));
    for (const k of [8, 12]) {
      const ratio = Math.exp(upsetLogSf(lattice, 1.5 * k)) / binomialSf(k, 20, pUpset);
      assert.ok(ratio > 1 / 3 && ratio <= 1.2, `lattice k=${k}: ratio ${ratio}`);
    }
  });

  it("formats p-values, also below the double range", () => {
    assert.equal(formatLogP(Math.log(0.25)), "0.25");
    assert.equal(formatLogP(Math.log(1e-4)), "1.0e-4");
    assert.equal(formatLogP(Math.log(2.0122e-4)), "2.0e-4");
    assert.equal(formatLogP(normalLogCdf(-40)), "3.7e-350");
  });
});

describe("detectFraud", () => {
  it("flags (nearly) no simulated honest voters", (t) => {
    const votes = honestCrowd(2000, 11, (rand) => 20 + Math.floor(rand() * 150));
    const flags = detectFraud(votes, WIDE);
    const voters = flaggedVoters(flags, votes).size;
    t.diagnostic(`honest voters flagged: ${voters} of 2000 (${votes.length} votes)`);
    assert.ok(voters < 2000 / 200, `${voters} honest voters flagged`);
    assert.ok(voters <= 3, `${voters} honest voters flagged, expected ~2 * 2000 * 1e-4 = 0.4`);
  });

  it("keeps the false-positive rate near alpha for short voters in a lopsided field", (t) => {
    // ~17 decisive votes each, the hardest case for a normal approximation of the log-likelihood (one upset
    // at 850 Elo costs 4.9 nats); Phi(z) flags ~0.2% of these voters, 20x alpha.
    const voters = 20_000;
    const votes = honestCrowd(voters, 12, () => 20).filter((v) => v.outcome === "a" || v.outcome === "b");
    const flags = detectFraud(votes, WIDE, { minVotes: 10 });
    const byRule = (rule: string) => flaggedVoters(flags.filter((f) => f.rule === rule), votes).size;
    const improbable = byRule("improbable-voter");
    const sameSide = byRule("same-side");
    t.diagnostic(`short voters flagged: improbable-voter ${improbable}, same-side ${sameSide} of ${voters} (alpha 1e-4)`);
    // Expected ~2 each; 12 would be 6x alpha.
    assert.ok(improbable <= 12, `improbable-voter flagged ${improbable} of ${voters}`);
    assert.ok(sameSide <= 12, `same-side flagged ${sameSide} of ${voters}`);
  });

  it("flags an anti-voter as improbable-voter, on every one of their votes", () => {
    const rand = mulberry32(21);
    // (Seed 22 would put a genuine 6e-6 outlier among these honest voters; Monte Carlo agrees with its p.)
    const crowd = honestCrowd(300, 23, (r) => 20 + Math.floor(r() * 60));
    const anti = simulateVoter({ voterId: "anti", votes: 30, strategy: "anti", drawRate: 0.2 }, rand);
    const flags = detectFraud([...crowd, ...anti], WIDE);
    const mine = flags.filter((f) => f.voteId.startsWith("anti/"));
    assert.equal(mine.length, anti.length, "ties of a flagged voter are flagged too");
    assert.ok(mine.every((f) => f.rule === "improbable-voter"));
    const decisive = anti.filter((v) => v.outcome === "a" || v.outcome === "b").length;
    const expected =
      `^voter's ${decisive} decisive votes .* z = -\\d+\\.\\d\\d .*` +
      `${decisive} of ${decisive} picked the lower-rated model; p = \\d\\.\\de-\\d+ < alpha = 1\\.0e-4`;
    assert.match(mine[0]!.reason, new RegExp(expected));
    assert.deepEqual(flaggedVoters(flags, [...crowd, ...anti]), new Set(["anti"]), "no honest voter flagged");
  });

  it("catches random clickers only where the ratings are well separated", () => {
    const rand = mulberry32(31);
    const wide = simulateVoter({ voterId: "clicker", votes: 300, strategy: "random" }, rand);
    assert.deepEqual(rulesOf(detectFraud(wide, WIDE), "clicker/"), new Set(["improbable-voter"]));
    const flat = simulateVoter({ voterId: "clicker", votes: 300, strategy: "random", elo: FLAT }, rand);
    assert.deepEqual(detectFraud(flat, FLAT), []);
  });

  it("flags an always-a (or always-b) voter as same-side, not an honest voter with as many votes", () => {
    const rand = mulberry32(41);
    const alwaysA = simulateVoter({ voterId: "lefty", votes: 20, strategy: "always-a", elo: FLAT }, rand);
    const alwaysB = simulateVoter({ voterId: "righty", votes: 20, strategy: "always-b", elo: FLAT }, rand);
    const honest = simulateVoter({ voterId: "honest", votes: 20, strategy: "honest", elo: FLAT }, rand);
    const flags = detectFraud([...alwaysA, ...alwaysB, ...honest], FLAT);
    assert.equal(flags.length, 40);
    assert.deepEqual(rulesOf(flags, "lefty/"), new Set(["same-side"]));
    assert.deepEqual(rulesOf(flags, "righty/"), new Set(["same-side"]));
    assert.deepEqual(rulesOf(flags, "honest/"), new Set());
    const reason = flags.find((f) => f.voteId.startsWith("lefty/"))!.reason;
    assert.match(reason, /side a in 20 of 20 decisive votes .*p = 1\.9e-6 < alpha = 1\.0e-4/);
    assert.match(flags.find((f) => f.voteId.startsWith("righty/"))!.reason, /side b in 20 of 20/);

    // Boundary at n = 20: 19 on one side is p = 4.0e-5 (flagged), 18 is p = 4.0e-4 (not).
    const withBs = (votes: AuditVote[], bs: number): AuditVote[] =>
      votes.map((v, k) => ({ ...v, outcome: k < bs ? "b" : "a" }));
    assert.equal(detectFraud(withBs(alwaysA, 1), FLAT).length, 20);
    assert.match(detectFraud(withBs(alwaysA, 1), FLAT)[0]!.reason, /19 of 20 .*p = 4\.0e-5/);
    assert.equal(detectFraud(withBs(alwaysA, 2), FLAT).length, 0);
  });

  it("never flags voters under minVotes with the voter rules", () => {
    const rand = mulberry32(51);
    // 19 decisive votes each, padded with ties and with decisive votes on unrated models.
    const anti = simulateVoter({ voterId: "anti", votes: 19, strategy: "anti" }, rand);
    const lefty = simulateVoter({ voterId: "lefty", votes: 19, strategy: "always-a", elo: FLAT }, rand);
    const padding = (voterId: string, n: number, outcome: Outcome, a = "m0"): AuditVote[] =>
      Array.from({ length: n }, (_, k) => ({
        id: `${voterId}/pad${k}`,
        voterId,
        ipHash: `ip-${voterId}`,
        createdAt: 1_800_000_000_000 + k * 60_000,
        a,
        b: "ghost",
        outcome,
      }));
    const votes = [
      ...anti,
      ...padding("anti", 10, "tie"),
      ...padding("anti", 10, "b"),
      ...lefty,
      ...padding("lefty", 10, "both_bad"),
    ];
    assert.deepEqual(detectFraud(votes, WIDE), []);
    // The same votes are caught once the threshold allows them (so the test above can fail).
    const lowered = detectFraud(votes, WIDE, { minVotes: 10 });
    assert.deepEqual(rulesOf(lowered, "anti/"), new Set(["improbable-voter"]));
    assert.deepEqual(rulesOf(lowered, "lefty/"), new Set(["same-side"]));
    // The 10 decisive votes on the unrated "ghost" count for same-side only: 19 + 10 = 29 decisive.
    const antiSide = detectFraud([...anti.map((v) => ({ ...v, outcome: "a" as const })), ...padding("anti", 10, "a")], WIDE);
    assert.match(antiSide[0]!.reason, /29 of 29 decisive votes/);
  });

  it("flags an IP burst (50 votes in 20 s) but not 25 votes over 10 minutes", () => {
    const at = (prefix: string, n: number, start: number, gapMs: number, ip: string | null): AuditVote[] =>
      Array.from({ length: n }, (_, k) => ({
        id: `${prefix}${String(k).padStart(3, "0")}`,
        voterId: `${prefix}cookie${k}`, // a bot rotating cookies: the voter rules see 1 vote each
        ipHash: ip,
        createdAt: start + k * gapMs,
        a: "m0",
        b: "m1",
        outcome: k % 2 ? "a" : "b",
      }));
    const t0 = 1_700_000_000_000;
    const bot = at("bot/", 50, t0, 400, "ip-bot"); // 50 votes in 19.6 s
    const later = at("bot-later/", 5, t0 + 3_600_000, 60_000, "ip-bot");
    const slow = at("slow/", 25, t0, 25_000, "ip-slow"); // 25 votes over 10 minutes
    const anonymous = at("noip/", 50, t0, 400, null);
    const flags = detectFraud([...bot, ...later, ...slow, ...anonymous], WIDE);
    assert.deepEqual(
      flags.map((f) => f.voteId),
      bot.map((v) => v.id),
    );
    assert.ok(flags.every((f) => f.rule === "ip-burst"));
    assert.equal(flags[0]!.reason, "IP cast 50 votes in 19.6 s with up to 50 inside one 60 s window (limit 30)");

    // Boundary: 31 votes within 60 s burst, 30 do not, and a window is half-open (60 s apart is outside).
    assert.equal(detectFraud(at("x/", 31, t0, 1_900, "ip"), WIDE).length, 31);
    assert.equal(detectFraud(at("x/", 30, t0, 1_900, "ip"), WIDE).length, 0);
    assert.equal(detectFraud(at("x/", 31, t0, 2_000, "ip"), WIDE).length, 0);
    // A steady 1 vote / s stream: each window holds 60 > 30, so all of it is one episode.
    const steady = detectFraud(at("s/", 200, t0, 1_000, "ip"), WIDE);
    assert.equal(steady.length, 200);
    assert.match(steady[0]!.reason, /200 votes in 199\.0 s with up to 60 inside one 60 s window/);
    // Only the over-limit windows: 31 fast votes then slow ones; the slow tail is not flagged.
    const mixed = [...at("f/", 31, t0, 1_000, "ip"), ...at("g/", 10, t0 + 120_000, 30_000, "ip")];
    assert.equal(detectFraud(mixed, WIDE).length, 31);
  });

  it("gives one flag per vote, first rule winning, sorted by voteId and independent of input order", () => {
    const rand = mulberry32(61);
    const crowd = honestCrowd(200, 62, (r) => 20 + Math.floor(r() * 40));
    // An anti-voter who always finds the underdog on side a (both voter rules apply) and votes in a burst.
    const anti = simulateVoter({ voterId: "anti", votes: 40, strategy: "anti", ip: "shared", gapMs: 500 }, rand).map(
      (v) => (v.outcome === "a" ? v : { ...v, a: v.b, b: v.a, outcome: "a" as const }),
    );
    const lefty = simulateVoter({ voterId: "lefty", votes: 40, strategy: "always-a", elo: FLAT, ip: "shared", gapMs: 500 }, rand);
    const bot = simulateVoter({ voterId: "bot", votes: 40, strategy: "honest", ip: "bot-ip", gapMs: 300 }, rand);
    const votes = [...crowd, ...anti, ...lefty, ...bot];
    const flags = detectFraud(votes, new Map([...WIDE, ...FLAT]));
    assert.deepEqual(rulesOf(flags, "anti/"), new Set(["improbable-voter"]));
    assert.deepEqual(rulesOf(flags, "lefty/"), new Set(["same-side"]));
    assert.deepEqual(rulesOf(flags, "bot/"), new Set(["ip-burst"]));
    assert.equal(new Set(flags.map((f) => f.voteId)).size, flags.length, "one flag per vote");
    assert.deepEqual(
      flags.map((f) => f.voteId),
      flags.map((f) => f.voteId).sort(),
    );

    const shuffled = [...votes];
    const shuffle = mulberry32(63);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(shuffle() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const elo = new Map([...FLAT, ...WIDE].reverse());
    assert.deepEqual(detectFraud(shuffled, elo), flags);
    // Duplicated input rows do not duplicate flags.
    const ids = (fs: FraudFlag[]) => fs.map((f) => f.voteId);
    assert.deepEqual(ids(detectFraud([...anti, ...anti], WIDE)), ids(detectFraud(anti, WIDE)));
  });

  it("validates options and exposes the defaults", () => {
    assert.deepEqual({ ...DEFAULT_FRAUD_OPTIONS }, { minVotes: 20, alpha: 1e-4, burstWindowMs: 60_000, burstMax: 30 });
    assert.throws(() => detectFraud([], WIDE, { alpha: 0 }), RangeError);
    assert.throws(() => detectFraud([], WIDE, { minVotes: 0 }), RangeError);
    assert.throws(() => detectFraud([], WIDE, { burstMax: 2.5 }), RangeError);
    assert.throws(() => detectFraud([], WIDE, { burstWindowMs: -1 }), RangeError);
    assert.deepEqual(detectFraud([], WIDE), []);
  });
});
