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
  /**
   * Registry metric columns shown (`<metric>/<key>` ids, issue 16); undefined = every available
   * one. Kept in the URL (`cols=a,b`, `cols=-` for none) so a chosen view can be shared.
   */
  cols?: string[];
}

const NO_COLUMNS = "-";

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
      ...(typeof flat.cols === "string" ? { cols: parseCols(flat.cols) } : {}),
    },
    invalid,
  };
}

/** Column ids are not validated here: unknown ones (a metric since removed) are simply not shown. */
function parseCols(raw: string): string[] {
  if (raw === NO_COLUMNS || raw === "") return [];
  return [...new Set(raw.split(",").map((c) => c.trim()).filter((c) => c !== "" && c.length <= 120))].slice(0, 64);
}

export function hrefFor(
  view: LeaderboardView,
  patch: Partial<RatingScope> & { sort?: SortKey; dir?: "asc" | "desc"; cols?: string[] },
  base = "/leaderboard",
): string {
  const { sort = view.sort, dir, cols = view.cols, ...scopePatch } = patch;
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
  // Only the page reads the column choice (the version and API routes refuse unknown keys).
  if (cols !== undefined && base === "/leaderboard") q.set("cols", cols.length ? cols.join(",") : NO_COLUMNS);
  const qs = q.toString();
  return qs ? `${base}?${qs}` : base;
}
