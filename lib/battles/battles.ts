/**
 * Serving battles and accepting votes. A battle pairs two ready generations of the same category
 * and track from different contestants, in random display order, with a single-use token bound to
 * the voter it was served to. Only the token's hash is stored.
 */
import "server-only";
import { shownReferenceKeys } from "@/lib/generations/display-views";
import { z } from "zod";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { db, hotStatement, runHot, Prisma, type Track } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { publicAssetUrl } from "@/lib/storage";
import { enqueueFromRequest } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import type { BattleResponse, BattleSide, Outcome, VoteResponse } from "@/lib/contracts";
import type { MeshStats } from "@/blender-runner/client/types";
import type { Voter } from "@/lib/battles/voter";
import { battleGlbUrl, type BattleSideName } from "@/lib/battles/assets";
import { choosePair, pairKey, type PairingInput } from "@/lib/pairing/strategy";
import { revealAfterVote } from "@/lib/ratings/after-vote";
import { trackRatingsState, type RatingsState } from "@/lib/ratings/state";
import { battlePool, type BattlePool, type PoolCategory } from "@/lib/battles/pool";
import { newRowId } from "@/lib/battles/row-id";

/** Parts further apart than this fraction of the object's size count as "floating apart". */
const FLOAT_APART_RATIO = 0.02;

export const IMAGE_TRACK_PROMPT = "Build this object in Blender 5.0 Python so that it matches the four reference views.";

