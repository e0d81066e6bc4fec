/**
 * Fraud and outlier audit over arena votes: pure, deterministic, no I/O. Three rules, checked in this
 * order; a vote gets at most one flag, from the first rule that catches it.
 *
 * 1. improbable-voter (in the spirit of Chatbot Arena's anomalous-user detection). For a voter with at
 *    least `minVotes` decisive votes (a or b) between two different rated models, each vote is an
 *    independent Bernoulli under the current ratings: the shown favourite wins with
 *    q = 1 / (1 + 10^(-|Ra - Rb| / 400)). The voter's log-likelihood LL = sum log P(their pick) is
 *    standardised with its exact mean sum (q log q + (1-q) log(1-q)) and variance
 *    sum q (1-q) (log-odds)^2 to give z (reported), and the voter is flagged when the left tail
 *    P(LL <= observed) < alpha. That tail is the saddlepoint approximation of lib/moderation/fraud/tests.ts
 *    (upsetLogSf) rather than Phi(z): LL is a sum of very skewed terms once some pairs are lopsided
 *    (one 95:5 upset costs 2.9 nats), and Phi(z) then flagged 10-25x more simulated honest voters
 *    than alpha (tests/unit/fraud.test.ts); the saddlepoint tail stays at alpha, and it approaches
 *    Phi(z) as the skew vanishes.
 *    - Deliberate anti-voters (always the weaker model) lose log-odds on every vote, so LL drops by
 *      ~(2q - 1) * log-odds per vote: caught quickly once the field has any spread.
 *    - Random clickers pick each side half the time; the shortfall per vote is only
 *      (q - 1/2) * log-odds against a standard deviation of sqrt(q (1-q)) * log-odds, so z grows like
 *      sqrt(n) (q - 1/2) / sqrt(q (1 - q)): ~25 votes suffice at q = 0.8 (240 Elo apart) but ~330 at
 *      q = 0.6. They are detectable only where the ratings are well separated, and near-equal models
 *      carry no information (a vote between equal ratings counts towards minVotes but adds nothing).
 *    Votes on unrated models (absent from `elo` or non-finite) and ties / both_bad are ignored here.
 * 2. same-side: the arena shows the two models in random display order, so an honest voter picks
 *    side "a" with probability exactly 1/2 whatever their taste. A voter with >= `minVotes` decisive
 *    votes (any models) is flagged when the exact binomial tail of their majority side, doubled
 *    because both "always a" and "always b" are tested, is below alpha (20 of 20 gives 1.9e-6).
 * 3. ip-burst: more than `burstMax` votes from one ipHash whose timestamps lie within one
 *    `burstWindowMs` span (t_last - t_first < window) are flagged, every vote of every such window but
 *    none of that IP's other votes. A null ipHash never bursts.
 * Rules 1 and 2 flag every vote of the voter (including ties and votes on unrated models).
 *
 * Multiple testing: alpha is a per-voter false-positive rate, and each audited voter is tested by
 * two rules, so an honest population of N voters gets about 2 N alpha false flags. Read alpha
 * Bonferroni-style as (acceptable false flags per audit) / (2 N): the default 1e-4 gives ~1 honest
 * voter flagged per 5,000 audited; lower it for larger audits.
 *
 * Determinism: votes are put in a canonical order (by id, then every other field) before anything is
 * summed, so the output does not depend on input order; flags are sorted by voteId, and a repeated
 * voteId yields one flag.
 */
import type { Outcome } from "@/lib/contracts";
import { ipBursts } from "@/lib/moderation/fraud/ip-burst";
import { binomialLogSf, formatLogP, upsetLogSf } from "@/lib/moderation/fraud/tests";

export interface AuditVote {
  id: string;
  voterId: string;
  ipHash: string | null;
  /** Epoch milliseconds. */
  createdAt: number;
  /** Contestant ids in display order. */
  a: string;
  b: string;
  outcome: Outcome;
}

