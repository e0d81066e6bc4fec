import type { ReactNode } from "react";
import { linearScale, logScale, logTicks, niceTicks, stepDecimals } from "@/components/charts/scale";
import { paretoFrontier } from "@/components/charts/pareto";
import { Axis, axisTickWidth, formatTick, formatValue, type Tick } from "./axis";
import { ChartFrame, ChartSvg, EmptyChart, LegendItem } from "./chart-frame";
import { type Box, placeLabels } from "./label-layout";
import { FONT, INK, textWidth, truncate } from "./theme";

export interface ScatterPoint {
  id: string;
  label: string;
  x: number;
  y: number;
  /** 95% CI (or any interval) of y, drawn as a vertical error bar. */
  yLow?: number;
  yHigh?: number;
  href?: string;
  /** De-emphasised (e.g. baselines): grey, and out of the legend's main entry. */
  muted?: boolean;
}

export interface ScatterChartProps {
  testId: string;
  title: string;
  caption?: ReactNode;
  xLabel: string;
  yLabel: string;
  xScale?: "linear" | "log";
  /** Higher x is better (e.g. exec rate). Only changes which points form the frontier. */
  invertX?: boolean;
  points: ScatterPoint[];
  /** Draw the Pareto frontier: best y for the x (lower x is better unless `invertX`). */
  frontier?: boolean;
  /** A one-line statistic shown in the emptiest corner, e.g. "Spearman ρ = 0.83". */
  stat?: string;
  /** Tick and tooltip text for x / y values, e.g. costs as "$0.01". */
  formatX?: (value: number) => string;
  /** Linear axes only: show exactly this range instead of one padded around the points. */
  xDomain?: [number, number];
  formatY?: (value: number) => string;
  /** Tick label for x ≤ 0 on a log axis, which has no place for them on the scale. */
  zeroLabel?: string;
  /** Legend text for muted points; without it muted points get no legend entry. */
  mutedLabel?: string;
}

const W = 800;
const H = 420;
const R = 5;
const COLOR = { point: "#6ea8fe", muted: "#8b93a7", frontier: "#fbbf24" } as const;

