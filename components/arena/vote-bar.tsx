"use client";

import { useEffect, useRef } from "react";
import type { Outcome } from "@/lib/contracts";
import { Kbd } from "@/components/ui/kbd";
import type { VoteState } from "./battle-view";

export type BattlePhase = "models-loading" | "model-error" | "ready" | "submitting" | "voted" | "vote-error";

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

const VERDICT: Record<Outcome, string> = {
  a: "You chose Model A.",
  b: "You chose Model B.",
  tie: "You called it a tie.",
  both_bad: "You marked both as bad.",
};

interface Props {
  phase: BattlePhase;
  vote: VoteState;
  canVote: boolean;
  canNext: boolean;
  onVote: (outcome: Outcome) => void;
  onNext: () => void;
}

export function VoteBar({ phase, vote, canVote, canNext, onVote, onNext }: Props) {
  const chosen = vote.kind === "idle" ? null : vote.outcome;
  return (
    <div className="sticky bottom-0 z-20 -mx-4 border-t border-arena-border bg-arena-bg/90 px-4 pt-2.5 pb-[max(0.75rem,env(safe-area-inset-bottom))] backdrop-blur-md sm:bottom-3 sm:mx-0 sm:rounded-2xl sm:border sm:bg-arena-panel/90 sm:px-4 sm:py-3 sm:shadow-xl sm:shadow-black/30">
      {/* Phone: status and Next on one row, the four buttons below. Desktop: one row, status · buttons · Next. */}
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2.5 lg:flex-nowrap lg:gap-x-4">
        <StatusLine phase={phase} vote={vote} />
        {canNext && (
          <NextButton
            onNext={onNext}
            skip={phase === "model-error"}
          />
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
                className={`${option.order} flex h-10 items-center justify-center gap-2 rounded-xl border px-2 sm:h-11 text-sm font-semibold whitespace-nowrap transition-[background-color,border-color,color,opacity] ${
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
    </div>
  );
}

function StatusLine({ phase, vote }: { phase: BattlePhase; vote: VoteState }) {
  let text: string;
  let detail: string | null = null;
  let tone = "text-arena-muted";
  switch (phase) {
    case "models-loading":
      text = "Loading both models… voting opens when both are on screen.";
      break;
    case "model-error":
      text = "A model could not be displayed, so this battle cannot be judged fairly. Skip it.";
      tone = "text-arena-warn";
      break;
    case "ready":
      text = "Look at both from a few angles, then vote.";
      break;
    case "submitting":
      text = "Recording your vote…";
      break;
    case "voted":
      text = "Vote recorded.";
      detail = vote.kind === "voted" ? VERDICT[vote.outcome] : null;
      tone = "text-arena-win";
      break;
    case "vote-error":
      text =
        vote.kind === "failed"
          ? `${vote.error.message}${vote.retryable ? " Your vote was not counted; you can vote again." : ""}`
          : "The vote failed.";
      tone = "text-arena-danger";
      break;
  }
  return (
    <p
      data-testid="arena-status"
      data-state={phase}
      data-error-code={vote.kind === "failed" ? vote.error.code : undefined}
      role={phase === "vote-error" ? "alert" : "status"}
      aria-live="polite"
      className={`order-1 min-w-0 flex-1 text-[13px] leading-snug sm:text-sm ${tone}`}
    >
      {text}
      {detail && <span className="hidden sm:inline"> {detail}</span>}
      {vote.kind === "voted" && <CompactReveal vote={vote} />}
    </p>
  );
}

/** On phones the two viewers are stacked, so name both models right here as well. */
function CompactReveal({ vote }: { vote: Extract<VoteState, { kind: "voted" }> }) {
  const name = (side: "a" | "b") => (
    <span className={vote.outcome === side ? "font-semibold text-arena-win" : "text-arena-text/85"}>
      {vote.reveal[side].displayName}
    </span>
  );
  return (
    <span className="block truncate text-xs text-arena-muted sm:hidden">
      A: {name("a")} · B: {name("b")}
    </span>
  );
}

function NextButton({ onNext, skip }: { onNext: () => void; skip: boolean }) {
  const ref = useRef<HTMLButtonElement>(null);
  // Focus it so Enter continues; no scroll jump on phones.
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onNext}
      data-testid="next-battle"
      aria-keyshortcuts="N Enter"
      className="order-2 inline-flex h-9 shrink-0 items-center gap-2 rounded-lg bg-arena-accent px-3.5 text-sm lg:order-3 lg:h-11 lg:rounded-xl lg:px-4 font-semibold text-arena-bg shadow-sm hover:brightness-110"
    >
      {skip ? "Skip battle" : "Next battle"}
      <Arrow dir="right" />
      <Kbd className="border-arena-bg/30 bg-arena-bg/10">N</Kbd>
    </button>
  );
}

function Arrow({ dir }: { dir: "left" | "right" }) {
  return (
    <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
      <path
        d={dir === "left" ? "M10 3 5 8l5 5" : "M6 3l5 5-5 5"}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