function tokenHash(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

function sideOf(battleId: string, side: BattleSideName, gen: { meshStats: Prisma.JsonValue }): BattleSide {
  const s = (gen.meshStats ?? {}) as Partial<MeshStats>;
  return {
    glbUrl: battleGlbUrl(battleId, side),
    stats: {
      vertices: s.vertices ?? 0,
      faces: s.faces ?? 0,
      parts: s.parts ?? 0,
      partsFloatApart: (s.parts ?? 0) > 1 && (s.maxPartGapRatio ?? 0) > FLOAT_APART_RATIO,
    },
  };
}

/**
 * What adaptive pairing needs: the track's current ratings (main board only: other groups are on
 * scales of their own, and unrated models count as new) and votes per model pair. Derived once per
 * ratings state (ratings-state.ts), not per battle.
 */
const pairingOf = new WeakMap<RatingsState, Pick<PairingInput, "ratings" | "pairVotes">>();

async function pairingState(track: Track): Promise<Pick<PairingInput, "ratings" | "pairVotes">> {
  const state = await trackRatingsState(track);
  let out = pairingOf.get(state);
  if (!out) {
    const { counts } = state;
    out = {
      ratings: new Map(state.entries.filter((e) => e.board === 0).map((e) => [e.contestantId, { elo: e.elo, ciLow: e.ciLow, ciHigh: e.ciHigh, votes: e.votes }])),
      pairVotes: new Map(counts.pairs.map((p) => [pairKey(counts.ids[p.i]!, counts.ids[p.j]!), p.winsI + p.winsJ + p.ties + p.bothBad])),
    };
    pairingOf.set(state, out);
  }
  return out;
}

type Pool = BattlePool["byCategory"];

// The voter's set of revealed outputs, kept by a trigger on votes (RevealedOutput): a few rows
// per voter however long their history (it was a join over all their votes, the largest statement
// per request under load), as one JSON row rather than a row each.
const REVEALED_TO = hotStatement<{ ids: string[] }>(
  "revealed-to",
  `SELECT coalesce(json_agg("generationId"), '[]') AS "ids" FROM "RevealedOutput" WHERE "voterId" = $1`,
);

/** Outputs this voter has already seen revealed: serving one again would not be a blind vote. */
export async function revealedTo(voter: Voter): Promise<Set<string>> {
  const [row] = await runHot(REVEALED_TO, [voter.id]);
  return new Set(row?.ids ?? []);
}

function candidatesOf(pool: Pool, exclude: Set<string>) {
  return [...pool.entries()].map(([categoryId, m]) => {
    const unseen = new Map([...m].filter(([, g]) => !exclude.has(g.id)));
    return { categoryId, contestants: [...unseen.keys()], identical: identicalOutputs(unseen) };
  });
}

/** A client's key for one "give me a battle" request, so a retry does not mint a second battle. */
export const ZRequestKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/**
 * The battle this voter already got for `requestKey`, under a fresh token: the client retried
 * because the first answer was lost, so the first token was never seen by anyone. Null when there
 * is none, or it can no longer be voted on (voted, expired).
 */
async function reissue(voter: Voter, requestKey: string): Promise<{ battle: BattleResponse | null; keyUsed: boolean }> {
  const prior = await db().battle.findUnique({
    where: { voterId_requestKey: { voterId: voter.id, requestKey } },
    select: { id: true, track: true, categoryId: true, generationAId: true, generationBId: true, expiresAt: true, vote: { select: { id: true } } },
  });
  if (!prior) return { battle: null, keyUsed: false };
  if (prior.vote || prior.expiresAt.getTime() <= Date.now()) return { battle: null, keyUsed: true };
  const token = randomBytes(24).toString("base64url");
  await db().battle.update({ where: { id: prior.id }, data: { tokenHash: tokenHash(token) } });
  return { battle: await loadBattleResponse(prior, token), keyUsed: true };
}

export async function createBattle(track: Track, voter: Voter, key: string | null = null): Promise<BattleResponse> {
  let requestKey = key;
  if (requestKey) {
    const again = await reissue(voter, requestKey);
    if (again.battle) return again.battle;
    // A key whose battle is already voted or expired names nothing to resume: a fresh battle.
    if (again.keyUsed) requestKey = null;
  }
  const pool = battlePool(track);
  const [seen, state] = await Promise.all([revealedTo(voter), pairingState(track)]);
  const random = () => randomInt(2 ** 32) / 2 ** 32;
  const strategy = { strategy: getEnv().PAIRING_STRATEGY };
  // The pool may be a moment old: the pair is checked against the database, and when one of its
  // outputs is no longer servable (hidden, contestant paused) the pool is rebuilt and the pair
  // chosen again, once.
  for (let attempt = 0; ; attempt++) {
    const { byCategory, categories } = await pool.get();
    // Pairs of outputs the voter has not seen revealed first; only when none is left, any pair
    // (marked, so such votes can be told apart: they are not blind).
    let choice = choosePair({ candidates: candidatesOf(byCategory, seen), ...state }, random, strategy);
    const repeatExposure = !choice && seen.size > 0;
    if (repeatExposure) choice = choosePair({ candidates: candidatesOf(byCategory, new Set()), ...state }, random, strategy);
    if (!choice) {
      throw new ApiError("no_battles", "No battles are available yet: models are still being built. Try again in a few seconds.", {
        "Retry-After": "5",
      });
    }
    const categoryId = choice.categoryId;
    const generationAId = byCategory.get(categoryId)!.get(choice.a)!.id;
    const generationBId = byCategory.get(categoryId)!.get(choice.b)!.id;
    const category = categories.get(categoryId);
    const token = randomBytes(24).toString("base64url");
    const expiresAt = new Date(Date.now() + getEnv().BATTLE_TTL_SEC * 1000);
    const data = { track, categoryId, generationAId, generationBId, voterId: voter.id, tokenHash: tokenHash(token), expiresAt, repeatExposure, requestKey };
    const { id, gens } = category ? await insertBattle(data) : { id: null, gens: [] };
    if (gens.length < 2 || !category) {
      pool.invalidate();
      if (attempt === 0) continue;
      throw new ApiError("no_battles", "The outputs just changed; please try again.", { "Retry-After": "1" });
    }
    if (id) return battleResponse({ ...data, id }, token, category, gens);
    // Not inserted although both outputs qualify: the same request twice at once, and the other
    // one created the battle under this Idempotency-Key; answer with it.
    if (requestKey) {
      const again = await reissue(voter, requestKey);
      if (again.battle) return again.battle;
    }
    throw new Error("battle insert skipped without a conflicting request key");
  }
}

const INSERT_BATTLE = hotStatement<{ id: string; meshStats: Prisma.JsonValue; battleId: string | null }>(
  "insert-battle",
  `WITH g AS (
     SELECT g."id", g."meshStats" FROM "Generation" g JOIN "Contestant" c ON c."id" = g."contestantId"
     WHERE g."id" IN ($4, $5) AND g."status" = 'ready' AND g."execStatus" = 'OK'
       AND g."displayGlbKey" IS NOT NULL AND c."status" = 'active'
   ), ins AS (
     INSERT INTO "Battle" ("id", "track", "categoryId", "generationAId", "generationBId", "voterId", "tokenHash", "expiresAt", "repeatExposure", "requestKey")
     SELECT $1, $2::"Track", $3, $4, $5, $6, $7, $8::timestamp(3), $9::boolean, $10::text
     WHERE (SELECT count(*) FROM g) = 2
     ON CONFLICT ("voterId", "requestKey") DO NOTHING
     RETURNING "id"
   )
   SELECT g."id", g."meshStats", (SELECT "id" FROM ins) AS "battleId" FROM g`,
);

/**
 * Stores a battle if both outputs are still servable (the pool may be a moment old), in one
 * statement: the re-check of the two outputs and the insert were two round trips and two queries
 * Prisma had to build, per battle. Returns the servable outputs (both, or fewer: then nothing was
 * stored) and the new id, or null when a battle with the same (voter, request key) already exists.
 */
async function insertBattle(d: {
  track: Track;
  categoryId: string;
  generationAId: string;
  generationBId: string;
  voterId: string;
  tokenHash: string;
  expiresAt: Date;
  repeatExposure: boolean;
  requestKey: string | null;
}): Promise<{ id: string | null; gens: { id: string; meshStats: Prisma.JsonValue }[] }> {
  // UTC without a zone, as Prisma stores timestamps: the cast to `timestamp` ignores the "Z".
  const rows = await runHot(INSERT_BATTLE, [
    newRowId(), d.track, d.categoryId, d.generationAId, d.generationBId, d.voterId, d.tokenHash, d.expiresAt.toISOString(), d.repeatExposure, d.requestKey,
  ]);
  return { id: rows[0]?.battleId ?? null, gens: rows.map((r) => ({ id: r.id, meshStats: r.meshStats })) };
}

type BattleRow = { id: string; track: Track; categoryId: string; generationAId: string; generationBId: string; expiresAt: Date };

/** For a battle served again (reissue): its category and outputs as they are now. */
async function loadBattleResponse(battle: BattleRow, token: string): Promise<BattleResponse> {
  const [category, gens] = await Promise.all([
    db().category.findUniqueOrThrow({
      where: { id: battle.categoryId },
      select: { instanceId: true, name: true, description: true, instruction: true, referenceImageKeys: true, displayImageKeys: true },
    }),
    db().generation.findMany({ where: { id: { in: [battle.generationAId, battle.generationBId] } }, select: { id: true, meshStats: true } }),
  ]);
  return battleResponse(battle, token, category, gens);
}

function battleResponse(battle: BattleRow, token: string, category: PoolCategory, gens: { id: string; meshStats: Prisma.JsonValue }[]): BattleResponse {
  const first = gens.find((g) => g.id === battle.generationAId)!;
  const second = gens.find((g) => g.id === battle.generationBId)!;
  return {
    id: battle.id,
    token,
    track: battle.track,
    expiresAt: battle.expiresAt.toISOString(),
    category: {
      id: category.instanceId,
      name: category.name,
      prompt:
        battle.track === "text"
          ? { text: category.description, instruction: category.instruction }
          : { text: IMAGE_TRACK_PROMPT, images: shownReferenceKeys(category).map(publicAssetUrl) },
    },
    a: sideOf(battle.id, "a", first),
    b: sideOf(battle.id, "b", second),
  };
}

/** Contestant pairs whose outputs are the same file (identical code is executed once and shared). */
function identicalOutputs(byContestant: Map<string, { glb: string }>): [string, string][] {
  const byGlb = new Map<string, string[]>();
  for (const [contestant, { glb }] of byContestant) byGlb.set(glb, [...(byGlb.get(glb) ?? []), contestant]);
  const pairs: [string, string][] = [];
  for (const group of byGlb.values()) {
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) pairs.push([group[i]!, group[j]!]);
  }
  return pairs;
}

