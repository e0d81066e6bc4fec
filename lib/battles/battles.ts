/**
 * Serving battles and accepting votes. A battle pairs two ready generations of the same category
 * and track from different contestants, in random display order, with a single-use token bound to
 * the voter it was served to. Only the token's hash is stored.
 */
import "server-only";
import { z } from "zod";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { db, Prisma, type Track } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { publicAssetUrl } from "@/lib/storage";
import { enqueueFromRequest } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import type { BattleResponse, BattleSide, Outcome, VoteResponse } from "@/lib/contracts";
import type { MeshStats } from "@/blender-runner/client/types";
import { DEFAULT_SCOPE, scopeKey } from "@/lib/ratings/scope";
import type { Voter } from "@/lib/battles/voter";
import { battleGlbUrl, type BattleSideName } from "@/lib/battles/assets";
import { choosePair, pairKey, type PairingInput } from "@/lib/pairing/strategy";
import { readPairCounts } from "@/lib/ratings/counts";
import { revealAfterVote } from "@/lib/ratings/after-vote";

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
 * scales of their own, and unrated models count as new) and votes per model pair.
 */
async function pairingState(track: Track): Promise<Pick<PairingInput, "ratings" | "pairVotes">> {
  const key = scopeKey({ ...DEFAULT_SCOPE, track });
  const [snapshot, { counts }] = await Promise.all([
    db().ratingSnapshot.findFirst({
      where: { scope: key },
      orderBy: { computedAt: "desc" },
      select: { entries: { where: { board: 0 }, select: { contestantId: true, elo: true, ciLow: true, ciHigh: true, votes: true } } },
    }),
    readPairCounts(key, false),
  ]);
  const ratings = new Map((snapshot?.entries ?? []).map((e) => [e.contestantId, { elo: e.elo, ciLow: e.ciLow, ciHigh: e.ciHigh, votes: e.votes }]));
  const pairVotes = new Map(counts.pairs.map((p) => [pairKey(counts.ids[p.i]!, counts.ids[p.j]!), p.winsI + p.winsJ + p.ties + p.bothBad]));
  return { ratings, pairVotes };
}

type Pool = Map<string, Map<string, { id: string; glb: string }>>;

/** Outputs this voter has already seen revealed: serving one again would not be a blind vote. */
export async function revealedTo(voter: Voter): Promise<Set<string>> {
  const voted = await db().battle.findMany({
    where: { voterId: voter.id, vote: { isNot: null } },
    select: { generationAId: true, generationBId: true },
  });
  return new Set(voted.flatMap((b) => [b.generationAId, b.generationBId]));
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
  return { battle: await battleResponse(prior, token), keyUsed: true };
}

export async function createBattle(track: Track, voter: Voter, key: string | null = null): Promise<BattleResponse> {
  let requestKey = key;
  if (requestKey) {
    const again = await reissue(voter, requestKey);
    if (again.battle) return again.battle;
    // A key whose battle is already voted or expired names nothing to resume: a fresh battle.
    if (again.keyUsed) requestKey = null;
  }
  // Latest ready generation per (category, contestant) for this track, from active contestants.
  // Only ids here: the two chosen generations' assets and stats are loaded afterwards.
  const [ready, seen, state] = await Promise.all([
    db().generation.findMany({
      where: { track, status: "ready", execStatus: "OK", displayGlbKey: { not: null }, contestant: { status: "active" } },
      select: { id: true, categoryId: true, contestantId: true, displayGlbKey: true },
      orderBy: { readyAt: "desc" },
    }),
    revealedTo(voter),
    pairingState(track),
  ]);
  const byCategory: Pool = new Map();
  for (const g of ready) {
    const m = byCategory.get(g.categoryId) ?? new Map<string, { id: string; glb: string }>();
    if (!m.has(g.contestantId)) m.set(g.contestantId, { id: g.id, glb: g.displayGlbKey! });
    byCategory.set(g.categoryId, m);
  }
  const random = () => randomInt(2 ** 32) / 2 ** 32;
  const strategy = { strategy: getEnv().PAIRING_STRATEGY };
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
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + getEnv().BATTLE_TTL_SEC * 1000);
  const data = {
    track,
    categoryId,
    generationAId: byCategory.get(categoryId)!.get(choice.a)!.id,
    generationBId: byCategory.get(categoryId)!.get(choice.b)!.id,
    voterId: voter.id,
    tokenHash: tokenHash(token),
    expiresAt,
    repeatExposure,
    requestKey,
  };
  try {
    const battle = await db().battle.create({ data });
    return battleResponse(battle, token);
  } catch (err) {
    // The same request twice at once: the other one created the battle; answer with it.
    if (requestKey && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const again = await reissue(voter, requestKey);
      if (again.battle) return again.battle;
    }
    throw err;
  }
}

