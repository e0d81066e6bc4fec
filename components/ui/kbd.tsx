import type { ReactNode } from "react";

/** A keyboard-shortcut hint; hidden on touch-only devices where it means nothing. */
export function Kbd({ children, className = "" }: { children: ReactNode; className?: string }) {
  return (
    <kbd
      className={`hidden min-w-[1.4rem] items-center justify-center rounded border border-white/15 bg-white/5 px-1 font-mono text-[11px] leading-5 text-current/80 pointer-fine:inline-flex ${className}`}
    >
      {children}
    </kbd>
  );
}
