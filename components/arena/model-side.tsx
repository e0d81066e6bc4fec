"use client";

import type { BattleSide, RevealSide } from "@/lib/contracts";
import type { CameraLink } from "@/components/viewer/camera-link";
import { ModelViewer, type ViewerStatus } from "@/components/viewer/model-viewer";
import { formatCount, plural } from "@/components/ui/format";
import { RevealCard } from "./reveal-card";

export type SideResult = "winner" | "loser" | "tie" | "both_bad";

interface Props {
  side: "a" | "b";
  data: BattleSide;
  link: CameraLink;
  onStatusChange: (status: ViewerStatus) => void;
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

export function ModelSide({ side, data, link, onStatusChange, reveal, result }: Props) {
  const letter = side.toUpperCase();
  const { stats } = data;
  return (
    <section
      aria-label={`Model ${letter}`}
      data-testid={`side-${side}`}
      data-result={result ?? undefined}
      className={`flex min-h-0 min-w-0 flex-col overflow-hidden rounded-2xl border bg-arena-panel transition-[border-color,box-shadow] duration-300 ${FRAME[result ?? "none"]}`}
    >
      <header className="flex items-center gap-2 px-3 py-2">
        <span
          className={`flex h-6 w-6 shrink-0 items-center justify-center rounded-md text-xs font-bold ${
            side === "a" ? "bg-sky-400/15 text-sky-300" : "bg-violet-400/15 text-violet-300"
          }`}
          aria-hidden="true"
        >
          {letter}
        </span>
        <h2 className="text-sm font-semibold whitespace-nowrap">Model {letter}</h2>
        <dl className="ml-auto flex min-w-0 items-center gap-x-2.5 text-xs text-arena-muted tabular" data-testid={`stats-${side}`}>
          <Stat value={stats.vertices} label={plural(stats.vertices, "vert")} title="Vertices" />
          <Stat value={stats.faces} label={plural(stats.faces, "face")} title="Faces" />
          <Stat value={stats.parts} label={plural(stats.parts, "part")} title="Separate mesh parts" />
        </dl>
      </header>
      <div className="relative h-[clamp(240px,36dvh,360px)] md:h-auto md:min-h-0 md:flex-1">
        <ModelViewer
          url={data.glbUrl}
          label={`Model ${letter}`}
          viewerId={side}
          link={link}
          testId={`viewer-${side}`}
          onStatusChange={onStatusChange}
          className="absolute inset-0"
        />
        {stats.partsFloatApart && (
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
        )}
        {reveal && result && <RevealCard side={side} reveal={reveal} result={result} />}
      </div>
    </section>
  );
}

function Stat({ value, label, title }: { value: number; label: string; title: string }) {
  return (
    <div className="flex items-baseline gap-1 whitespace-nowrap" title={`${title}: ${value.toLocaleString("en-US")}`}>
      <dt className="sr-only">{title}</dt>
      <dd className="text-arena-text/90">{formatCount(value)}</dd>
      <span aria-hidden="true">{label}</span>
    </div>
  );
}
