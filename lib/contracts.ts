/**
 * Public API contract (issue #2), shared by route handlers, client components and tests.
 * Later features extend these shapes; they never remove fields.
 */
import { z } from "zod";
import { ZScopeQuery } from "@/lib/ratings/scope";

export const ZTrack = z.enum(["text", "image"]);
export type Track = z.infer<typeof ZTrack>;

export const ZOutcome = z.enum(["a", "b", "tie", "both_bad"]);
export type Outcome = z.infer<typeof ZOutcome>;

export const ZCreateBattleBody = z.object({ track: ZTrack });
export const ZVoteBody = z.object({
  token: z.string().min(1),
  outcome: ZOutcome,
  /** Milliseconds between the battle being shown and the vote; optional quality signal. */
  decisionMs: z.number().int().nonnegative().optional(),
  /** Both models finished loading before the vote. */
  bothLoaded: z.boolean().optional(),
  /** The voter orbited, zoomed or changed the view or shading before voting. */
  interacted: z.boolean().optional(),
});

/** POST /api/battles/{id}/report: a voter flags one side for moderation. */
export const ZReportBody = z.object({
  token: z.string().min(1),
  side: z.enum(["a", "b"]),
  reason: z.enum(["broken", "offensive", "not_prompt"]),
  note: z.string().trim().max(500).optional(),
});

export interface SideStats {
  vertices: number;
  faces: number;
  parts: number;
  partsFloatApart: boolean;
}

export interface BattleSide {
  glbUrl: string;
  stats: SideStats;
}

export interface BattlePrompt {
  /** Text -> 3D: the category's description. Image -> 3D: a one-line instruction. */
  text: string;
  /** Text -> 3D: the structured instruction, shown on demand. */
  instruction?: string;
  /** Image -> 3D: URLs of the four reference views (Image_005 .. Image_035). */
  images?: string[];
}

export interface BattleResponse {
  id: string;
  token: string;
  track: Track;
  expiresAt: string;
  category: { id: string; name: string; prompt: BattlePrompt };
  a: BattleSide;
  b: BattleSide;
}

export interface RevealSide {
  model: string;
  displayName: string;
  organisation: string;
  /** Published rating before this vote (the track's latest snapshot); null if it was not rated. */
  elo: number | null;
  /**
   * Rating right after this vote: one Newton step from the published fit with this vote added
   * (a refit of its board when the vote changes which models are rated); null if still not rated.
   */
  eloAfter: number | null;
  /** eloAfter - elo; null unless rated both before and after. */
  change: number | null;
  /** "rated": on a board before and after; "joins": rated from this vote on; "unrated": needs more votes. */
  status: "rated" | "joins" | "unrated";
  /** Fewer votes than the leaderboard's provisional threshold (counting this one). */
  provisional: boolean;
  /** Votes in the track's scope, counting this one. */
  votes: number;
  /** 0 = the main board, 1 = "group 2", ...; null when not rated. */
  board: number | null;
  /** For "unrated": what is missing, e.g. "no loss yet". */
  missing: string | null;
}

export interface VoteResponse {
  reveal: { a: RevealSide; b: RevealSide };
  /**
   * The vote came sooner after the battle was served than MIN_VIEW_MS: it counts, with less
   * weight in the audit, and the page suggests taking a closer look next time.
   */
  tooFast?: boolean;
}

/** GET /api/leaderboard: which votes the ratings are fitted on (lib/ratings/scope.ts). */
export const ZLeaderboardQuery = ZScopeQuery;

export interface LeaderboardEntry {
  rank: number;
  model: string;
  displayName: string;
  organisation: string;
  kind: string;
  elo: number;
  ciLow: number;
  ciHigh: number;
  votes: number;
  winRate: number | null;
  execRate: number | null;
  /**
   * Chamfer as the benchmark aggregates it (benchmark-facts §4): the penalised mean over every
   * finished generation, one without a score counting 1.5 x the worst scored CD; and the
   * conditional mean over scored generations only. `chamferRotMin*`: the same for the minimum
   * over the benchmark's rotation search (cd_yawmin).
   */
  chamfer: number | null;
  chamferConditional: number | null;
  chamferRotMin: number | null;
  chamferRotMinConditional: number | null;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  /** Mean USD per generation (model calls of every attempt); 0 for key-less baselines. */
  costPerQuery: number | null;
  /** Fewer votes than `provisionalVotes`: the rating can still move a lot. */
  provisional: boolean;
  /** 0 = the main board; 1, 2, ... = groups not yet compared with it (own scale, own ranks). */
  board: number;
  /** Votes against other models of its board (what its rating is fitted on). */
  boardVotes: number;
  /** Rank confidence against the next model down its board; null for the last one. */
  order: RankConfidence | null;
  /**
   * Registry metric scores (issue 16), keyed by column id `<metric>/<key>` (see
   * LeaderboardResponse.metrics). Absent for a column the model has no scored output for.
   */
  metricScores: Record<string, MetricScoreCell>;
}

