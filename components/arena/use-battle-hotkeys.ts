"use client";

import type { Outcome } from "@/lib/contracts";
import { useHotkeys } from "./use-hotkeys";

const OUTCOME_KEYS: Record<string, Outcome> = { a: "a", b: "b", t: "tie", x: "both_bad" };

/**
 * The arena's keys (listed by HotkeyLegend): A / B / T / X vote, S skips (or moves on after the
 * vote), V steps through the view presets, N or Enter go to the next battle after the vote.
 */
export function useBattleHotkeys(h: {
  onVote: (outcome: Outcome) => void;
  onSkip: () => void;
  onNext: () => void;
  onCycleView: () => void;
  canVote: boolean;
  canNext: boolean;
}): void {
  useHotkeys((key, event) => {
    const outcome = OUTCOME_KEYS[key];
    if (outcome) {
      if (!h.canVote) return false;
      h.onVote(outcome);
      return true;
    }
    switch (key) {
      case "s":
        h.onSkip();
        return true;
      case "v":
        h.onCycleView();
        return true;
      case "n":
      case "enter":
        // A focused button handles Enter itself; don't fire twice.
        if (key === "enter" && event.target instanceof HTMLElement && event.target.closest("button, a")) return false;
        if (!h.canNext) return false;
        h.onNext();
        return true;
      default:
        return false;
    }
  });
}
