"use client";

import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import type { BattleResponse, Outcome, VoteResponse } from "@/lib/contracts";
import { CameraLink } from "@/components/viewer/camera-link";
import type { ViewerStatus } from "@/components/viewer/model-viewer";
import { ArenaApiError, castVote, isRetryableVoteError } from "./arena-api";
import { ModelSide, type SideResult } from "./model-side";
import { PromptPanel } from "./prompt-panel";
import { useHotkeys } from "./use-hotkeys";
import { ViewToolbar } from "./view-toolbar";
import { VoteBar, type BattlePhase } from "./vote-bar";

type Side = "a" | "b";

export type VoteState =
  | { kind: "idle" }
  | { kind: "submitting"; outcome: Outcome }
  | { kind: "voted"; outcome: Outcome; reveal: VoteResponse["reveal"] }
  | { kind: "failed"; outcome: Outcome; error: ArenaApiError; retryable: boolean };

const OUTCOME_KEYS: Record<string, Outcome> = { a: "a", b: "b", t: "tie", x: "both_bad" };

function sideResult(outcome: Outcome, side: Side): SideResult {
  if (outcome === "tie") return "tie";
  if (outcome === "both_bad") return "both_bad";
  return outcome === side ? "winner" : "loser";
}

/** One battle, from loading its two models to the reveal. Remounted (keyed by id) for each battle. */
export function BattleView({ battle, onNext, tabs }: { battle: BattleResponse; onNext: () => void; tabs: ReactNode }) {
  const [sides, setSides] = useState<Record<Side, ViewerStatus>>({ a: "loading", b: "loading" });
  const [vote, setVote] = useState<VoteState>({ kind: "idle" });
  const [link] = useState(() => new CameraLink());
  const [synced, setSynced] = useState(true);
  // decisionMs counts from the moment both models are on screen, not from the API call.
  const shownAt = useRef<number | null>(null);

  useEffect(() => {
    link.synced = synced;
  }, [link, synced]);

  const bothLoaded = sides.a === "loaded" && sides.b === "loaded";
  const anyFailed = sides.a === "error" || sides.b === "error";
  useEffect(() => {
    if (bothLoaded && shownAt.current === null) shownAt.current = performance.now();
  }, [bothLoaded]);

  const canVote = bothLoaded && (vote.kind === "idle" || (vote.kind === "failed" && vote.retryable));
  const canNext =
    vote.kind === "voted" || (vote.kind === "failed" && !vote.retryable) || (anyFailed && vote.kind !== "submitting");

  const phase: BattlePhase =
    vote.kind === "voted"
      ? "voted"
      : vote.kind === "submitting"
        ? "submitting"
        : vote.kind === "failed"
          ? "vote-error"
          : anyFailed
            ? "model-error"
            : bothLoaded
              ? "ready"
              : "models-loading";

  const submit = useCallback(
    async (outcome: Outcome) => {
      if (!canVote) return;
      setVote({ kind: "submitting", outcome });
      const decisionMs = shownAt.current === null ? undefined : Math.max(0, Math.round(performance.now() - shownAt.current));
      try {
        const res = await castVote(battle.id, { token: battle.token, outcome, decisionMs });
        setVote({ kind: "voted", outcome, reveal: res.reveal });
      } catch (err) {
        const error = err instanceof ArenaApiError ? err : new ArenaApiError(0, "unknown", "The vote could not be sent.");
        setVote({ kind: "failed", outcome, error, retryable: isRetryableVoteError(error) });
      }
    },
    [battle.id, battle.token, canVote],
  );

  const next = useCallback(() => {
    if (canNext) onNext();
  }, [canNext, onNext]);

  useHotkeys((key, event) => {
    const outcome = OUTCOME_KEYS[key];
    if (outcome) {
      if (!canVote) return false;
      void submit(outcome);
      return true;
    }
    if (key === "n" || key === "enter") {
      // A focused button handles Enter itself; don't fire twice.
      if (key === "enter" && event.target instanceof HTMLElement && event.target.closest("button, a")) return false;
      if (!canNext) return false;
      next();
      return true;
    }
    return false;
  });

  const onStatusA = useCallback((s: ViewerStatus) => setSides((prev) => ({ ...prev, a: s })), []);
  const onStatusB = useCallback((s: ViewerStatus) => setSides((prev) => ({ ...prev, b: s })), []);
  const reveal = vote.kind === "voted" ? vote.reveal : null;

  return (
    <div className="flex flex-1 flex-col gap-3" data-testid="battle" data-battle-id={battle.id}>
      <div className="flex flex-wrap items-center justify-between gap-x-4 gap-y-2">
        {tabs}
        <ViewToolbar link={link} synced={synced} onSyncedChange={setSynced} />
      </div>
      <PromptPanel battle={battle} />
      <div className="grid gap-3 md:min-h-[320px] md:flex-1 md:grid-cols-2 md:gap-4">
        {(["a", "b"] as const).map((side) => (
          <ModelSide
            key={side}
            side={side}
            data={battle[side]}
            link={link}
            onStatusChange={side === "a" ? onStatusA : onStatusB}
            reveal={reveal ? reveal[side] : null}
            result={vote.kind === "voted" ? sideResult(vote.outcome, side) : null}
          />
        ))}
      </div>
      <VoteBar phase={phase} vote={vote} canVote={canVote} canNext={canNext} onVote={submit} onNext={next} />
    </div>
  );
}
