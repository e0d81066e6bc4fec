"use client";

import { type ReactNode, useCallback, useState } from "react";
import type { BattleResponse, Track } from "@/lib/contracts";
import { BattleView } from "./battle-view";
import { HowItWorks } from "./how-it-works";
import { TrackTabs } from "./track-tabs";
import { useStoredFlag } from "./use-stored-flag";
import type { ViewSettings } from "./view-toolbar";
import { useCountdown } from "./use-countdown";
import { type BattleLoad, NO_BATTLES_RETRY_MS, useBattle } from "./use-battle";

/** The voting page: pick a track, get a battle, vote, reveal, repeat. */
export function Arena({ initialTrack }: { initialTrack: Track }) {
  const [track, setTrack] = useState<Track>(initialTrack);
  const { state, next, prefetch, upcoming } = useBattle(track);
  // The battle on screen. While the next one loads (when it was not prefetched in time) the last
  // one stays, with voting closed, so the two viewers and their WebGL contexts live on.
  const [shown, setShown] = useState<BattleResponse | null>(null);
  if (state.kind === "ready" && state.battle !== shown) setShown(state.battle);
  const battle = state.kind === "ready" ? state.battle : state.kind === "loading" && shown?.track === track ? shown : null;
  // View settings carry over from battle to battle; only the camera starts afresh.
  const [settings, setSettings] = useState<ViewSettings>({ shading: "materials", synced: true, turntable: false });
  const changeSettings = useCallback((patch: Partial<ViewSettings>) => setSettings((s) => ({ ...s, ...patch })), []);
  const [autoAdvance, setAutoAdvance] = useStoredFlag("arena:auto-advance");

  const changeTrack = useCallback((t: Track) => {
    setTrack(t);
    const url = new URL(window.location.href);
    url.searchParams.set("track", t);
    // Keep the track shareable in the URL without a server round trip (Next syncs its router state).
    window.history.replaceState(null, "", url);
  }, []);

  const tabs = <TrackTabs track={track} onChange={changeTrack} />;

  return (
    // On wider screens the arena fills the viewport below the header, so the viewers take whatever
    // height the prompt leaves and the vote bar never covers them.
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-3 px-4 pt-3 pb-4 sm:px-6 sm:pt-4 md:min-h-[calc(100dvh-3.5rem)]">
      <HowItWorks />
      {battle ? (
        <BattleView
          battle={battle}
          switching={state.kind !== "ready"}
          onNext={next}
          onPrefetch={prefetch}
          upcoming={upcoming}
          tabs={tabs}
          settings={settings}
          onSettingsChange={changeSettings}
          autoAdvance={autoAdvance}
          onAutoAdvanceChange={setAutoAdvance}
        />
      ) : (
        state.kind !== "ready" && (
          <>
            <div className="flex min-h-10 items-center">{tabs}</div>
            <BattlePlaceholder state={state} onRetry={next} />
          </>
        )
      )}
    </div>
  );
}

function BattlePlaceholder({ state, onRetry }: { state: Exclude<BattleLoad, { kind: "ready" }>; onRetry: () => void }) {
  if (state.kind === "waiting") return <WaitingState message={state.message} retryAt={state.retryAt} />;
  if (state.kind === "limited") return <LimitedState message={state.message} retryAt={state.retryAt} />;
  if (state.kind === "loading") return <StatusCard state="loading" title="Finding a battle…" spinner />;
  return (
    <StatusCard state="error" title="Could not load a battle" detail={state.message}>
      <button
        type="button"
        onClick={onRetry}
        data-testid="retry-battle"
        className="mt-2 rounded-lg bg-arena-accent px-4 py-2 text-sm font-semibold text-arena-bg hover:brightness-110"
      >
        Try again
      </button>
    </StatusCard>
  );
}

function WaitingState({ message, retryAt }: { message: string; retryAt: number }) {
  const seconds = useCountdown(retryAt);
  return (
    <StatusCard
      state="waiting"
      title="Models are still being built"
      detail={
        <>
          There are not yet two finished models to compare on this track. We will check again{" "}
          {seconds > 0 ? (
            <span className="tabular">in {seconds} s</span>
          ) : (
            "now"
          )}
          .
        </>
      }
      spinner
    >
      <p className="text-xs text-arena-muted/80" title={message}>
        Retrying every {NO_BATTLES_RETRY_MS / 1000} seconds.
      </p>
    </StatusCard>
  );
}

/** 429 on POST /api/battles: say so kindly and count down to the automatic retry. */
function LimitedState({ message, retryAt }: { message: string; retryAt: number }) {
  const seconds = useCountdown(retryAt);
  return (
    <StatusCard
      state="rate-limited"
      title="Taking a short breather"
      detail={
        <>
          You are going faster than the arena allows. We will load the next battle{" "}
          {seconds > 0 ? <span className="tabular" data-testid="rate-limit-countdown">in {seconds} s</span> : "now"}.
        </>
      }
      spinner
    >
      {/* The server's message names its own wait ("Please wait 2 s"); the countdown above is the one to read. */}
      <p className="text-xs text-arena-muted/80" data-server-message={message}>
        Battles are limited per minute so that every vote stays a considered one.
      </p>
    </StatusCard>
  );
}

function StatusCard({
  state,
  title,
  detail,
  spinner,
  children,
}: {
  state: string;
  title: string;
  detail?: ReactNode;
  spinner?: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="flex min-h-[50vh] flex-1 items-center justify-center rounded-2xl border border-arena-border bg-arena-panel/60 px-6 py-16">
      <div
        data-testid="arena-status"
        data-state={state}
        role={state === "error" ? "alert" : "status"}
        className="flex max-w-md flex-col items-center gap-3 text-center"
      >
        {spinner ? (
          <span className="h-8 w-8 animate-spin rounded-full border-2 border-arena-accent/25 border-t-arena-accent" aria-hidden="true" />
        ) : (
          <span className="flex h-9 w-9 items-center justify-center rounded-full bg-arena-danger/15 text-lg text-arena-danger" aria-hidden="true">
            !
          </span>
        )}
        <h2 className="text-lg font-semibold">{title}</h2>
        {detail && <p className="text-sm text-arena-muted">{detail}</p>}
        {children}
      </div>
    </div>
  );
}