interface ContestantSide {
  id: string;
  slug: string;
  displayName: string;
  organisation: string;
}

/** What votes and reports read of a battle. */
export interface AuthorisedBattle {
  id: string;
  track: Track;
  voterId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  aFetchedAt: Date | null;
  bFetchedAt: Date | null;
  generationAId: string;
  generationBId: string;
  vote: { id: string; outcome: Outcome; reveal: Prisma.JsonValue } | null;
  generationA: { contestant: ContestantSide };
  generationB: { contestant: ContestantSide };
}

type BattleJoinRow = Omit<AuthorisedBattle, "vote" | "generationA" | "generationB"> & {
  voteId: string | null;
  voteOutcome: Outcome | null;
  voteReveal: Prisma.JsonValue;
  a: ContestantSide;
  b: ContestantSide;
};

// Only what votes and reports use (the generations' own rows carry their code and metrics), in
// one plain join: Prisma's nested select built and ran it as several queries per vote.
const AUTHORISED_BATTLE = hotStatement<BattleJoinRow>(
  "authorised-battle",
  `SELECT b."id", b."track"::text AS "track", b."voterId", b."tokenHash", b."createdAt", b."expiresAt", b."aFetchedAt", b."bFetchedAt",
          b."generationAId", b."generationBId", v."id" AS "voteId", v."outcome"::text AS "voteOutcome", v."reveal" AS "voteReveal",
          json_build_object('id', ca."id", 'slug', ca."slug", 'displayName', ca."displayName", 'organisation', ca."organisation") AS "a",
          json_build_object('id', cb."id", 'slug', cb."slug", 'displayName', cb."displayName", 'organisation', cb."organisation") AS "b"
   FROM "Battle" b
   JOIN "Generation" ga ON ga."id" = b."generationAId" JOIN "Contestant" ca ON ca."id" = ga."contestantId"
   JOIN "Generation" gb ON gb."id" = b."generationBId" JOIN "Contestant" cb ON cb."id" = gb."contestantId"
   LEFT JOIN "Vote" v ON v."battleId" = b."id"
   WHERE b."id" = $1`,
);