/** One model's means of one plugin score (lib/metrics/means.ts). */
export interface MetricScoreCell {
  /** Mean over outputs with a value. */
  conditional: number | null;
  /** Mean over every scored output, those without a value counting 0; null when the score has no penalised mean. */
  penalised: number | null;
  withValue: number;
  scored: number;
  /** Finished outputs of the model in this scope: scored < outputs while a metric is being backfilled. */
  outputs: number;
}

/** A registry metric as the leaderboard shows it: its scores are columns when it is available. */
export interface LeaderboardMetric {
  /** Registry id, e.g. "command:uni3d". */
  id: string;
  label: string;
  version: string;
  available: boolean;
  /** Why it is unavailable (no numbers are shown for it); null when available. */
  reason: string | null;
  scores: { column: string; key: string; label: string; higherIsBetter: boolean; penalty: "zero" | "excluded" }[];
}

/** Spearman rho of a metric column vs Elo over the main board's models, with a bootstrap 95% CI. */
export interface MetricCorrelation {
  /** "execRate", "chamfer", "chamferRotMin" or a registry column `<metric>/<key>`. */
  column: string;
  label: string;
  /** The mean correlated: "penalised" (benchmark headline) or "conditional" (scores without a penalty). */
  mean: "penalised" | "conditional";
  higherIsBetter: boolean;
  n: number;
  rho: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  /** Why rho or its interval is missing ("not enough data (n=3; needs 5 models)", "unavailable: ..."). */
  note: string | null;
}

export interface RankConfidence {
  /** Slug of the next model down the same board. */
  below: string;
  /** Probability that this model really is above it (0.5 .. 1). */
  probability: number;
  /** Further votes at the current pairing until that reaches 95%: 0 = settled; null = not reachable (a near tie). */
  votesToSettle: number | null;
}

/** A group of models whose ratings share one scale (a strongly connected set of the comparison graph). */
export interface LeaderboardBoard {
  index: number;
  /** "Main board", "Group 2", ... */
  label: string;
  models: number;
  votes: number;
  intervalMethod: "bootstrap" | "sandwich";
  /** false for groups: no vote links them to the main board yet, so their numbers are not comparable with it. */
  comparable: boolean;
  /** The anchor model and its Elo when the scale is anchored on this board; otherwise the board's mean is 1000. */
  anchor: { model: string; elo: number } | null;
  /** Style scopes: false when this board shows plain ratings. */
  styleControlled?: boolean;
}

export type UnratedReason = "no-loss" | "no-win" | "one-way" | "few-votes" | "no-interval";

/** A model with votes in the scope but no identified rating: never ranked, never part of a board's scale. */
export interface UnratedEntry {
  model: string;
  displayName: string;
  organisation: string;
  kind: string;
  votes: number;
  wins: number;
  losses: number;
  ties: number;
  bothBad: number;
  reason: UnratedReason;
  /** What is missing, for people ("no loss yet", "compared only with Blockout", ...). */
  missing: string;
  opponents: { model: string; displayName: string }[];
  /** Exact one-sided 95% bound for an all-wins or all-losses record, when it says anything. */
  bound: { side: "above" | "below"; elo: number; winProbability: number; confidence: number } | null;
}

export interface StyleEffectEntry {
  key: string;
  label: string;
  unit: string;
  /** Elo points per unit of the covariate difference, with its 95% CI. */
  elo: number;
  ciLow: number;
  ciHigh: number;
  /** false: not estimated (see `status`); the numbers are then the 0 the fit used, not an estimate. */
  estimable: boolean;
  /** "estimated" | "collinear" (varies only with the model) | "little-variation" | "not-converged" | "no-board". */
  status?: string;
  /** Votes in matchups where this feature's difference varies. */
  varyingVotes?: number;
  /** Standard error (Elo per unit) the design alone allows; null when it varies only with the models. */
  designSe?: number | null;
}

