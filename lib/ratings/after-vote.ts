/**
 * The reveal after a vote: both models' published ratings in the track's scope, and what this vote
 * does to them (lib/ratings/reveal.ts), from the latest snapshot and the scope's counts. Costs one
 * read of the scope's pair counts (O(models^2) rows) and one Cholesky solve of the board's size.
 *
 * No `import "server-only"` (like vote-export.ts): integration tests call it from plain Node.
 */
import { db } from "@/lib/db";
import type { Outcome, RevealSide, Track } from "@/lib/contracts";
import type { Anchor } from "@/lib/ratings/board";
import { missingText } from "@/lib/ratings/explain";
import { ratingsAfterVote, type Published } from "@/lib/ratings/reveal";
import { DEFAULT_SCOPE, scopeKey } from "@/lib/ratings/scope";
import { PROVISIONAL_VOTES } from "@/lib/leaderboard/read";
import { readPairCounts } from "@/lib/ratings/counts";
import { snapshotParams } from "@/lib/ratings/snapshot-params";

interface Side {
  id: string;
  slug: string;
  displayName: string;
  organisation: string;
}

export async function revealAfterVote(track: Track, a: Side, b: Side, outcome: Outcome): Promise<{ a: RevealSide; b: RevealSide }> {
  const key = scopeKey({ ...DEFAULT_SCOPE, track });
  const [snapshot, { counts }] = await Promise.all([
    db().ratingSnapshot.findFirst({
      where: { scope: key },
      orderBy: { computedAt: "desc" },
      select: { params: true, entries: { select: { contestantId: true, elo: true, board: true } } },
    }),
    readPairCounts(key, false),
  ]);
  const params = snapshotParams(snapshot?.params);
  const current = params !== null;
  const published = new Map<string, Published>(current ? snapshot!.entries.map((e) => [e.contestantId, { elo: e.elo, board: e.board }]) : []);
  const anchors = new Map<number, Anchor | null>((params?.boards ?? []).map((x) => [x.index, x.anchor]));
  const r = ratingsAfterVote({ counts, published, anchors, vote: { a: a.id, b: b.id, outcome }, minVotes: params?.minBoardVotes });
  const names = new Map(
    (await db().contestant.findMany({ where: { id: { in: [...new Set([...r.a.opponents, ...r.b.opponents])] } }, select: { id: true, displayName: true } })).map(
      (c) => [c.id, c.displayName],
    ),
  );
  const side = (c: Side, x: typeof r.a): RevealSide => ({
    model: c.slug,
    displayName: c.displayName,
    organisation: c.organisation,
    elo: x.before,
    eloAfter: x.after,
    change: x.before !== null && x.after !== null ? x.after - x.before : null,
    status: x.status,
    provisional: x.votes < PROVISIONAL_VOTES,
    votes: x.votes,
    board: x.board,
    missing: x.reason
      ? missingText({ reason: x.reason, votes: x.votes, opponents: x.opponents.map((o) => names.get(o) ?? o), minVotes: params?.minBoardVotes ?? 5 })
      : null,
  });
  return { a: side(a, r.a), b: side(b, r.b) };
}