export function ScatterChart(props: ScatterChartProps) {
  const { testId, title, caption, xLabel, yLabel, xScale = "linear", invertX = false, stat, zeroLabel = "free", mutedLabel } = props;
  const points = props.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  if (points.length === 0) return <EmptyChart testId={testId} title={title} caption={caption} />;

  const log = xScale === "log";
  const isFree = (p: ScatterPoint) => log && p.x <= 0;
  const hasFree = points.some(isFree);
  const lowOf = (p: ScatterPoint) => (Number.isFinite(p.yLow) ? Math.min(p.yLow!, p.y) : p.y);
  const highOf = (p: ScatterPoint) => (Number.isFinite(p.yHigh) ? Math.max(p.yHigh!, p.y) : p.y);
  const hasBars = points.some((p) => lowOf(p) < p.y || highOf(p) > p.y);

  // y: nice linear ticks over the points and their error bars.
  const yTicksRaw = niceTicks(Math.min(...points.map(lowOf)), Math.max(...points.map(highOf)), 5);
  const yDecimals = stepDecimals(yTicksRaw[1]! - yTicksRaw[0]!);
  const fmtY = props.formatY ?? ((v: number) => formatTick(v, yDecimals));
  const margin = { top: 14, right: 20, bottom: 52, left: axisTickWidth(yTicksRaw.map(fmtY)) + 26 };
  const plot = { x0: margin.left, x1: W - margin.right, y0: margin.top, y1: H - margin.bottom };
  const y = linearScale([yTicksRaw[0]!, yTicksRaw.at(-1)!], [plot.y1, plot.y0]);

  // x: linear nice ticks, or log ticks with x ≤ 0 parked on their own column at the left edge.
  const freeX = plot.x0 + 20;
  const breakX = plot.x0 + 42;
  let xOf: (v: number) => number;
  let xTicks: Tick[];
  let fmtX: (v: number) => string;
  if (log) {
    const positive = points.filter((p) => p.x > 0).map((p) => p.x);
    const lo = positive.length ? Math.min(...positive) : 1e-3;
    const hi = positive.length ? Math.max(...positive) : 1e-1;
    // Pad by a factor (the log-space analogue of a margin); a single value gets a decade around it.
    const pad = hi / lo > 1.5 ? 1.5 : 3;
    const domain = [lo / pad, hi * pad] as const;
    const scale = logScale(domain, [hasFree ? breakX + 16 : plot.x0 + 8, plot.x1 - 8]);
    fmtX = props.formatX ?? formatLog;
    xOf = (v) => (v <= 0 ? freeX : scale(v));
    xTicks = logTicks(domain[0], domain[1]).map((v) => ({ value: v, pos: scale(v), label: fmtX(v) }));
    if (hasFree) xTicks.unshift({ value: 0, pos: freeX, label: zeroLabel, special: true });
  } else {
    // A fixed domain (e.g. 0–1 for a rate) keeps padding from inventing values like 110%.
    const [x0, x1] = props.xDomain ?? [Math.min(...points.map((p) => p.x)), Math.max(...points.map((p) => p.x))];
    const ticks = niceTicks(x0, x1, 7);
    const decimals = stepDecimals(ticks[1]! - ticks[0]!);
    fmtX = props.formatX ?? ((v) => formatTick(v, decimals));
    const scale = linearScale([ticks[0]!, ticks.at(-1)!], [plot.x0, plot.x1]);
    xOf = scale;
    xTicks = ticks.map((v) => ({ value: v, pos: scale(v), label: fmtX(v) }));
  }
  const yTicks: Tick[] = yTicksRaw.map((v) => ({ value: v, pos: y(v), label: fmtY(v) }));

  const marks = points.map((p) => ({
    p,
    cx: px(xOf(p.x)),
    cy: px(y(p.y)),
    low: lowOf(p) < p.y ? px(y(lowOf(p))) : undefined,
    high: highOf(p) > p.y ? px(y(highOf(p))) : undefined,
    free: isFree(p),
  }));

  // Frontier on the data (so zero-cost points count as cheapest), drawn in pixels as a staircase.
  const front = props.frontier
    ? paretoFrontier(marks.map((m) => ({ x: invertX ? -m.p.x : m.p.x, y: m.p.y, m }))).map((f) => f.m)
    : [];
  const frontIds = new Set(front.map((m) => m.p.id));
  const stairs = front.toSorted((a, b) => a.cx - b.cx);
  // Best y at x no worse than here: flat from the previous step, then up to this point (or, when
  // higher x is better, down from the previous point then across).
  const frontierPath = stairs
    .map((m, i) => (i === 0 ? `M${m.cx},${m.cy}` : invertX ? `V${m.cy}H${m.cx}` : `H${m.cx}V${m.cy}`))
    .join("");

  const statBox = stat ? placeStat(stat, plot, marks) : undefined;
  const obstacles: Box[] = [
    ...marks.map((m) => ({ x0: m.cx - R - 1, y0: m.cy - R - 1, x1: m.cx + R + 1, y1: m.cy + R + 1 })),
    ...marks.filter((m) => m.low !== undefined || m.high !== undefined).map((m) => ({ x0: m.cx - 3, y0: m.high ?? m.cy, x1: m.cx + 3, y1: m.low ?? m.cy })),
    ...(statBox ? [statBox.box] : []),
    ...stairSegments(stairs, invertX),
  ];
  const labelText = marks.map((m) => truncate(m.p.label, FONT.tick, 160));
  const labels = placeLabels(
    marks.map((m, i) => ({ x: m.cx, y: m.cy, r: R, width: textWidth(labelText[i]!, FONT.tick) })),
    obstacles,
    { x0: plot.x0 + 2, y0: plot.y0, x1: plot.x1 + margin.right - 4, y1: plot.y1 - 2 },
  );

  // Tooltips show the value itself, not rounded to the tick step, unless the caller formats it.
  const tipY = props.formatY ?? formatValue;
  const tipX = props.formatX ?? formatValue;
  const tooltip = (m: (typeof marks)[number]) => {
    const ci = m.low !== undefined || m.high !== undefined ? ` (${tipY(lowOf(m.p))}–${tipY(highOf(m.p))})` : "";
    const xText = m.free ? zeroLabel : tipX(m.p.x);
    return `${m.p.label}\n${yLabel}: ${tipY(m.p.y)}${ci}\n${xLabel}: ${xText}${frontIds.has(m.p.id) ? "\nOn the Pareto frontier" : ""}`;
  };
  const link = (href: string | undefined, node: ReactNode, key: string) =>
    href ? (
      <a key={key} href={href}>
        {node}
      </a>
    ) : (
      node
    );

  const legend = (
    <>
      {hasBars && (
        <LegendItem swatch={<ErrorBarSwatch color={COLOR.point} />}>95% CI</LegendItem>
      )}
      {mutedLabel && points.some((p) => p.muted) && (
        <LegendItem swatch={<circle cx={9} cy={6} r={4} style={{ fill: COLOR.muted, fillOpacity: 0.55 }} />}>{mutedLabel}</LegendItem>
      )}
      {front.length > 0 && (
        <LegendItem swatch={<path d="M1,10H9V2H17" style={{ fill: "none", stroke: COLOR.frontier, strokeWidth: 1.5 }} />}>Pareto frontier</LegendItem>
      )}
    </>
  );

  return (
    <ChartFrame
      testId={testId}
      title={title}
      caption={caption}
      legend={hasBars || front.length > 0 || mutedLabel ? legend : undefined}
      attrs={{ "data-points": points.length, "data-x-scale": xScale }}
    >
      <ChartSvg width={W} height={H} label={`${title}: ${points.length} ${points.length === 1 ? "point" : "points"}, ${xLabel} against ${yLabel}`}>
        <Axis orient="left" ticks={yTicks} at={plot.x0} span={[plot.y1, plot.y0]} grid={[plot.x0, plot.x1]} label={yLabel} />
        <Axis orient="bottom" ticks={xTicks} at={plot.y1} span={[plot.x0, plot.x1]} grid={[plot.y0, plot.y1]} label={xLabel} />
        {log && hasFree && <AxisBreak x={breakX} y={plot.y1} />}

        {stairs.length > 0 && (
          <path
            d={frontierPath}
            data-testid={`${testId}-frontier`}
            data-ids={stairs.map((m) => m.p.id).join(" ")}
            style={{ fill: "none", stroke: COLOR.frontier, strokeWidth: 1.5, strokeOpacity: 0.8, strokeLinejoin: "round" }}
          />
        )}

        {marks.map((m) => {
          const color = m.p.muted ? COLOR.muted : COLOR.point;
          const onFront = frontIds.has(m.p.id);
          return link(
            m.p.href,
            <g
              key={m.p.id}
              data-testid={`${testId}-point`}
              data-id={m.p.id}
              data-x={m.p.x}
              data-y={m.p.y}
              data-frontier={onFront ? "true" : undefined}
              data-free={m.free ? "true" : undefined}
            >
              <title>{tooltip(m)}</title>
              {(m.low !== undefined || m.high !== undefined) && (
                <path
                  d={`M${m.cx},${m.low ?? m.cy}V${m.high ?? m.cy}M${m.cx - 3},${m.low ?? m.cy}h6M${m.cx - 3},${m.high ?? m.cy}h6`}
                  style={{ fill: "none", stroke: color, strokeOpacity: m.p.muted ? 0.45 : 0.55, strokeWidth: 1.25 }}
                />
              )}
              {/* Larger invisible target: 10px dots are fiddly to hover. */}
              <circle cx={m.cx} cy={m.cy} r={R + 5} style={{ fill: "transparent" }} />
              <circle
                cx={m.cx}
                cy={m.cy}
                r={m.p.muted ? R - 0.5 : R}
                style={{
                  fill: color,
                  fillOpacity: m.p.muted ? 0.6 : 1,
                  stroke: onFront ? COLOR.frontier : INK.panel,
                  strokeWidth: onFront ? 2 : 1.5,
                }}
              />
            </g>,
            m.p.id,
          );
        })}

        <g fontSize={FONT.tick} aria-hidden="true">
          {marks.map((m, i) => {
            const l = labels[i]!;
            return (
              <g key={m.p.id}>
                {l.leader && <line {...l.leader} style={{ stroke: INK.muted, strokeOpacity: 0.6 }} />}
                <text
                  x={l.x}
                  y={l.y}
                  textAnchor={l.anchor}
                  style={{ fill: m.p.muted ? INK.muted : INK.text, paintOrder: "stroke", stroke: INK.panel, strokeWidth: 3, strokeLinejoin: "round" }}
                >
                  {labelText[i]}
                </text>
              </g>
            );
          })}
        </g>

        {statBox && (
          <g data-testid={`${testId}-stat`}>
            <rect {...rectOf(statBox.box)} rx={6} style={{ fill: INK.raised, stroke: INK.border }} />
            <text x={statBox.box.x0 + 10} y={statBox.box.y1 - 8} fontSize={FONT.label} style={{ fill: INK.text }}>
              {stat}
            </text>
          </g>
        )}
      </ChartSvg>
    </ChartFrame>
  );
}

