"use client";

import type { ReactNode } from "react";

/** An on/off switch (role="switch"): camera sync, auto-advance. */
export function Switch({
  checked,
  onChange,
  testId,
  title,
  children,
}: {
  checked: boolean;
  onChange: (checked: boolean) => void;
  testId: string;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={checked}
      onClick={() => onChange(!checked)}
      data-testid={testId}
      title={title}
      className="inline-flex items-center gap-2 rounded-md px-1.5 py-1 whitespace-nowrap hover:text-arena-text"
    >
      <span className={`relative inline-block h-4 w-7 shrink-0 rounded-full transition-colors ${checked ? "bg-arena-accent" : "bg-arena-border"}`} aria-hidden="true">
        <span className={`absolute top-0.5 left-0.5 h-3 w-3 rounded-full bg-white transition-transform ${checked ? "translate-x-3" : ""}`} />
      </span>
      {children}
    </button>
  );
}
