/**
 * Serving battles and accepting votes. A battle pairs two ready generations of the same category
 * and track from different contestants, in random display order, with a single-use token bound to
 * the voter it was served to. Only the token's hash is stored.
 */
import "server-only";
import { createHash, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import { db, Prisma, type Track } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { publicAssetUrl } from "@/lib/storage";
import { enqueue } from "@/lib/jobs/queue";
import { JOBS } from "@/lib/jobs/constants";
import type { BattleResponse, BattleSide, Outcome, VoteResponse } from "@/lib/contracts";
import type { MeshStats } from "@/blender-runner/client/types";
import { DEFAULT_SCOPE, scopeKey } from "@/lib/ratings/scope";
import type { Voter } from "./voter";
import { battleGlbUrl, type BattleSideName } from "./battle-assets";
import { choosePair, pairKey, type PairingInput } from "@/lib/pairing/strategy";
import { readPairCounts } from "./rating-counts";
import { revealAfterVote } from "./reveal";

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

export async function createBattle(track: Track, voter: Voter): Promise<BattleResponse> {
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
  const firstId = byCategory.get(categoryId)!.get(choice.a)!.id;
  const secondId = byCategory.get(categoryId)!.get(choice.b)!.id;
  const chosen = await db().generation.findMany({
    where: { id: { in: [firstId, secondId] } },
    select: { id: true, meshStats: true },
  });
  const first = chosen.find((g) => g.id === firstId)!;
  const second = chosen.find((g) => g.id === secondId)!;

  const category = await db().category.findUniqueOrThrow({ where: { id: categoryId } });
  const token = randomBytes(24).toString("base64url");
  const expiresAt = new Date(Date.now() + getEnv().BATTLE_TTL_SEC * 1000);
  const battle = await db().battle.create({
    data: { track, categoryId, generationAId: first.id, generationBId: second.id, voterId: voter.id, tokenHash: tokenHash(token), expiresAt, repeatExposure },
  });
  return {
    id: battle.id,
    token,
    track,
    expiresAt: expiresAt.toISOString(),
    category: {
      id: category.instanceId,
      name: category.name,
      prompt:
        track === "text"
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
      vote: { select: { id: true } },
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

export async function castVote(input: {
  battleId: string;
  token: string;
  outcome: Outcome;
  decisionMs?: number;
  bothLoaded?: boolean;
  interacted?: boolean;
  voter: Voter | null;
  ipHash: string | null;
}): Promise<VoteResponse> {
  const { battle, voter } = await authorisedBattle(input.battleId, input.token, input.voter);
  if (battle.vote) throw new ApiError("already_voted", "This battle already has a vote; each battle takes one.");
  if (battle.expiresAt.getTime() < Date.now()) throw new ApiError("battle_expired", "This battle has expired; please load a new one.");

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
      },
    });
  } catch (err) {
    // Two concurrent submissions: the unique battleId lets exactly one through.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new ApiError("already_voted", "This battle already has a vote; each battle takes one.");
    }
    throw err;
  }
  await enqueue(JOBS.ratingsRecompute, { reason: "vote" }).catch(() => undefined);
  await enqueue(JOBS.votesAudit, { reason: "vote" }).catch(() => undefined);

  // Both models' ratings with this vote's effect (one Newton step from the published fit).
  const reveal = await revealAfterVote(battle.track, battle.generationA.contestant, battle.generationB.contestant, input.outcome);
  return { reveal };
}