/** Puts the statistic in whichever plot corner covers the fewest marks. */
function placeStat(stat: string, plot: Box, marks: readonly { cx: number; cy: number; low?: number; high?: number }[]) {
  const w = textWidth(stat, FONT.label) + 20;
  const h = 26;
  const inset = 8;
  const corners: Box[] = [
    { x0: plot.x0 + inset + 44, y0: plot.y0 + inset, x1: 0, y1: 0 },
    { x0: plot.x1 - inset - w, y0: plot.y0 + inset, x1: 0, y1: 0 },
    { x0: plot.x1 - inset - w, y0: plot.y1 - inset - h, x1: 0, y1: 0 },
    { x0: plot.x0 + inset + 44, y0: plot.y1 - inset - h, x1: 0, y1: 0 },
  ].map((b) => ({ ...b, x1: b.x0 + w, y1: b.y0 + h }));
  const hits = (b: Box) =>
    marks.filter((m) => m.cx > b.x0 - 40 && m.cx < b.x1 + 40 && (m.high ?? m.cy) < b.y1 + 20 && (m.low ?? m.cy) > b.y0 - 20).length;
  const box = corners.reduce((best, b) => (hits(b) < hits(best) ? b : best));
  return { box };
}

/** The frontier's horizontal and vertical runs as thin boxes, so labels do not sit on the line. */
function stairSegments(stairs: readonly { cx: number; cy: number }[], invertX: boolean): Box[] {
  const boxes: Box[] = [];
  const run = (x0: number, y0: number, x1: number, y1: number) =>
    boxes.push({ x0: Math.min(x0, x1) - 2, y0: Math.min(y0, y1) - 2, x1: Math.max(x0, x1) + 2, y1: Math.max(y0, y1) + 2 });
  for (let i = 1; i < stairs.length; i++) {
    const a = stairs[i - 1]!;
    const b = stairs[i]!;
    const corner = invertX ? { x: a.cx, y: b.cy } : { x: b.cx, y: a.cy };
    run(a.cx, a.cy, corner.x, corner.y);
    run(corner.x, corner.y, b.cx, b.cy);
  }
  return boxes;
}