export type FraudRule = "improbable-voter" | "same-side" | "ip-burst";

export interface FraudFlag {
  voteId: string;
  rule: FraudRule;
  /** One readable sentence with the numbers, e.g. "voter's 40 decisive votes ... z = -5.10 ... (p = 1.7e-7 ...)". */
  reason: string;
}

export interface FraudOptions {
  /** Decisive votes a voter needs before the voter rules look at them (default 20). */
  minVotes?: number;
  /** Per-voter, per-rule significance level (default 1e-4). */
  alpha?: number;
  /** Sliding window for ip-burst, ms (default 60,000). */
  burstWindowMs?: number;
  /** Most votes one IP may cast within one window (default 30). */
  burstMax?: number;
}

/**
 * minVotes 20: the smallest count at which both voter rules have real power (20 of 20 on one side is
 * p = 1.9e-6, 19 of 20 is 4.0e-5; an anti-voter passes alpha within ~5-10 votes of a typical field),
 * while fewer votes would mostly flag unlucky newcomers and leave tail approximations on thin data.
 * alpha 1e-4: see "Multiple testing" above. burstMax 30 per 60 s: one vote needs at least loading two
 * 3D models and looking at them, so a human tops out at a few per minute; 30 leaves room for shared
 * NAT / campus IPs where many people vote at once.
 */
export const DEFAULT_FRAUD_OPTIONS: Required<FraudOptions> = Object.freeze({
  minVotes: 20,
  alpha: 1e-4,
  burstWindowMs: 60_000,
  burstMax: 30,
});

export function detectFraud(
  votes: readonly AuditVote[],
  elo: ReadonlyMap<string, number>,
  opts: FraudOptions = {},
): FraudFlag[] {
  const o = resolveOptions(opts);
  const sorted = [...votes].sort(compareVotes);
  const flags = new Map<string, FraudFlag>();
  const flag = (voteId: string, rule: FraudRule, reason: string): void => {
    if (!flags.has(voteId)) flags.set(voteId, { voteId, rule, reason });
  };

  const byVoter = groupBy(sorted, (v) => v.voterId);
  for (const rule of ["improbable-voter", "same-side"] as const) {
    for (const voterVotes of byVoter.values()) {
      const reason = rule === "improbable-voter" ? improbableVoter(voterVotes, elo, o) : sameSide(voterVotes, o);
      if (reason) for (const v of voterVotes) flag(v.id, rule, reason);
    }
  }
  for (const [ip, ipVotes] of groupBy(sorted, (v) => v.ipHash)) {
    if (ip !== null) for (const [voteId, reason] of ipBursts(ipVotes, o)) flag(voteId, "ip-burst", reason);
  }
  return [...flags.values()].sort((x, y) => cmp(x.voteId, y.voteId));
}

function improbableVoter(
  votes: readonly AuditVote[],
  elo: ReadonlyMap<string, number>,
  o: Required<FraudOptions>,
): string | null {
  let n = 0;
  let upsets = 0;
  let ll = 0;
  let mean = 0;
  let variance = 0;
  let shortfall = 0; // sum of the log-odds of the upsets: LL = sum log q_favourite - shortfall
  const margins: number[] = [];
  for (const v of votes) {
    if (!isDecisive(v.outcome) || v.a === v.b) continue;
    const ra = elo.get(v.a);
    const rb = elo.get(v.b);
    if (ra === undefined || rb === undefined || !Number.isFinite(ra) || !Number.isFinite(rb)) continue;
    n++;
    const d = (Math.abs(ra - rb) * Math.LN10) / 400; // favourite's log-odds, nats
    if (d === 0) {
      ll -= Math.LN2;
      mean -= Math.LN2;
      continue;
    }
    const logQ = -softplus(-d); // log P(favourite)
    const logR = -softplus(d); // log P(underdog)
    const q = Math.exp(logQ);
    const pickedA = v.outcome === "a";
    const upset = (ra > rb) !== pickedA;
    margins.push(d);
    mean += q * logQ + (1 - q) * logR;
    variance += q * (1 - q) * d * d;
    ll += upset ? logR : logQ;
    if (upset) {
      upsets++;
      shortfall += d;
    }
  }
  if (n < o.minVotes || !(variance > 0)) return null;
  const z = (ll - mean) / Math.sqrt(variance);
  const logP = upsetLogSf(margins, shortfall);
  if (!(z < 0) || !(logP < Math.log(o.alpha))) return null;
  return (
    `voter's ${n} decisive votes on rated models have log-likelihood z = ${z.toFixed(2)} under current ratings ` +
    `(${upsets} of ${n} picked the lower-rated model; p = ${formatLogP(logP)} < alpha = ${formatP(o.alpha)})`
  );
}

