"use client";

import type { Outcome } from "@/lib/contracts";
import { Kbd } from "@/components/ui/kbd";
import { HotkeyLegend } from "./hotkey-legend";
import { Switch } from "./switch";
import { Arrow, NextButton, SkipButton } from "./vote-actions";
import { type BattlePhase, VoteStatus } from "./vote-status";
import type { VoteState } from "./use-vote";

export type { BattlePhase } from "./vote-status";

interface VoteOption {
  outcome: Outcome;
  label: string;
  hotkey: string;
  /** Phone: A and B on the first row, Tie and Both bad below. Wider: A · Tie · Both bad · B. */
  order: string;
}

const OPTIONS: VoteOption[] = [
  { outcome: "a", label: "A is better", hotkey: "A", order: "order-1" },
  { outcome: "tie", label: "Tie", hotkey: "T", order: "order-3 sm:order-2" },
  { outcome: "both_bad", label: "Both bad", hotkey: "X", order: "order-4 sm:order-3" },
  { outcome: "b", label: "B is better", hotkey: "B", order: "order-2 sm:order-4" },
];

interface Props {
  phase: BattlePhase;
  vote: VoteState;
  canVote: boolean;
  onVote: (outcome: Outcome) => void;
  /** After the vote (or a vote that can never land): Next. Before it: Skip. */
  canNext: boolean;
  onNext: () => void;
  canSkip: boolean;
  onSkip: () => void;
  autoAdvance: boolean;
  onAutoAdvanceChange: (on: boolean) => void;
  /** When auto-advance will load the next battle (epoch ms), while it is counting down. */
  advanceAt: number | null;
  /** Placement in the page's layout. */
  className?: string;
}

export function VoteBar(props: Props) {
  const { phase, vote, canVote, onVote, canNext, onNext, canSkip, onSkip, autoAdvance, onAutoAdvanceChange, advanceAt, className = "" } = props;
  const chosen = vote.kind === "idle" ? null : vote.outcome;
  return (
    <div
      data-testid="vote-bar"
      className={`sticky bottom-0 z-20 -mx-4 border-t border-arena-border bg-arena-bg/90 px-4 pt-2.5 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur-md sm:bottom-3 sm:mx-0 sm:rounded-2xl sm:border sm:bg-arena-panel/90 sm:px-4 sm:py-3 sm:shadow-xl sm:shadow-black/30 ${className}`}
    >
      {/* Phone: status and Skip/Next on one row, the four buttons below. Desktop: one row, status · buttons · Skip/Next. */}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2.5 lg:flex-nowrap lg:gap-x-4">
        <VoteStatus phase={phase} vote={vote} advanceAt={advanceAt} />
        {canNext ? (
          <NextButton onNext={onNext} />
        ) : (
          <SkipButton onSkip={onSkip} disabled={!canSkip} primary={phase === "model-error"} />
        )}
        <div
          role="group"
          aria-label="Vote"
          className="order-3 grid w-full grid-cols-2 gap-2 sm:grid-cols-4 lg:order-2 lg:w-[560px] lg:shrink-0 xl:w-[640px]"
        >
          {OPTIONS.map((option) => {
            const selected = chosen === option.outcome;
            const primary = option.outcome === "a" || option.outcome === "b";
            return (
              <button
                key={option.outcome}
                type="button"
                data-testid={`vote-${option.outcome}`}
                disabled={!canVote}
                aria-pressed={selected}
                aria-keyshortcuts={option.hotkey}
                onClick={() => onVote(option.outcome)}
                className={`${option.order} flex h-10 items-center justify-center gap-2 rounded-xl border px-2 text-sm font-semibold whitespace-nowrap transition-[background-color,border-color,color,opacity] sm:h-11 ${
                  selected
                    ? "border-arena-accent bg-arena-accent/20 text-arena-text disabled:opacity-100"
                    : primary
                      ? "border-arena-accent/40 bg-arena-accent/10 text-arena-text hover:border-arena-accent hover:bg-arena-accent/20"
                      : "border-arena-border bg-arena-raised/60 text-arena-text/90 hover:border-arena-muted/60 hover:bg-arena-raised"
                } disabled:cursor-not-allowed disabled:opacity-40 disabled:hover:border-arena-border`}
              >
                {option.outcome === "a" && <Arrow dir="left" />}
                {option.label}
                {option.outcome === "b" && <Arrow dir="right" />}
                <Kbd>{option.hotkey}</Kbd>
              </button>
            );
          })}
        </div>
      </div>
      <div className="mt-2 flex items-center justify-between gap-3 text-xs text-arena-muted">
        <HotkeyLegend />
        <div className="ml-auto">
          <Switch
            checked={autoAdvance}
            onChange={onAutoAdvanceChange}
            testId="auto-advance"
            title="After each vote, load the next battle by itself"
          >
            Auto-advance
          </Switch>
        </div>
      </div>
    </div>
  );
}