function rectOf(b: Box) {
  return { x: b.x0, y: b.y0, width: b.x1 - b.x0, height: b.y1 - b.y0 };
}

/** The "//" on the x axis between the zero column and the log scale: the scale is cut there. */
function AxisBreak({ x, y }: { x: number; y: number }) {
  return (
    <g aria-hidden="true" style={{ stroke: INK.muted, strokeOpacity: 0.8 }}>
      <rect x={x - 4} y={y - 4} width={8} height={8} style={{ fill: INK.panel, stroke: "none" }} />
      <line x1={x - 5} y1={y + 4} x2={x - 1} y2={y - 4} />
      <line x1={x + 1} y1={y + 4} x2={x + 5} y2={y - 4} />
    </g>
  );
}

function ErrorBarSwatch({ color }: { color: string }) {
  return (
    <g style={{ fill: "none", stroke: color }}>
      <path d="M9,1V11M6,1h6M6,11h6" strokeWidth={1.25} strokeOpacity={0.7} />
      <circle cx={9} cy={6} r={3} style={{ fill: color, stroke: "none" }} />
    </g>
  );
}

/** Pixel coordinates to 0.1px: invisible difference, much shorter markup. */
function px(v: number): number {
  return Math.round(v * 10) / 10;
}

/** Log tick text: plain decimals below 1000 (0.001, 0.02, 5), compact above (2k, 1M). */
function formatLog(v: number): string {
  if (v >= 1e6) return `${v / 1e6}M`;
  if (v >= 1e3) return `${v / 1e3}k`;
  return String(v);
}
