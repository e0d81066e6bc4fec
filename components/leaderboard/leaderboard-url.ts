/**
 * The leaderboard page's state lives in its URL (shareable, works without JavaScript):
 * the rating scope plus the table's sort. `hrefFor` builds links that change one thing.
 */
import { DEFAULT_SCOPE, ZScopeQuery, scopeFromQuery, type RatingScope } from "@/lib/ratings/scope";
import { z } from "zod";

export const SORT_KEYS = ["elo", "votes", "winRate", "execRate", "chamfer", "cost"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Natural direction per column: higher is better, except Chamfer and cost. */
export const NATURAL_DIR: Record<SortKey, "asc" | "desc"> = {
  elo: "desc",
  votes: "desc",
  winRate: "desc",
  execRate: "desc",
  chamfer: "asc",
  cost: "asc",
};

export interface LeaderboardView {
  scope: RatingScope;
  sort: SortKey;
  dir: "asc" | "desc";
}

const ZSort = z.enum(SORT_KEYS);
const ZDir = z.enum(["asc", "desc"]);

/**
 * Unknown or invalid values fall back to defaults, so a bad link still shows a leaderboard, and
 * `invalid` names each parameter that was ignored, so the page can say so instead of silently
 * showing something else than what was asked for.
 */
export function parseView(params: Record<string, string | string[] | undefined>): { view: LeaderboardView; invalid: string[] } {
  const flat = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
  const scope = ZScopeQuery.safeParse(flat);
  const sort = ZSort.safeParse(flat.sort ?? "elo");
  const dir = flat.dir === undefined ? null : ZDir.safeParse(flat.dir);
  const invalid = [
    ...(scope.success ? [] : [...new Set(scope.error.issues.map((i) => String(i.path[0] ?? "filter")))]),
    ...(sort.success ? [] : ["sort"]),
    ...(dir && !dir.success ? ["dir"] : []),
  ];
  const sortKey = sort.success ? sort.data : "elo";
  return {
    view: {
      scope: scope.success ? scopeFromQuery(scope.data) : DEFAULT_SCOPE,
      sort: sortKey,
      dir: dir?.success ? dir.data : NATURAL_DIR[sortKey],
    },
    invalid,
  };
}

export function hrefFor(view: LeaderboardView, patch: Partial<RatingScope> & { sort?: SortKey; dir?: "asc" | "desc" }, base = "/leaderboard"): string {
  const { sort = view.sort, dir, ...scopePatch } = patch;
  const s = { ...view.scope, ...scopePatch };
  const q = new URLSearchParams();
  if (s.track !== "all") q.set("track", s.track);
  if (s.tag) q.set("tag", s.tag);
  if (s.voters !== "all") q.set("voters", s.voters);
  if (s.flagged !== "exclude") q.set("flagged", s.flagged);
  if (s.style) q.set("style", "on");
  if (sort !== "elo") q.set("sort", sort);
  const d = dir ?? (patch.sort ? NATURAL_DIR[sort] : view.dir);
  if (d !== NATURAL_DIR[sort]) q.set("dir", d);
  const qs = q.toString();
  return qs ? `${base}?${qs}` : base;
}
