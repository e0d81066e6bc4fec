"use client";

import { type ReactNode, useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { BattleResponse, Outcome } from "@/lib/contracts";
import { CameraLink, VIEW_PRESETS } from "@/components/viewer/camera-link";
import type { ViewerStatus } from "@/components/viewer/model-viewer";
import { type ReportReason, reportSide } from "./arena-api";
import { ModelSide, type SideResult } from "./model-side";
import { PromptPanel } from "./prompt-panel";
import { useBattleHotkeys } from "./use-battle-hotkeys";
import type { Upcoming } from "./use-battle";
import { useVote, type VoteSignals } from "./use-vote";
import { ViewToolbar, type ViewSettings } from "./view-toolbar";
import { VoteBar, type BattlePhase } from "./vote-bar";

export type { VoteState } from "./use-vote";

type Side = "a" | "b";

/** Long enough to read both names and Elos, short enough to keep a voting streak going. */
export const AUTO_ADVANCE_MS = 3500;

function sideResult(outcome: Outcome, side: Side): SideResult {
  if (outcome === "tie") return "tie";
  if (outcome === "both_bad") return "both_bad";
  return outcome === side ? "winner" : "loser";
}

interface Props {
  battle: BattleResponse;
  /** The next battle is on its way; this one stays on screen, closed for voting. */
  switching: boolean;
  onNext: () => void;
  /** Both models are on screen: a good moment to fetch the next battle in the background. */
  onPrefetch: () => void;
  /** The next battle's models, fetched ahead: each viewer readies its renderer for its own. */
  upcoming: Upcoming | null;
  tabs: ReactNode;
  settings: ViewSettings;
  onSettingsChange: (patch: Partial<ViewSettings>) => void;
  autoAdvance: boolean;
  onAutoAdvanceChange: (on: boolean) => void;
}

/**
 * One battle, from loading its two models to the reveal. Not remounted per battle: the viewers
 * (and their WebGL contexts) stay and swap models, and the per-battle state below starts afresh
 * whenever the battle id changes.
 */
export function BattleView(props: Props) {
  const { battle, switching, onNext, onPrefetch, upcoming, tabs, settings, onSettingsChange, autoAdvance, onAutoAdvanceChange } = props;
  const [sides, setSides] = useState<Record<Side, ViewerStatus>>({ a: "loading", b: "loading" });
  const [link] = useState(() => new CameraLink());
  // The preset the cameras sit at (null once orbited away); V steps on from the last one chosen.
  const [activeView, setActiveView] = useState<number | null>(0);
  const lastView = useRef(0);
  // Quality signals: did the voter look around, and since when were both models on screen.
  const interacted = useRef(false);
  const shownAt = useRef<number | null>(null);

  // A new battle: reset during render, so no frame shows the old battle's state with the new id.
  const [battleId, setBattleId] = useState(battle.id);
  if (battleId !== battle.id) {
    setBattleId(battle.id);
    setSides({ a: "loading", b: "loading" });
    setActiveView(0);
  }
  const firstBattle = useRef(true);
  useLayoutEffect(() => {
    lastView.current = 0;
    interacted.current = false;
    shownAt.current = null;
    // Both cameras back to the first benchmark view (the first battle's viewers start there).
    if (firstBattle.current) firstBattle.current = false;
    else link.goToView(VIEW_PRESETS[0]!.direction);
  }, [battle.id, link]);

  useEffect(() => link.setSynced(settings.synced), [link, settings.synced]);

  const bothLoaded = sides.a === "loaded" && sides.b === "loaded";
  const anyFailed = sides.a === "error" || sides.b === "error";
  useEffect(() => {
    if (!bothLoaded || switching) return;
    if (shownAt.current === null) shownAt.current = performance.now();
    onPrefetch();
  }, [bothLoaded, switching, onPrefetch]);

  const readSignals = useCallback(
    (): VoteSignals => ({
      decisionMs: shownAt.current === null ? undefined : Math.max(0, Math.round(performance.now() - shownAt.current)),
      bothLoaded,
      interacted: interacted.current,
    }),
    [bothLoaded],
  );
  const { vote, submit } = useVote(battle, readSignals);

  const canVote = !switching && bothLoaded && (vote.kind === "idle" || (vote.kind === "failed" && vote.retryable));
  const canNext = !switching && (vote.kind === "voted" || (vote.kind === "failed" && !vote.retryable));
  const canSkip = !switching && vote.kind !== "submitting" && vote.kind !== "voted";
  const phase: BattlePhase = switching
    ? "switching"
    : vote.kind === "voted"
      ? "voted"
      : vote.kind === "submitting"
        ? "submitting"
        : vote.kind === "limited"
          ? "rate-limited"
          : vote.kind === "failed"
            ? "vote-error"
            : anyFailed
              ? "model-error"
              : bothLoaded
                ? "ready"
                : "models-loading";

  const voteFor = useCallback((outcome: Outcome) => canVote && submit(outcome), [canVote, submit]);
  const next = useCallback(() => canNext && onNext(), [canNext, onNext]);
  const skip = useCallback(() => canSkip && onNext(), [canSkip, onNext]);

  // Auto-advance counts down from the reveal (or from switching it on while the reveal shows).
  const [advanceAt, setAdvanceAt] = useState<number | null>(null);
  useEffect(() => {
    if (vote.kind !== "voted" || !autoAdvance) return;
    setAdvanceAt(Date.now() + AUTO_ADVANCE_MS);
    const timer = setTimeout(onNext, AUTO_ADVANCE_MS);
    return () => {
      clearTimeout(timer);
      setAdvanceAt(null);
    };
  }, [vote.kind, autoAdvance, onNext]);

  const markInteracted = useCallback(() => {
    interacted.current = true;
  }, []);
  const onOrbit = useCallback(() => {
    markInteracted();
    setActiveView(null);
  }, [markInteracted]);
  const selectView = useCallback(
    (index: number) => {
      link.goToView(VIEW_PRESETS[index]!.direction);
      lastView.current = index;
      setActiveView(index);
      markInteracted();
    },
    [link, markInteracted],
  );
  const cycleView = useCallback(() => selectView((lastView.current + 1) % VIEW_PRESETS.length), [selectView]);
  const changeSettings = useCallback(
    (patch: Partial<ViewSettings>) => {
      onSettingsChange(patch);
      markInteracted();
      if (patch.turntable) setActiveView(null);
    },
    [onSettingsChange, markInteracted],
  );

  useBattleHotkeys({ onVote: voteFor, onSkip: canNext ? next : skip, onNext: next, onCycleView: cycleView, canVote, canNext });

  const onStatusA = useCallback((s: ViewerStatus) => setSides((prev) => ({ ...prev, a: s })), []);
  const onStatusB = useCallback((s: ViewerStatus) => setSides((prev) => ({ ...prev, b: s })), []);
  const report = useCallback(
    (side: Side) => async (reason: ReportReason, note: string | undefined) => {
      await reportSide(battle.id, { token: battle.token, side, reason, note });
    },
    [battle.id, battle.token],
  );
  const reveal = vote.kind === "voted" ? vote.reveal : null;

  return (
    // Tablets: one column (tabs, prompt, view controls, viewers, vote bar). Phones: the two viewers
    // side by side right after the prompt and the view controls below them, so both models are on
    // the first screen. Wide screens: the view controls move up beside the tabs.
    <div
      className="flex flex-1 flex-col gap-3 xl:grid xl:grid-cols-[auto_minmax(0,1fr)] xl:grid-rows-[auto_auto_minmax(320px,1fr)_auto]"
      data-testid="battle"
      data-battle-id={battle.id}
      data-phase={phase}
    >
      <div className="flex min-h-10 items-center xl:col-start-1 xl:row-start-1">{tabs}</div>
      <div className="xl:col-span-2 xl:row-start-2">
        <PromptPanel battle={battle} />
      </div>
      <div className="max-md:order-1 xl:col-start-2 xl:row-start-1 xl:flex xl:items-center xl:justify-end">
        <ViewToolbar
          settings={settings}
          onSettingsChange={changeSettings}
          activeView={activeView}
          onSelectView={selectView}
          onReset={() => selectView(0)}
        />
      </div>
      {/* Side by side at every width: on a phone both models share the first screen, at reduced height. */}
      <div className="grid grid-cols-2 gap-2 md:min-h-[320px] md:flex-1 md:gap-4 xl:col-span-2 xl:row-start-3">
        {(["a", "b"] as const).map((side) => (
          <ModelSide
            key={side}
            side={side}
            data={battle[side]}
            warmUrl={upcoming ? upcoming[side] : null}
            link={link}
            shading={settings.shading}
            turntable={settings.turntable}
            onStatusChange={side === "a" ? onStatusA : onStatusB}
            onInteract={onOrbit}
            onReport={report(side)}
            battleId={battle.id}
            reveal={reveal ? reveal[side] : null}
            result={vote.kind === "voted" ? sideResult(vote.outcome, side) : null}
          />
        ))}
      </div>
      <VoteBar
        className="max-md:order-2 xl:col-span-2 xl:row-start-4"
        phase={phase}
        vote={vote}
        canVote={canVote}
        onVote={voteFor}
        canNext={canNext}
        onNext={next}
        canSkip={canSkip}
        onSkip={skip}
        autoAdvance={autoAdvance}
        onAutoAdvanceChange={onAutoAdvanceChange}
        advanceAt={advanceAt}
      />
    </div>
  );
}
