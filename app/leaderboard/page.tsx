import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import type { LeaderboardResponse } from "@/lib/contracts";
import { ZLeaderboardQuery } from "@/lib/contracts";
import { logger } from "@/lib/log";
import { getLeaderboard } from "@/lib/services/leaderboard";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { LeaderboardTable } from "@/components/leaderboard/leaderboard-table";
import { type LeaderboardScope, LeaderboardTabs } from "@/components/leaderboard/leaderboard-tabs";
import { RelativeTime } from "@/components/leaderboard/relative-time";

export const metadata: Metadata = {
  title: "Leaderboard",
  description: "Bradley–Terry Elo ratings from public pairwise votes, with confidence intervals and automated metrics.",
};

const log = logger("leaderboard-page");
const REFRESH_MS = 5000;

export default async function LeaderboardPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { track } = await searchParams;
  const query = ZLeaderboardQuery.safeParse({ track });
  const scope: LeaderboardScope = query.success ? query.data.track : "all";

  let data: LeaderboardResponse | null = null;
  try {
    data = await getLeaderboard(scope);
  } catch (err) {
    unstable_rethrow(err);
    log.error(`getLeaderboard(${scope}) failed: ${err instanceof Error ? err.message : String(err)}`);
  }

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-5 px-4 py-6 sm:px-6 sm:py-8">
      <AutoRefreshHeader />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <LeaderboardTabs current={scope} />
        {data && (
          <p className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm text-arena-muted">
            <span>
              <span
                className="font-semibold text-arena-text tabular"
                data-testid="leaderboard-total-votes"
                data-votes={data.votes}
              >
                {data.votes.toLocaleString("en-US")}
              </span>{" "}
              {data.votes === 1 ? "vote" : "votes"}
            </span>
            <span data-testid="leaderboard-updated">
              Updated {data.computedAt ? <RelativeTime iso={data.computedAt} /> : "never"}
            </span>
          </p>
        )}
      </div>

      {data === null ? (
        <Notice testId="leaderboard-error" title="The leaderboard is unavailable right now">
          We could not read the ratings. This page retries on its own every {REFRESH_MS / 1000} seconds.
        </Notice>
      ) : data.entries.length === 0 ? (
        <Notice testId="leaderboard-empty" title="No ratings yet">
          Ratings appear a few seconds after the first votes on this track.{" "}
          <Link href="/" className="font-medium text-arena-accent hover:underline">
            Cast the first vote →
          </Link>
        </Notice>
      ) : (
        <LeaderboardTable entries={data.entries} />
      )}

      <Definitions />
    </div>
  );
}

function AutoRefreshHeader() {
  return (
    <header className="flex flex-wrap items-end justify-between gap-2">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Leaderboard</h1>
        <p className="mt-1 text-sm text-arena-muted">
          Bradley–Terry ratings from anonymous pairwise votes, next to automated metrics.
        </p>
      </div>
      <AutoRefresh intervalMs={REFRESH_MS} />
    </header>
  );
}

function Notice({ testId, title, children }: { testId: string; title: string; children: ReactNode }) {
  return (
    <div data-testid={testId} className="rounded-2xl border border-dashed border-arena-border bg-arena-panel/50 px-6 py-14 text-center">
      <p className="font-semibold">{title}</p>
      <p className="mt-1 text-sm text-arena-muted">{children}</p>
    </div>
  );
}

function Definitions() {
  return (
    <dl className="grid gap-x-8 gap-y-2 text-xs text-arena-muted sm:grid-cols-2 lg:grid-cols-3">
      <div>
        <dt className="inline font-semibold text-arena-text/80">Elo, 95% CI. </dt>
        <dd className="inline">Bradley–Terry fit over all valid votes; the interval is a bootstrap over votes. Rank is 1 + the number of models whose interval lies entirely above.</dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Win rate. </dt>
        <dd className="inline">Share of the model&apos;s battles it won; ties and both-bad count as half a win.</dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Exec rate, Chamfer. </dt>
        <dd className="inline">Share of generations whose code ran and produced a mesh; mean Chamfer distance to the reference shape over those (lower is better).</dd>
      </div>
    </dl>
  );
}
