/**
 * Leaderboard scopes: which votes a rating snapshot is fitted on. Shared by the ratings worker
 * (which stores one snapshot series per scope), the leaderboard API and the pages.
 *
 * A scope serialises to a stable key stored in RatingSnapshot.scope. Defaults are left out, so
 * the two oldest keys ("all", "track:text") keep their meaning:
 *   all                                  every valid vote
 *   track:image;tag:furniture            Image -> 3D votes on categories tagged "furniture"
 *   track:text;voters:signed-in          Text -> 3D votes by signed-in voters
 *   flagged:include                      also the votes fraud detection flagged
 *   track:text;style:control             style-controlled fit (presentation effects removed)
 */
import { z } from "zod";

export const ZScopeTrack = z.enum(["all", "text", "image"]);
export const ZScopeVoters = z.enum(["all", "signed-in"]);
export const ZScopeFlagged = z.enum(["exclude", "include"]);

export interface RatingScope {
  track: z.infer<typeof ZScopeTrack>;
  /** Category group (a category tag); null = every category. */
  tag: string | null;
  voters: z.infer<typeof ZScopeVoters>;
  /** Flagged votes are excluded by default (they carry a recorded reason). */
  flagged: z.infer<typeof ZScopeFlagged>;
  /** Style control: the rating with presentation effects (faces, parts, materials) removed. */
  style: boolean;
}

export const DEFAULT_SCOPE: RatingScope = { track: "all", tag: null, voters: "all", flagged: "exclude", style: false };

/** Tags are free text in arena.json; keys need a separator-free form. */
const TAG_RE = /^[a-z0-9][a-z0-9 _-]{0,39}$/i;
export const ZScopeTag = z.string().trim().regex(TAG_RE, "a category tag: letters, digits, space, _ or -, at most 40");

/** Query-string form, used by GET /api/leaderboard and the leaderboard page. */
export const ZScopeQuery = z.object({
  track: ZScopeTrack.default("all"),
  tag: ZScopeTag.optional(),
  voters: ZScopeVoters.default("all"),
  flagged: ZScopeFlagged.default("exclude"),
  style: z.enum(["on", "off"]).default("off"),
});

export function scopeFromQuery(q: z.infer<typeof ZScopeQuery>): RatingScope {
  return { track: q.track, tag: q.tag ?? null, voters: q.voters, flagged: q.flagged, style: q.style === "on" };
}

export function scopeKey(s: RatingScope): string {
  const parts: string[] = [];
  if (s.track !== "all") parts.push(`track:${s.track}`);
  if (s.tag !== null) parts.push(`tag:${s.tag.toLowerCase()}`);
  if (s.voters !== "all") parts.push(`voters:${s.voters}`);
  if (s.flagged !== "exclude") parts.push(`flagged:${s.flagged}`);
  if (s.style) parts.push("style:control");
  return parts.length ? parts.join(";") : "all";
}

export function parseScopeKey(key: string): RatingScope {
  const s: RatingScope = { ...DEFAULT_SCOPE };
  if (key === "all") return s;
  for (const part of key.split(";")) {
    const [name, value = ""] = part.split(":", 2) as [string, string?];
    if (name === "track") s.track = ZScopeTrack.parse(value);
    else if (name === "tag") s.tag = ZScopeTag.parse(value);
    else if (name === "voters") s.voters = ZScopeVoters.parse(value);
    else if (name === "flagged") s.flagged = ZScopeFlagged.parse(value);
    else if (name === "style" && value === "control") s.style = true;
    else throw new Error(`unknown scope part "${part}" in "${key}"`);
  }
  return s;
}

/**
 * The scopes the worker keeps up to date: per track (all, text, image) the default, signed-in
 * only, with flagged votes, style-controlled, and one per category tag. Other combinations (e.g.
 * a tag with signed-in voters) would multiply the work for little use, so they are not offered.
 */
export function maintainedScopes(tags: readonly string[]): RatingScope[] {
  const out: RatingScope[] = [];
  for (const track of ZScopeTrack.options) {
    const base = { ...DEFAULT_SCOPE, track };
    out.push(base, { ...base, voters: "signed-in" }, { ...base, flagged: "include" }, { ...base, style: true });
    for (const tag of tags) if (TAG_RE.test(tag)) out.push({ ...base, tag: tag.toLowerCase() });
  }
  return out;
}

/** Whether a scope is one the worker maintains (anything else would silently show nothing). */
export function isMaintained(s: RatingScope): boolean {
  const extras = [s.tag !== null, s.voters !== "all", s.flagged !== "exclude", s.style].filter(Boolean).length;
  return extras <= 1;
}

/** Human description for headings and empty states. */
export function describeScope(s: RatingScope): string {
  const track = { all: "all tracks", text: "Text → 3D", image: "Image → 3D" }[s.track];
  const bits = [track];
  if (s.tag) bits.push(`categories tagged “${s.tag}”`);
  if (s.voters === "signed-in") bits.push("signed-in voters with a verified address only");
  if (s.flagged === "include") bits.push("including flagged votes");
  if (s.style) bits.push("style-controlled");
  return bits.join(", ");
}
