import type { ReactNode } from "react";
import { chartId, INK, MIN_CHART_SCALE } from "./theme";

type DataAttributes = Record<`data-${string}`, string | number | undefined>;

/**
 * The panel every chart sits in: title, optional legend, the SVG, then the caption. The root
 * carries the chart's test id (also in the empty state) and any data-* attributes the chart
 * wants browser tests to see without parsing the SVG.
 */
export function ChartFrame({
  testId,
  title,
  caption,
  legend,
  attrs,
  children,
}: {
  testId: string;
  title: string;
  caption?: ReactNode;
  legend?: ReactNode;
  attrs?: DataAttributes;
  children: ReactNode;
}) {
  const titleId = chartId(testId, "title");
  return (
    <figure
      data-testid={testId}
      aria-labelledby={titleId}
      className="m-0 flex min-w-0 flex-col gap-3 rounded-2xl border border-arena-border bg-arena-panel p-4 sm:p-5"
      {...attrs}
    >
      <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-2">
        <h3 id={titleId} className="text-sm font-semibold text-arena-text">
          {title}
        </h3>
        {legend && (
          <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-arena-muted" data-testid={`${testId}-legend`}>
            {legend}
          </div>
        )}
      </div>
      {/* Phones scroll sideways rather than shrinking 11px labels into unreadable 6px ones. */}
      <div className="-mx-1 overflow-x-auto px-1">{children}</div>
      {caption && <figcaption className="text-xs leading-relaxed text-arena-muted">{caption}</figcaption>}
    </figure>
  );
}

/**
 * The SVG root: drawn in a fixed coordinate system (viewBox) and scaled to the container, but
 * never beyond its natural size (fonts would balloon) nor below `minScale` of it, and never so far
 * that text would drop under 11 px (MIN_CHART_SCALE); a narrower card scrolls sideways instead.
 */
export function ChartSvg({
  width,
  height,
  label,
  minScale = MIN_CHART_SCALE,
  children,
}: {
  width: number;
  height: number;
  label: string;
  minScale?: number;
  children: ReactNode;
}) {
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-label={label}
      style={{
        display: "block",
        margin: "0 auto",
        height: "auto",
        maxWidth: width,
        minWidth: Math.round(width * Math.max(minScale, MIN_CHART_SCALE)),
        overflow: "visible",
        fontVariantNumeric: "tabular-nums",
        fill: INK.text,
      }}
    >
      {children}
    </svg>
  );
}

/** A legend entry: a small SVG swatch (so it matches the marks exactly) and a label. */
export function LegendItem({ swatch, children }: { swatch: ReactNode; children: ReactNode }) {
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap">
      <svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true" style={{ overflow: "visible" }}>
        {swatch}
      </svg>
      {children}
    </span>
  );
}

/** Shared empty state: same frame and test id, a short message instead of axes. */
export function EmptyChart({ testId, title, caption }: { testId: string; title: string; caption?: ReactNode }) {
  return (
    <ChartFrame testId={testId} title={title} caption={caption} attrs={{ "data-empty": "true" }}>
      <ChartSvg width={800} height={120} label={`${title}: no data yet`}>
        <rect x={0.5} y={0.5} width={799} height={119} rx={10} style={{ fill: "none", stroke: INK.border, strokeDasharray: "4 4" }} />
        <text x={400} y={64} textAnchor="middle" fontSize={13} style={{ fill: INK.muted }} data-testid={`${testId}-empty`}>
          No data yet
        </text>
      </ChartSvg>
    </ChartFrame>
  );
}
