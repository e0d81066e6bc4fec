/**
 * Recomputes Bradley-Terry ratings from all valid votes and stores one snapshot per scope.
 * Scopes: "all", "track:text", "track:image".
 */
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { computeRatings } from "@/lib/ratings";

export const SCOPES = ["all", "track:text", "track:image"] as const;
export type Scope = (typeof SCOPES)[number];

export function scopeForTrack(track: "text" | "image" | "all"): Scope {
  return track === "all" ? "all" : `track:${track}`;
}

/** Fixed seed so a snapshot is reproducible from the stored votes. */
export const BOOTSTRAP_SEED = 20261124;

export async function recomputeRatings(): Promise<{ scope: Scope; votes: number }[]> {
  const votes = await db().vote.findMany({
    where: { valid: true },
    select: {
      outcome: true,
      battle: { select: { track: true, generationA: { select: { contestantId: true } }, generationB: { select: { contestantId: true } } } },
    },
    orderBy: { createdAt: "asc" },
  });
  const rounds = getEnv().RATINGS_BOOTSTRAP_ROUNDS;
  const out: { scope: Scope; votes: number }[] = [];
  for (const scope of SCOPES) {
    const subset = votes
      .filter((v) => scope === "all" || `track:${v.battle.track}` === scope)
      .map((v) => ({ a: v.battle.generationA.contestantId, b: v.battle.generationB.contestantId, outcome: v.outcome }));
    const result = computeRatings(subset, { rounds, seed: BOOTSTRAP_SEED });
    await db().ratingSnapshot.create({
      data: {
        scope,
        voteCount: subset.length,
        params: { method: "bradley-terry-mle", scale: "elo-400", center: 1000, bootstrapRounds: rounds, seed: BOOTSTRAP_SEED, ci: 0.95 },
        entries: {
          create: result.models.map((m) => ({
            contestantId: m.id,
            elo: m.elo,
            ciLow: m.ciLow,
            ciHigh: m.ciHigh,
            rank: m.rank,
            votes: m.votes,
            wins: m.wins,
            losses: m.losses,
            ties: m.ties,
            bothBad: m.bothBad,
          })),
        },
      },
    });
    out.push({ scope, votes: subset.length });
  }
  return out;
}
