/**
 * Public API contract (issue #2), shared by route handlers, client components and tests.
 * Later features extend these shapes; they never remove fields.
 */
import { z } from "zod";

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
  elo: number | null;
}

export interface VoteResponse {
  reveal: { a: RevealSide; b: RevealSide };
}

export const ZLeaderboardQuery = z.object({ track: z.enum(["text", "image", "all"]).default("all") });

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
  chamfer: number | null;
}

export interface LeaderboardResponse {
  scope: string;
  computedAt: string | null;
  votes: number;
  entries: LeaderboardEntry[];
}

export interface ApiErrorBody {
  error: { code: string; message: string };
}