/**
 * The battle behind a token, checked the same way for votes and reports: it exists, the token is
 * its own, and it was served to this voter.
 */
export async function authorisedBattle(battleId: string, token: string, voter: Voter | null): Promise<{ battle: AuthorisedBattle; voter: Voter }> {
  const [row] = await runHot(AUTHORISED_BATTLE, [battleId]);
  if (!row) throw new ApiError("not_found", "This battle does not exist.");
  const given = Buffer.from(tokenHash(token));
  if (!timingSafeEqual(given, Buffer.from(row.tokenHash))) throw new ApiError("bad_token", "This token is not valid for this battle.");
  if (!voter || voter.id !== row.voterId) {
    throw new ApiError("foreign_battle", "This battle was served to a different voter.");
  }
  const { voteId, voteOutcome, voteReveal, a, b, ...battle } = row;
  return {
    battle: { ...battle, vote: voteId ? { id: voteId, outcome: voteOutcome!, reveal: voteReveal } : null, generationA: { contestant: a }, generationB: { contestant: b } },
    voter,
  };
}

/** A vote's answer; `replayed` when it is the stored answer to the same vote sent again. */
export interface CastVoteResult {
  response: VoteResponse;
  replayed: boolean;
}

const INSERT_VOTE = hotStatement<{ id: string }>(
  "insert-vote",
  `INSERT INTO "Vote" ("id", "battleId", "outcome", "voterId", "voterSignedIn", "decisionMs", "clientDecisionMs", "bothFetched",
                       "bothLoaded", "interacted", "tooFast", "ipHash", "reveal")
   VALUES ($1, $2, $3::"VoteOutcome", $4, $5::boolean, $6::int, $7::int, $8::boolean, $9::boolean, $10::boolean, $11::boolean, $12::text, $13::jsonb)
   ON CONFLICT ("battleId") DO NOTHING
   RETURNING "id"`,
);

