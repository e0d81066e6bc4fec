"use client";

import { useStoredFlag } from "./use-stored-flag";

/**
 * First visit only: what the arena is and what a vote does, in two sentences, until dismissed
 * (remembered in localStorage). Kept to a strip so both models stay on a phone's first screen.
 */
export function HowItWorks() {
  // Hidden in the server render: shown only once this browser is known not to have dismissed it.
  const [dismissed, setDismissed] = useStoredFlag("arena:intro-dismissed", false, true);
  if (dismissed) return null;
  return (
    <aside
      aria-label="How it works"
      data-testid="how-it-works"
      className="flex items-start gap-3 rounded-xl border border-arena-accent/30 bg-arena-accent/10 px-3 py-1.5 text-xs leading-snug sm:items-center sm:px-4 sm:text-sm"
    >
      <p className="min-w-0 flex-1">
        <span className="font-semibold">How it works:</span> two anonymous AI models wrote Blender code for this prompt. Vote for
        the better model to see who made them<span className="hidden sm:inline">; votes build the </span>
        <a href="/leaderboard" className="hidden font-medium text-arena-accent hover:underline sm:inline">
          leaderboard
        </a>
        .
      </p>
      <button
        type="button"
        onClick={() => setDismissed(true)}
        data-testid="how-it-works-dismiss"
        className="shrink-0 rounded-md border border-arena-accent/40 px-2 py-0.5 font-medium text-arena-text hover:bg-arena-accent/20"
      >
        Got it
      </button>
    </aside>
  );
}
