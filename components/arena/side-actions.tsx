"use client";

import { useState } from "react";
import type { ReportReason } from "./arena-api";
import { ReportDialog } from "./report-dialog";

const ICON_BUTTON =
  "flex h-8 w-8 items-center justify-center rounded-lg border border-white/10 bg-arena-bg/70 text-arena-text/80 backdrop-blur transition-colors hover:border-arena-accent/60 hover:text-arena-text disabled:cursor-default disabled:opacity-60 disabled:hover:border-white/10";

/** The corner buttons over one viewer: report it, and full screen on and off. */
export function SideActions({
  side,
  fullscreen,
  onToggleFullscreen,
  onReport,
}: {
  side: "a" | "b";
  fullscreen: boolean;
  onToggleFullscreen: () => void;
  onReport: (reason: ReportReason, note: string | undefined) => Promise<void>;
}) {
  const letter = side.toUpperCase();
  const [reporting, setReporting] = useState(false);
  const [reported, setReported] = useState(false);

  return (
    <div className="absolute top-2.5 right-2.5 z-10 flex items-center gap-1.5">
      <button
        type="button"
        onClick={() => setReporting(true)}
        disabled={reported}
        aria-haspopup="dialog"
        aria-label={reported ? `Model ${letter} reported` : `Report Model ${letter}`}
        title={reported ? "Reported, thank you" : "Report this model (broken, offensive, not the prompt)"}
        data-testid={`report-${side}`}
        data-reported={reported ? "true" : "false"}
        className={`${ICON_BUTTON} ${reported ? "text-arena-danger" : ""}`}
      >
        <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
          <path
            d="M3.5 14.5v-12m0 0h8l-1.8 3 1.8 3h-8"
            fill={reported ? "currentColor" : "none"}
            stroke="currentColor"
            strokeWidth="1.5"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </svg>
      </button>
      {fullscreen ? (
        <button
          type="button"
          onClick={onToggleFullscreen}
          data-testid={`fullscreen-exit-${side}`}
          aria-label={`Exit full screen for Model ${letter}`}
          className="flex h-8 items-center gap-1.5 rounded-lg border border-white/10 bg-arena-bg/80 px-2.5 text-xs font-medium text-arena-text backdrop-blur hover:border-arena-accent/60"
        >
          <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
            <path d="M6 2v4H2m8-4v4h4M6 14v-4H2m8 4v-4h4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
          Exit
          <kbd className="hidden font-mono text-[10px] text-arena-muted pointer-fine:inline">Esc</kbd>
        </button>
      ) : (
        <button
          type="button"
          onClick={onToggleFullscreen}
          data-testid={`fullscreen-${side}`}
          aria-label={`Show Model ${letter} full screen`}
          title="Full screen"
          className={ICON_BUTTON}
        >
          <svg viewBox="0 0 16 16" className="h-3.5 w-3.5" aria-hidden="true">
            <path d="M2 6V2h4m4 0h4v4M2 10v4h4m4 0h4v-4" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
          </svg>
        </button>
      )}
      {reporting && (
        <ReportDialog
          side={side}
          onSubmit={onReport}
          onClose={(done) => {
            setReporting(false);
            if (done) setReported(true);
          }}
        />
      )}
    </div>
  );
}