export interface LeaderboardResponse {
  /** Scope key, e.g. "all" or "track:text;tag:furniture". */
  scope: string;
  /** Human description of the scope. */
  scopeLabel: string;
  method: "bradley-terry-mle" | "bradley-terry-style-control";
  computedAt: string | null;
  votes: number;
  provisionalVotes: number;
  entries: LeaderboardEntry[];
  /** Style control only: the presentation effects that were removed. */
  effects?: StyleEffectEntry[];
  /** Category groups (tags) that have their own scope. */
  tags: string[];
  /** Boards of this scope, main board first; entries carry their board's index. */
  boards: LeaderboardBoard[];
  /** Models with votes but no identified rating yet ("needs more votes"). */
  unrated: UnratedEntry[];
  /** Set when votes exist but nothing can be ranked yet: why. */
  notEnoughData: string | null;
  /** Votes a model needs inside its board before it is rated. */
  minBoardVotes: number;
  /** Style control only: false when no presentation effect is estimable yet and the plain ratings are shown. */
  styleControlled?: boolean;
  /** Every registry metric, available or not (issue 16); entries carry the scores in `metricScores`. */
  metrics: LeaderboardMetric[];
  /** Exec, Chamfer and every available registry score vs Elo on the main board. */
  correlations: MetricCorrelation[];
}

export interface ApiErrorBody {
  error: { code: string; message: string };
  /**
   * 409 already_voted: the vote this battle already has (cast by the same voter, e.g. in another
   * tab) and the reveal it was given, so the page can show what was recorded.
   */
  recorded?: { outcome: Outcome } & VoteResponse;
}

/**
 * GET /api/votes/export: anonymised votes, streamed. Query values arrive as strings; an empty value
 * (`?track=`) means "not set" so that hand-built URLs with blank slots still work. Unknown keys are
 * rejected: a misspelt filter must not silently export everything.
 */
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
const ZExportInstant = z.preprocess(
  blankToUndefined,
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], {
      error: "expected an ISO 8601 date (2026-01-31) or timestamp with offset (2026-01-31T12:00:00Z)",
    })
    .transform((s) => new Date(s))
    .optional(),
);
const VOTE_EXPORT_PARAMS = {
  format: z.preprocess(blankToUndefined, z.enum(["jsonl", "csv"]).default("jsonl")),
  track: z.preprocess(blankToUndefined, ZTrack.optional()),
  /** "true": only valid votes; "false": only flagged ones; "all" (default): both, with the `valid` column. */
  valid: z.preprocess(blankToUndefined, z.enum(["true", "false", "all"]).default("all")),
  /** Inclusive lower bound on the vote time. */
  since: ZExportInstant,
  /** Exclusive upper bound on the vote time. */
  until: ZExportInstant,
};
export const ZVoteExportQuery = z
  .looseObject(VOTE_EXPORT_PARAMS)
  .superRefine((q, ctx) => {
    // Reported per key (not as strictObject's path-less issue) so the 422 names the parameter.
    for (const key of Object.keys(q)) {
      if (!(key in VOTE_EXPORT_PARAMS)) {
        ctx.addIssue({ code: "custom", path: [key], message: `unknown parameter (expected ${Object.keys(VOTE_EXPORT_PARAMS).join(", ")})` });
      }
    }
    if (q.since && q.until && q.since >= q.until) ctx.addIssue({ code: "custom", path: ["since"], message: "must be before until" });
  })
  .transform(({ format, track, valid, since, until }) => ({ format, track, valid, since, until }));
export type VoteExportQuery = z.infer<typeof ZVoteExportQuery>;
export type VoteExportFormat = VoteExportQuery["format"];

/** Export columns in their fixed order (CSV header, JSONL key order). Nothing here identifies a voter. */
export const VOTE_EXPORT_COLUMNS = [
  "id",
  "created_at",
  "track",
  "category",
  "category_name",
  "model_a",
  "model_b",
  "winner",
  "voter_kind",
  "valid",
  "flag_reason",
  "decision_ms",
] as const;
export type VoteExportColumn = (typeof VOTE_EXPORT_COLUMNS)[number];

export interface VoteExportRow {
  id: string;
  /** ISO 8601, UTC, millisecond precision. */
  created_at: string;
  track: Track;
  /** Category instance id, e.g. Mug_seed0. */
  category: string;
  category_name: string;
  /** Contestant slugs in display order: `winner: "a"` means model_a won. */
  model_a: string;
  model_b: string;
  winner: Outcome;
  voter_kind: "anonymous" | "signed_in";
  valid: boolean;
  flag_reason: string | null;
  decision_ms: number | null;
}
