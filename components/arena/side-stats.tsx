import type { SideStats as Stats } from "@/lib/contracts";
import { formatCount, plural } from "@/components/ui/format";

/** Vertex, face and part counts of one side, compact in its header; exact values in the tooltip. */
export function SideStats({ side, stats }: { side: "a" | "b"; stats: Stats }) {
  return (
    <dl
      className="ml-auto flex min-w-0 flex-wrap items-center gap-x-2.5 text-xs text-arena-muted tabular"
      data-testid={`side-stats-${side}`}
      data-vertices={stats.vertices}
      data-faces={stats.faces}
      data-parts={stats.parts}
      data-floats-apart={stats.partsFloatApart ? "true" : "false"}
    >
      {/* Phones (half-width viewers): faces and parts only, so the header keeps to two short rows. */}
      <Stat value={stats.vertices} label={plural(stats.vertices, "vert")} title="Vertices" className="max-sm:hidden" />
      <Stat value={stats.faces} label={plural(stats.faces, "face")} title="Faces" />
      <Stat value={stats.parts} label={plural(stats.parts, "part")} title="Separate mesh parts" />
    </dl>
  );
}

function Stat({ value, label, title, className = "" }: { value: number; label: string; title: string; className?: string }) {
  return (
    <div className={`flex items-baseline gap-1 whitespace-nowrap ${className}`} title={`${title}: ${value.toLocaleString("en-US")}`}>
      <dt className="sr-only">{title}</dt>
      <dd className="text-arena-text/90">{formatCount(value)}</dd>
      <span aria-hidden="true">{label}</span>
    </div>
  );
}
