"use client";

import type { Outcome } from "@/lib/contracts";
import { useCountdown } from "./use-countdown";
import type { VoteState } from "./use-vote";

export type BattlePhase = "switching" | "models-loading" | "model-error" | "ready" | "submitting" | "rate-limited" | "voted" | "vote-error";

const VERDICT: Record<Outcome, string> = {
  a: "You chose Model A.",
  b: "You chose Model B.",
  tie: "You called it a tie.",
  both_bad: "You marked both as bad.",
};

/** One line saying where the battle stands, announced to screen readers as it changes. */
export function VoteStatus({ phase, vote, advanceAt }: { phase: BattlePhase; vote: VoteState; advanceAt: number | null }) {
  const retryIn = useCountdown(vote.kind === "limited" ? vote.retryAt : null);
  const advanceIn = useCountdown(advanceAt);
  let text: string;
  let detail: string | null = null;
  let tone = "text-arena-muted";
  switch (phase) {
    case "switching":
      text = "Loading the next battle…";
      break;
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
    case "rate-limited":
      text = `You are voting faster than the arena allows. Your vote is kept and sent again ${retryIn > 0 ? `in ${retryIn} s` : "now"}.`;
      tone = "text-arena-warn";
      break;
    case "voted":
      if (vote.kind === "voted" && vote.elsewhere) {
        // Another tab (or a double send) got there first: show that vote, not the one just refused.
        text = "This battle already had your vote (from another tab or window), so this one was not counted.";
        detail = `Recorded: ${VERDICT[vote.outcome].replace(/^You /, "you ")}`;
        tone = "text-arena-warn";
        break;
      }
      text = advanceAt !== null ? `Vote recorded. Next battle in ${advanceIn} s.` : "Vote recorded.";
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
      data-recorded-elsewhere={vote.kind === "voted" && vote.elsewhere ? "true" : undefined}
      data-error-code={vote.kind === "failed" ? vote.error.code : undefined}
      data-retry-in={phase === "rate-limited" ? retryIn : undefined}
      data-advance-in={advanceAt !== null ? advanceIn : undefined}
      role={phase === "vote-error" ? "alert" : "status"}
      aria-live="polite"
      className={`order-1 min-w-0 flex-1 text-[13px] leading-snug sm:text-sm ${tone}`}
    >
      {text}
      {detail && <span className="hidden sm:inline"> {detail}</span>}
      {vote.kind === "voted" && <CompactReveal vote={vote} />}
      {vote.kind === "voted" && vote.tooFast && (
        <span data-testid="vote-hint" className="mt-0.5 block text-xs text-arena-muted">
          That was quick. Your vote counts; next time, turn both models around first: flaws often hide at the back.
        </span>
      )}
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
    <span className="block text-xs break-words text-arena-muted sm:hidden" data-testid="compact-reveal">
      A: {name("a")} · B: {name("b")}
    </span>
  );
}
