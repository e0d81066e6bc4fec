import type { Metadata } from "next";
import type { ReactNode } from "react";
import Link from "next/link";
import { unstable_rethrow } from "next/navigation";
import type { LeaderboardResponse } from "@/lib/contracts";
import { logger } from "@/lib/log";
import { describeScope, isMaintained, scopeKey } from "@/lib/ratings/scope";
import { getLeaderboard } from "@/lib/leaderboard/leaderboard";
import { headToHead, ratingHistory, type HeadToHead, type HistorySeries } from "@/lib/leaderboard/insights";
import { AutoRefresh } from "@/components/leaderboard/auto-refresh";
import { LeaderboardCharts } from "@/components/leaderboard/leaderboard-charts";
import { BoardSection } from "@/components/leaderboard/board-section";
import { UnratedList } from "@/components/leaderboard/unrated-list";
import { LeaderboardTabs } from "@/components/leaderboard/leaderboard-tabs";
import { hrefFor, parseView } from "@/components/leaderboard/leaderboard-url";
import { leaderboardJson } from "@/lib/leaderboard/cache";
import { RelativeTime } from "@/components/leaderboard/relative-time";
import { ScopeFilters } from "@/components/leaderboard/scope-filters";
import { MetricPicker } from "@/components/leaderboard/metric-picker";

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
  const params = await searchParams;
  const { view, invalid } = parseView(params);
  const unavailable = !isMaintained(view.scope);

  let data: LeaderboardResponse | null = null;
  let history: HistorySeries[] = [];
  let h2h: HeadToHead | null = null;
  // What this render shows, as the version endpoint names it: the tab re-renders only when it moves.
  let version: string | null = null;
  if (!unavailable) {
    try {
      [data, history, h2h, version] = await Promise.all([
        getLeaderboard(view.scope),
        ratingHistory(view.scope),
        headToHead(view.scope),
        leaderboardJson(view.scope).then((r) => r.etag),
      ]);
    } catch (err) {
      unstable_rethrow(err);
      log.error(`getLeaderboard(${scopeKey(view.scope)}) failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  return (
    <div className="mx-auto flex max-w-7xl flex-col gap-5 px-4 py-6 sm:px-6 sm:py-8">
      <AutoRefreshHeader versionUrl={unavailable ? undefined : hrefFor(view, {}, "/api/leaderboard/version")} version={version} />
      <div className="flex flex-wrap items-center justify-between gap-3">
        <LeaderboardTabs view={view} />
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

      <ScopeFilters view={view} tags={data?.tags ?? []} />
      {invalid.length > 0 && (
        <p role="status" data-testid="leaderboard-invalid-filter" className="rounded-xl border border-arena-warn/40 bg-arena-warn/10 px-4 py-3 text-sm">
          <span className="font-semibold">This link asked for something the leaderboard does not have</span> (
          {invalid.map((key, i) => (
            <span key={key}>
              {i > 0 && ", "}
              <code className="text-arena-warn">
                {key}={String(rawParam(params, key) ?? "")}
              </code>
            </span>
          ))}
          ), so {invalid.some((k) => k !== "sort" && k !== "dir") ? "it shows every valid vote, on both tracks" : "it keeps the usual order"}.
          Pick what you want with the tabs and filters below.
        </p>
      )}
      {unavailable ? (
        <Notice testId="leaderboard-unavailable-scope" title="This combination of filters has no ratings">
          Pick one variant at a time: a category group, signed-in voters, flagged votes or style control.
        </Notice>
      ) : data === null ? (
        <Notice testId="leaderboard-error" title="The leaderboard is unavailable right now">
          We could not read the ratings. This page retries on its own every {REFRESH_MS / 1000} seconds.
        </Notice>
      ) : data.entries.length === 0 && data.unrated.length === 0 ? (
        <Notice testId="leaderboard-empty" title="No ratings yet">
          No votes yet for {describeScope(view.scope)}. Ratings appear a few seconds after the first vote.{" "}
          <Link prefetch={false} href="/" className="font-medium text-arena-accent hover:underline">
            Cast the first vote →
          </Link>
        </Notice>
      ) : (
        <>
          {data.styleControlled === false && (
            <p role="status" data-testid="style-not-estimable" className="rounded-xl border border-arena-warn/40 bg-arena-warn/10 px-4 py-3 text-sm">
              <span className="font-semibold">Style control: not estimable yet.</span> No presentation feature varies enough within
              matchups to separate its effect from model strength, so these are the plain ratings.
            </p>
          )}
          {data.entries.length === 0 && (
            <Notice testId="leaderboard-not-enough" title="Not enough data to rank yet">
              {data.notEnoughData}
            </Notice>
          )}
          <MetricPicker metrics={data.metrics} view={view} />
          {data.boards.map((b) => (
            <BoardSection
              key={b.index}
              board={b}
              entries={data!.entries.filter((e) => e.board === b.index)}
              view={view}
              provisionalVotes={data!.provisionalVotes}
              mainName={data!.boards[0]!.label}
              metrics={data!.metrics}
            />
          ))}
          {data.unrated.length > 0 && <UnratedList unrated={data.unrated} minBoardVotes={data.minBoardVotes} />}
          {data.entries.length > 0 && (
            <LeaderboardCharts data={{ ...data, entries: data.entries.filter((e) => e.board === 0) }} history={history} h2h={h2h} />
          )}
        </>
      )}

      <p className="text-sm text-arena-muted" data-testid="vote-export-links">
        Every number here can be recomputed from the public votes:{" "}
        <a href="/api/votes/export?format=jsonl" className="font-medium text-arena-accent hover:underline" download>
          download JSONL
        </a>{" "}
        ·{" "}
        <a href="/api/votes/export?format=csv" className="font-medium text-arena-accent hover:underline" download>
          CSV
        </a>{" "}
        (anonymised, a/b/tie/both_bad).
      </p>
      <Definitions />
    </div>
  );
}

/** A query value as it came, shortened: it is shown back to the reader. */
function rawParam(params: Record<string, string | string[] | undefined>, key: string): string | undefined {
  const v = params[key];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined ? undefined : s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function AutoRefreshHeader({ versionUrl, version }: { versionUrl?: string; version: string | null }) {
  return (
    <header className="flex flex-wrap items-end justify-between gap-2">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Leaderboard</h1>
        <p className="mt-1 text-sm text-arena-muted">
          Bradley–Terry ratings from anonymous pairwise votes, next to automated metrics.
        </p>
      </div>
      <AutoRefresh intervalMs={REFRESH_MS} versionUrl={versionUrl} version={version} />
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
        <dd className="inline">
          Bradley–Terry maximum likelihood over the votes among a board&apos;s models (ties and both-bad are half a win each), 400
          points per factor 10 in odds, mean 1000 on each board. Intervals: 2.5–97.5 percentile of 1,000 bootstrap fits on boards
          of up to 30 models, else the sandwich (robust) covariance. Rank is 1 + the number of models on the board whose interval
          lies entirely above.
        </dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Boards. </dt>
        <dd className="inline">
          Models are rated together only when the votes link them both ways (each has beaten, directly or through others, every
          other). Groups not yet linked to the main board get boards of their own; models with only wins, only losses or too few
          votes are listed under “Needs more votes”, never ranked.
        </dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Order. </dt>
        <dd className="inline">
          How sure the order against the next model down the board is, and (hover) about how many more votes at the current pairing
          would take it to 95%; “≈” is a near tie that more votes will not settle.
        </dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Provisional. </dt>
        <dd className="inline">Fewer than 30 votes: the rating can still move a lot.</dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Style control. </dt>
        <dd className="inline">
          A second fit that adds the difference in log face count, log part count and materials between the two outputs as
          covariates, so the rating measures what remains once those presentation effects are removed.
        </dd>
      </div>
      <div>
        <dt className="inline font-semibold text-arena-text/80">Cost / query. </dt>
        <dd className="inline">Mean USD per generation over every model call it took (docs/benchmark.md §6 prices).</dd>
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