function sameSide(votes: readonly AuditVote[], o: Required<FraudOptions>): string | null {
  let n = 0;
  let sideA = 0;
  for (const v of votes) {
    if (!isDecisive(v.outcome)) continue;
    n++;
    if (v.outcome === "a") sideA++;
  }
  if (n < o.minVotes) return null;
  const side = sideA >= n - sideA ? "a" : "b";
  const k = Math.max(sideA, n - sideA);
  const logP = Math.min(0, binomialLogSf(k, n, 0.5) + Math.LN2);
  if (!(logP < Math.log(o.alpha))) return null;
  return (
    `voter picked display side ${side} in ${k} of ${n} decisive votes although sides are shown in random order ` +
    `(two-sided binomial p = ${formatLogP(logP)} < alpha = ${formatP(o.alpha)})`
  );
}

function resolveOptions(opts: FraudOptions): Required<FraudOptions> {
  const o = { ...DEFAULT_FRAUD_OPTIONS };
  for (const key of Object.keys(o) as (keyof FraudOptions)[]) {
    const value = opts[key];
    if (value !== undefined) o[key] = value;
  }
  if (!Number.isInteger(o.minVotes) || o.minVotes < 1) throw new RangeError(`minVotes must be an integer >= 1, got ${o.minVotes}`);
  if (!(o.alpha > 0 && o.alpha < 1)) throw new RangeError(`alpha must be in (0, 1), got ${o.alpha}`);
  if (!(o.burstWindowMs > 0)) throw new RangeError(`burstWindowMs must be > 0, got ${o.burstWindowMs}`);
  if (!Number.isInteger(o.burstMax) || o.burstMax < 1) throw new RangeError(`burstMax must be an integer >= 1, got ${o.burstMax}`);
  return o;
}

function isDecisive(outcome: Outcome): boolean {
  return outcome === "a" || outcome === "b";
}

function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

function formatP(p: number): string {
  return formatLogP(Math.log(p));
}

/** Code-unit order (locale-independent). */
function cmp(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Total order on votes, so that identical inputs in any order are processed identically. */
function compareVotes(x: AuditVote, y: AuditVote): number {
  return (
    cmp(x.id, y.id) ||
    cmp(x.voterId, y.voterId) ||
    cmp(x.ipHash ?? "", y.ipHash ?? "") ||
    (x.ipHash === null ? 0 : 1) - (y.ipHash === null ? 0 : 1) ||
    (x.createdAt < y.createdAt ? -1 : x.createdAt > y.createdAt ? 1 : 0) ||
    cmp(x.a, y.a) ||
    cmp(x.b, y.b) ||
    cmp(x.outcome, y.outcome)
  );
}

function groupBy<K>(votes: readonly AuditVote[], key: (v: AuditVote) => K): Map<K, AuditVote[]> {
  const groups = new Map<K, AuditVote[]>();
  for (const v of votes) {
    const k = key(v);
    const g = groups.get(k);
    if (g) g.push(v);
    else groups.set(k, [v]);
  }
  return groups;
}
