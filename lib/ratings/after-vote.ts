/**
 * The reveal after a vote: both models' published ratings in the track's scope, and what this vote
 * does to them (lib/ratings/reveal.ts), from the latest snapshot and the scope's counts, both kept
 * between snapshots (ratings-state.ts). Costs one Cholesky solve of the board's size.
 *
 * No `import "server-only"` (like vote-export.ts): integration tests call it from plain Node.
 */
import type { Outcome, RevealSide, Track } from "@/lib/contracts";
import { missingText } from "@/lib/ratings/explain";
import { ratingsAfterVote, type Published } from "@/lib/ratings/reveal";
import { PROVISIONAL_VOTES } from "@/lib/leaderboard/read";
import { trackRatingsState } from "@/lib/ratings/state";

interface Side {
  id: string;
  slug: string;
  displayName: string;
  organisation: string;
}

export async function revealAfterVote(track: Track, a: Side, b: Side, outcome: Outcome): Promise<{ a: RevealSide; b: RevealSide }> {
  const state = await trackRatingsState(track);
  const published = new Map<string, Published>(state.current ? state.entries.map((e) => [e.contestantId, { elo: e.elo, board: e.board }]) : []);
  const r = ratingsAfterVote({ counts: state.counts, published, anchors: state.anchors, vote: { a: a.id, b: b.id, outcome }, minVotes: state.minBoardVotes });
  const names = state.displayNames;
  const params = { minBoardVotes: state.minBoardVotes };
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
      ? missingText({ reason: x.reason, votes: x.votes, opponents: x.opponents.map((o) => names.get(o) ?? o), minVotes: params.minBoardVotes ?? 5 })
      : null,
  });
  return { a: side(a, r.a), b: side(b, r.b) };
}
