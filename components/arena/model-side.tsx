"use client";

import { useRef } from "react";
import type { BattleSide, RevealSide } from "@/lib/contracts";
import type { CameraLink } from "@/components/viewer/camera-link";
import { ModelViewer, type ViewerStatus } from "@/components/viewer/model-viewer";
import type { ShadingMode } from "@/components/viewer/shading";
import type { ReportReason } from "./arena-api";
import { RevealCard } from "./reveal-card";
import { SideActions } from "./side-actions";
import { SideStats } from "./side-stats";
import { useFullscreen } from "./use-fullscreen";

export type SideResult = "winner" | "loser" | "tie" | "both_bad";

interface Props {
  side: "a" | "b";
  /** Per-battle controls (the report dialog) start afresh with each battle. */
  battleId: string;
  data: BattleSide;
  /** This side's model in the battle fetched ahead. */
  warmUrl: string | null;
  link: CameraLink;
  shading: ShadingMode;
  turntable: boolean;
  onStatusChange: (status: ViewerStatus) => void;
  onInteract: () => void;
  onReport: (reason: ReportReason, note: string | undefined) => Promise<void>;
  reveal: RevealSide | null;
  result: SideResult | null;
}

const FRAME: Record<SideResult | "none", string> = {
  none: "border-arena-border",
  winner: "border-arena-win/70 ring-2 ring-arena-win/30",
  loser: "border-arena-border opacity-90",
  tie: "border-arena-accent/50",
  both_bad: "border-arena-danger/50",
};

export function ModelSide({ side, battleId, data, warmUrl, link, shading, turntable, onStatusChange, onInteract, onReport, reveal, result }: Props) {
  const letter = side.toUpperCase();
  const section = useRef<HTMLElement>(null);
  const fullscreen = useFullscreen(section);
  // Native full screen sizes the element itself; the CSS fallback (iPhone) pins it over the page.
  const expanded = fullscreen.active
    ? `${fullscreen.mode === "css" ? "fixed inset-0 z-50" : ""} h-dvh w-full rounded-none! border-0! opacity-100!`
    : "";

  return (
    <section
      ref={section}
      aria-label={`Model ${letter}`}
      data-testid={`side-${side}`}
      data-result={result ?? undefined}
      data-fullscreen={fullscreen.active ? fullscreen.mode : undefined}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-2xl border bg-arena-panel transition-[border-color,box-shadow] duration-300 ${FRAME[result ?? "none"]} ${expanded}`}
    >
      {/* On a phone (half the width) the counts wrap under the title instead of overflowing. */}
      <header className="flex flex-wrap items-center gap-x-2 gap-y-0.5 px-2.5 py-1.5 sm:px-3 sm:py-2">
        <span
          className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-md text-xs font-bold ${
            side === "a" ? "bg-sky-400/15 text-sky-300" : "bg-violet-400/15 text-violet-300"
          }`}
          aria-hidden="true"
        >
          {letter}
        </span>
        <h2 className="text-sm font-semibold whitespace-nowrap">Model {letter}</h2>
        <SideStats side={side} stats={data.stats} />
      </header>
      {/* The reveal card sits over the viewer from sm up; on a phone (half the width) it would cover
          most of the model, so there it follows the viewer instead (issue 15 part 2). */}
      <div className={`flex flex-col sm:relative ${fullscreen.active ? "min-h-0 flex-1" : "md:min-h-0 md:flex-1"}`}>
        <div className={`relative ${fullscreen.active ? "min-h-0 flex-1" : "h-[clamp(180px,26dvh,360px)] md:h-auto md:min-h-0 md:flex-1"}`}>
          <ModelViewer
            url={data.glbUrl}
            warmUrl={warmUrl}
            label={`Model ${letter}`}
            viewerId={side}
            link={link}
            testId={`viewer-${side}`}
            shading={shading}
            turntable={turntable}
            onStatusChange={onStatusChange}
            onInteract={onInteract}
            className="absolute inset-0"
          />
          {data.stats.partsFloatApart && <FloatWarning side={side} />}
          <SideActions key={battleId} side={side} fullscreen={fullscreen.active} onToggleFullscreen={fullscreen.toggle} onReport={onReport} />
        </div>
        {reveal && result && <RevealCard side={side} battleId={battleId} reveal={reveal} result={result} />}
      </div>
    </section>
  );
}

function FloatWarning({ side }: { side: "a" | "b" }) {
  return (
    <span
      data-testid={`float-warning-${side}`}
      title="Some parts of this model do not touch the rest of it, e.g. a seat hovering above its legs."
      className="pointer-events-auto absolute top-2.5 left-2.5 inline-flex items-center gap-1 rounded-full border border-arena-warn/30 bg-arena-bg/75 px-2 py-0.5 text-[11px] font-medium text-arena-warn backdrop-blur"
    >
      <svg viewBox="0 0 16 16" className="h-3 w-3" fill="currentColor" aria-hidden="true">
        <path d="M8 1.5 15 14H1z" opacity=".25" />
        <path d="M8 1.5 15 14H1zm0 2.2L2.9 12.8h10.2zM7.3 6.5h1.4v3.6H7.3zm0 4.4h1.4v1.3H7.3z" />
      </svg>
      Parts float apart
    </span>
  );
}
