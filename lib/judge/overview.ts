/**
 * What /admin/judge shows: per judge model, mode, track and prompt version, the agreement with
 * the human votes on the same battles, and two boards fitted with the leaderboard's own
 * Bradley-Terry code (lib/ratings): one from the judge's verdicts, one from the human votes on
 * exactly those battles, so the two are comparable. Ratings are published only where lib/ratings
 * says the data identify them; the rest are listed with what is missing.
 */
import { db } from "@/lib/db";
import { computeRatings, type RatingsResult } from "@/lib/ratings";
import { missingText } from "@/lib/ratings/explain";
import { MIN_BOARD_VOTES } from "@/lib/ratings/board";
import type { Outcome } from "@/lib/contracts";
import { agreement, type Agreement } from "./agreement";

/** Fewer rounds than the leaderboard's 1,000: the page fits several boards per load. */
const BOARD_ROUNDS = 400;

export interface BoardRow {
  slug: string;
  name: string;
  elo: number;
  ciLow: number;
  ciHigh: number;
  rank: number;
  board: number;
  votes: number;
}

export interface JudgeBoard {
  votes: number;
  rated: BoardRow[];
  unrated: { slug: string; name: string; votes: number; missing: string }[];
}

export interface JudgeGroup {
  judge: { slug: string; name: string; model: string };
  mode: "image" | "code";
  track: "text" | "image";
  promptVersion: string;
  /** Verdicts on battles that still carry a valid human vote, by status. */
  verdicts: number;
  invalid: number;
  agreement: Agreement;
  judgeBoard: JudgeBoard;
  humanBoard: JudgeBoard;
}

interface Row {
  judgeId: string;
  judgeSlug: string;
  judgeName: string;
  judgeModel: string;
  mode: "image" | "code";
  track: "text" | "image";
  promptVersion: string;
  status: "done" | "invalid";
  verdict: Outcome | null;
  human: Outcome;
  a: string;
  b: string;
}

function board(result: RatingsResult, names: Map<string, { slug: string; name: string }>): JudgeBoard {
  const who = (id: string) => names.get(id) ?? { slug: id, name: id };
  return {
    votes: result.voteCount,
    rated: result.models.map((m) => ({ ...who(m.id), elo: m.elo, ciLow: m.ciLow, ciHigh: m.ciHigh, rank: m.rank, board: m.board, votes: m.votes })),
    unrated: result.unrated.map((u) => ({
      ...who(u.id),
      votes: u.votes,
      missing: missingText({ reason: u.reason, votes: u.votes, opponents: u.opponents.map((o) => who(o).name), minVotes: MIN_BOARD_VOTES }),
    })),
  };
}

export async function computeJudgeOverview(): Promise<JudgeGroup[]> {
  const rows = await db().$queryRaw<Row[]>`
    SELECT jv."judgeContestantId" AS "judgeId", j."slug" AS "judgeSlug", j."displayName" AS "judgeName", j."providerModelId" AS "judgeModel",
           jv."mode"::text AS "mode", b."track"::text AS "track", jv."promptVersion", jv."status"::text AS "status",
           jv."verdict"::text AS "verdict", v."outcome"::text AS "human",
           ga."contestantId" AS "a", gb."contestantId" AS "b"
    FROM "JudgeVerdict" jv
    JOIN "Contestant" j ON j."id" = jv."judgeContestantId"
    JOIN "Battle" b ON b."id" = jv."battleId"
    JOIN "Vote" v ON v."battleId" = b."id" AND v."valid"
    JOIN "Generation" ga ON ga."id" = b."generationAId"
    JOIN "Generation" gb ON gb."id" = b."generationBId"
    WHERE jv."status" IN ('done', 'invalid')
    ORDER BY j."slug", jv."mode", b."track", jv."promptVersion", b."id"`;
  const ids = new Set(rows.flatMap((r) => [r.a, r.b]));
  const contestants = await db().contestant.findMany({ where: { id: { in: [...ids] } }, select: { id: true, slug: true, displayName: true } });
  const names = new Map(contestants.map((c) => [c.id, { slug: c.slug, name: c.displayName }]));

  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = [r.judgeId, r.mode, r.track, r.promptVersion].join("\0");
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const first = g[0]!;
    const done = g.filter((r) => r.status === "done" && r.verdict !== null);
    return {
      judge: { slug: first.judgeSlug, name: first.judgeName, model: first.judgeModel },
      mode: first.mode,
      track: first.track,
      promptVersion: first.promptVersion,
      verdicts: g.length,
      invalid: g.length - done.length,
      agreement: agreement(done.map((r) => ({ human: r.human, judge: r.verdict! }))),
      judgeBoard: board(computeRatings(done.map((r) => ({ a: r.a, b: r.b, outcome: r.verdict! })), { rounds: BOARD_ROUNDS }), names),
      humanBoard: board(computeRatings(done.map((r) => ({ a: r.a, b: r.b, outcome: r.human })), { rounds: BOARD_ROUNDS }), names),
    };
  });
}