async function battleResponse(
  battle: { id: string; track: Track; categoryId: string; generationAId: string; generationBId: string; expiresAt: Date },
  token: string,
): Promise<BattleResponse> {
  const [category, gens] = await Promise.all([
    db().category.findUniqueOrThrow({ where: { id: battle.categoryId } }),
    db().generation.findMany({ where: { id: { in: [battle.generationAId, battle.generationBId] } }, select: { id: true, meshStats: true } }),
  ]);
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
          : { text: IMAGE_TRACK_PROMPT, images: category.referenceImageKeys.map(publicAssetUrl) },
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

/**
 * The battle behind a token, checked the same way for votes and reports: it exists, the token is
 * its own, and it was served to this voter.
 */
export async function authorisedBattle(battleId: string, token: string, voter: Voter | null) {
  const battle = await db().battle.findUnique({
    where: { id: battleId },
    include: {
      vote: { select: { id: true, outcome: true, reveal: true } },
      generationA: { include: { contestant: true } },
      generationB: { include: { contestant: true } },
    },
  });
  if (!battle) throw new ApiError("not_found", "This battle does not exist.");
  const given = Buffer.from(tokenHash(token));
  if (!timingSafeEqual(given, Buffer.from(battle.tokenHash))) throw new ApiError("bad_token", "This token is not valid for this battle.");
  if (!voter || voter.id !== battle.voterId) {
    throw new ApiError("foreign_battle", "This battle was served to a different voter.");
  }
  return { battle, voter };
}

/** A vote's answer; `replayed` when it is the stored answer to the same vote sent again. */
export interface CastVoteResult {
  response: VoteResponse;
  replayed: boolean;
}

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
  const response: VoteResponse = { reveal: await revealAfterVote(battle.track, battle.generationA.contestant, battle.generationB.contestant, input.outcome) };
  // The server's clock decides (from serving the battle to this request); the client's own timer
  // (from both models shown) is kept as a signal, never believed.
  const decisionMs = Date.now() - battle.createdAt.getTime();
  try {
    await db().vote.create({
      data: {
        battleId: battle.id,
        outcome: input.outcome,
        voterId: voter.id,
        voterSignedIn: voter.signedIn,
        decisionMs,
        clientDecisionMs: input.decisionMs ?? null,
        bothFetched: battle.aFetchedAt !== null && battle.bFetchedAt !== null,
        bothLoaded: input.bothLoaded ?? null,
        interacted: input.interacted ?? null,
        tooFast: decisionMs < getEnv().MIN_VIEW_MS,
        ipHash: input.ipHash,
        reveal: response as unknown as Prisma.InputJsonValue,
      },
    });
  } catch (err) {
    // The same battle voted twice at once: the unique battleId lets exactly one through.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      const stored = await db().vote.findUniqueOrThrow({ where: { battleId: battle.id }, select: { outcome: true, reveal: true } });
      return replay(stored, input.outcome);
    }
    throw err;
  }
  // Bounded: a slow or paused Redis must not hold the vote's answer (lib/jobs/queue.ts).
  await Promise.all([enqueueFromRequest(JOBS.ratingsRecompute, { reason: "vote" }), enqueueFromRequest(JOBS.votesAudit, { reason: "vote" })]);
  return { response, replayed: false };
}

/** The same vote again gets the answer it was given; another outcome for a voted battle is a conflict. */
function replay(stored: { outcome: Outcome; reveal: Prisma.JsonValue }, outcome: Outcome): CastVoteResult {
  if (stored.outcome !== outcome || !stored.reveal) {
    throw new ApiError("already_voted", "This battle already has a vote; each battle takes one.");
  }
  return { response: stored.reveal as unknown as VoteResponse, replayed: true };
}