export async function castVote(input: {
  battleId: string;
  token: string;
  outcome: Outcome;
  decisionMs?: number;
  bothLoaded?: boolean;
  interacted?: boolean;
  voter: Voter | null;
  ipHash: string | null;
}): Promise<CastVoteResult> {
  const { battle, voter } = await authorisedBattle(input.battleId, input.token, input.voter);
  if (battle.vote) return replay(battle.vote, input.outcome);
  if (battle.expiresAt.getTime() < Date.now()) throw new ApiError("battle_expired", "This battle has expired; please load a new one.");

  // The answer is made before the vote is stored and stored with it, so the same vote sent again
  // (its first answer lost on the way) gets exactly this answer back.
  // Both models' ratings with this vote's effect (one Newton step from the published fit).
  const reveal = await revealAfterVote(battle.track, battle.generationA.contestant, battle.generationB.contestant, input.outcome);
  // The server's clock decides (from serving the battle to this request); the client's own timer
  // (from both models shown) is kept as a signal, never believed.
  const decisionMs = Date.now() - battle.createdAt.getTime();
  const tooFast = decisionMs < getEnv().MIN_VIEW_MS;
  const response: VoteResponse = { reveal, ...(tooFast ? { tooFast } : {}) };
  // One statement; the unique battleId lets exactly one vote per battle through. A vote that lost
  // the race (the same battle voted twice at once) inserts nothing and gets the stored answer.
  const [stored] = await runHot(INSERT_VOTE, [
    newRowId(), battle.id, input.outcome, voter.id, voter.signedIn, decisionMs, input.decisionMs ?? null,
    battle.aFetchedAt !== null && battle.bFetchedAt !== null, input.bothLoaded ?? null, input.interacted ?? null, tooFast, input.ipHash,
    JSON.stringify(response),
  ]);
  if (!stored) {
    const other = await db().vote.findUniqueOrThrow({ where: { battleId: battle.id }, select: { outcome: true, reveal: true } });
    return replay(other, input.outcome);
  }
  // Bounded: a slow or paused Redis must not hold the vote's answer (lib/jobs/queue.ts).
  await Promise.all([enqueueFromRequest(JOBS.ratingsRecompute, { reason: "vote" }), enqueueFromRequest(JOBS.votesAudit, { reason: "vote" })]);
  return { response, replayed: false };
}

/** The same vote again gets the answer it was given; another outcome for a voted battle is a conflict. */
function replay(stored: { outcome: Outcome; reveal: Prisma.JsonValue }, outcome: Outcome): CastVoteResult {
  if (stored.outcome !== outcome || !stored.reveal) {
    // Only the voter the battle was served to gets here (authorisedBattle): they may see their own vote.
    const recorded = stored.reveal ? { outcome: stored.outcome, ...(stored.reveal as unknown as VoteResponse) } : undefined;
    throw new ApiError("already_voted", "This battle already has a vote; each battle takes one.", {}, recorded ? { recorded } : {});
  }
  return { response: stored.reveal as unknown as VoteResponse, replayed: true };
}
