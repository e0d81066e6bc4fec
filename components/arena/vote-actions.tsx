"use client";

import { useEffect, useRef } from "react";
import { Kbd } from "@/components/ui/kbd";

/** Before the vote: move on without voting. Primary when a model failed and voting is impossible. */
export function SkipButton({ onSkip, disabled, primary }: { onSkip: () => void; disabled: boolean; primary: boolean }) {
  return (
    <button
      type="button"
      onClick={onSkip}
      disabled={disabled}
      data-testid="skip-battle"
      aria-keyshortcuts="S"
      title="Load another battle without voting on this one"
      className={`order-2 inline-flex h-9 shrink-0 items-center gap-2 rounded-lg px-3.5 text-sm font-semibold lg:order-3 lg:h-11 lg:rounded-xl lg:px-4 disabled:cursor-not-allowed disabled:opacity-40 ${
        primary
          ? "bg-arena-accent text-arena-bg shadow-sm hover:brightness-110"
          : "border border-arena-border bg-arena-raised/60 text-arena-text/90 hover:border-arena-muted/60 hover:bg-arena-raised"
      }`}
    >
      Skip
      <Arrow dir="right" />
      <Kbd className={primary ? "border-arena-bg/30 bg-arena-bg/10" : ""}>S</Kbd>
    </button>
  );
}

/** After the vote. Focused on arrival so Enter continues; no scroll jump on phones. */
export function NextButton({ onNext }: { onNext: () => void }) {
  const ref = useRef<HTMLButtonElement>(null);
  useEffect(() => ref.current?.focus({ preventScroll: true }), []);
  return (
    <button
      ref={ref}
      type="button"
      onClick={onNext}
      data-testid="next-battle"
      aria-keyshortcuts="N Enter S"
      className="order-2 inline-flex h-9 shrink-0 items-center gap-2 rounded-lg bg-arena-accent px-3.5 text-sm font-semibold text-arena-bg shadow-sm hover:brightness-110 lg:order-3 lg:h-11 lg:rounded-xl lg:px-4"
    >
      Next battle
      <Arrow dir="right" />
      <Kbd className="border-arena-bg/30 bg-arena-bg/10">N</Kbd>
    </button>
  );
}

export function Arrow({ dir }: { dir: "left" | "right" }) {
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
