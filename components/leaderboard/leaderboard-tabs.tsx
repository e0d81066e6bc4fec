import Link from "next/link";

export type LeaderboardScope = "all" | "text" | "image";

const TABS: { scope: LeaderboardScope; label: string }[] = [
  { scope: "all", label: "All" },
  { scope: "text", label: "Text → 3D" },
  { scope: "image", label: "Image → 3D" },
];

export function LeaderboardTabs({ current }: { current: LeaderboardScope }) {
  return (
    <nav aria-label="Leaderboard track" className="inline-flex rounded-lg border border-arena-border bg-arena-panel p-1">
      {TABS.map(({ scope, label }) => {
        const active = scope === current;
        return (
          <Link
            key={scope}
            href={scope === "all" ? "/leaderboard" : `/leaderboard?track=${scope}`}
            aria-current={active ? "page" : undefined}
            data-testid={`leaderboard-tab-${scope}`}
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
