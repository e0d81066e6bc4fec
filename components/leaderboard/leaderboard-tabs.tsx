import Link from "next/link";
import type { RatingScope } from "@/lib/ratings/scope";
import { hrefFor, type LeaderboardView } from "./leaderboard-url";

const TABS: { track: RatingScope["track"]; label: string }[] = [
  { track: "all", label: "All" },
  { track: "text", label: "Text → 3D" },
  { track: "image", label: "Image → 3D" },
];

/** Track tabs; switching track keeps the other filters and the sort. */
export function LeaderboardTabs({ view }: { view: LeaderboardView }) {
  return (
    <nav aria-label="Leaderboard track" className="inline-flex rounded-lg border border-arena-border bg-arena-panel p-1">
      {TABS.map(({ track, label }) => {
        const active = track === view.scope.track;
        return (
          <Link
            prefetch={false}
            key={track}
            href={hrefFor(view, { track })}
            aria-current={active ? "page" : undefined}
            data-testid={`leaderboard-tab-${track}`}
            scroll={false}
            className={`rounded-md px-3.5 py-1.5 text-sm font-medium transition-colors ${
              active ? "bg-arena-accent text-arena-bg shadow-sm" : "text-arena-muted hover:text-arena-text"
            }`}
          >
            {label}
          </Link>
        );
      })}
    </nav>
  );
}
