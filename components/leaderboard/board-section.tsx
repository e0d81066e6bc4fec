import type { LeaderboardBoard, LeaderboardEntry, LeaderboardMetric } from "@/lib/contracts";
import { LeaderboardTable } from "./leaderboard-table";
import type { LeaderboardView } from "./leaderboard-url";

const METHOD: Record<LeaderboardBoard["intervalMethod"], string> = {
  bootstrap: "bootstrap intervals",
  sandwich: "sandwich intervals",
};

/** One board: the main one first; a group's heading says it cannot be compared with the main board yet. */
export function BoardSection({
  board,
  entries,
  view,
  provisionalVotes,
  mainName,
  metrics = [],
}: {
  board: LeaderboardBoard;
  entries: LeaderboardEntry[];
  view: LeaderboardView;
  provisionalVotes: number;
  /** Shown in a group's note. */
  mainName: string;
  metrics?: LeaderboardMetric[];
}) {
  const facts = [
    `${board.models} model${board.models === 1 ? "" : "s"}`,
    `${board.votes.toLocaleString("en-US")} vote${board.votes === 1 ? "" : "s"} among them`,
    METHOD[board.intervalMethod],
    board.anchor ? `anchored: ${board.anchor.model} at ${Math.round(board.anchor.elo)}` : "mean 1000",
  ];
  return (
    <section className="flex flex-col gap-2" data-testid="leaderboard-board" data-board={board.index} aria-label={board.label}>
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1">
        <h2 className="text-lg font-semibold tracking-tight">{board.label}</h2>
        <p className="text-xs text-arena-muted">{facts.join(" · ")}</p>
      </div>
      {!board.comparable && (
        <p className="text-sm text-arena-warn" data-testid="board-not-comparable">
          No vote links these models to the {mainName.toLowerCase()} yet, so they are rated on a scale of their own: their Elo and
          ranks cannot be compared with the {mainName.toLowerCase()}&apos;s.
        </p>
      )}
      {board.styleControlled === false && board.index > 0 && (
        <p className="text-sm text-arena-muted">Style control covers the main board only: these are the plain ratings.</p>
      )}
      <LeaderboardTable entries={entries} view={view} provisionalVotes={provisionalVotes} board={board.index} metrics={metrics} />
    </section>
  );
}
