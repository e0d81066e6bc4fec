import type { ReactNode } from "react";
import { linearScale, niceTicks, stepDecimals } from "@/components/charts/scale";
import { Axis, axisTickWidth, formatTick, formatValue, type Tick } from "./axis";
import { ChartFrame, ChartSvg, EmptyChart, LegendItem } from "./chart-frame";
import { formatUtc, timeTicks } from "./time-ticks";
import { FONT, INK, seriesColor } from "./theme";

export interface LineSeries {
  id: string;
  label: string;
  /** `t` is epoch ms; `low`/`high` (e.g. a 95% CI) draw a band around the line. */
  points: { t: number; y: number; low?: number; high?: number }[];
}

export interface LineChartProps {
  testId: string;
  title: string;
  caption?: ReactNode;
  yLabel: string;
  series: LineSeries[];
  /** Tick and tooltip text for y values; defaults to plain numbers. */
  formatY?: (value: number) => string;
}

const W = 800;
const H = 320;
/** Above this many points per series dots turn the lines into beads; only the latest is drawn. */
const MAX_DOTS = 12;
/** Hover targets per series; beyond this the markup outweighs the tooltips' use. */
const MAX_TARGETS = 300;
const HOUR = 3_600_000;

export function LineChart({ testId, title, caption, yLabel, series: input, formatY }: LineChartProps) {
  const series = input
    .map((s, i) => ({
      ...s,
      color: seriesColor(i),
      points: s.points.filter((p) => Number.isFinite(p.t) && Number.isFinite(p.y)).toSorted((a, b) => a.t - b.t),
    }))
    .filter((s) => s.points.length > 0);
  if (series.length === 0) return <EmptyChart testId={testId} title={title} caption={caption} />;

  const all = series.flatMap((s) => s.points);
  const band = (p: (typeof all)[number]) => ({
    low: Number.isFinite(p.low) ? Math.min(p.low!, p.y) : p.y,
    high: Number.isFinite(p.high) ? Math.max(p.high!, p.y) : p.y,
  });
  let t0 = Math.min(...all.map((p) => p.t));
  let t1 = Math.max(...all.map((p) => p.t));
  // One instant is not a range: give it an hour either side so it sits mid-axis with real ticks.
  if (t0 === t1) [t0, t1] = [t0 - HOUR, t1 + HOUR];

  const yTicksRaw = niceTicks(Math.min(...all.map((p) => band(p).low)), Math.max(...all.map((p) => band(p).high)), 5);
  const decimals = stepDecimals(yTicksRaw[1]! - yTicksRaw[0]!);
  const fmtTick = formatY ?? ((v: number) => formatTick(v, decimals));
  const fmtValue = formatY ?? formatValue;
  const margin = { top: 12, right: 28, bottom: 40, left: axisTickWidth(yTicksRaw.map(fmtTick)) + 26 };
  const plot = { x0: margin.left, x1: W - margin.right, y0: margin.top, y1: H - margin.bottom };
  const x = linearScale([t0, t1], [plot.x0 + 6, plot.x1 - 6]);
  const y = linearScale([yTicksRaw[0]!, yTicksRaw.at(-1)!], [plot.y1, plot.y0]);
  const px = (v: number) => Math.round(v * 10) / 10;

  const xTicks: Tick[] = timeTicks(t0, t1, 7).map((t) => ({ value: t.value, pos: x(t.value), label: t.label }));
  const yTicks: Tick[] = yTicksRaw.map((v) => ({ value: v, pos: y(v), label: fmtTick(v) }));

  const legend = series.map((s) => (
    <LegendItem key={s.id} swatch={<SeriesSwatch color={s.color} />}>
      <span data-testid={`${testId}-legend-item`} data-id={s.id} className="text-arena-text">
        {s.label}
      </span>
    </LegendItem>
  ));

  return (
    <ChartFrame testId={testId} title={title} caption={caption} legend={legend} attrs={{ "data-series": series.length }}>
      <ChartSvg width={W} height={H} label={`${title}: ${series.length} series of ${yLabel} over time`}>
        <Axis orient="left" ticks={yTicks} at={plot.x0} span={[plot.y1, plot.y0]} grid={[plot.x0, plot.x1]} label={yLabel} />
        <Axis orient="bottom" ticks={xTicks} at={plot.y1} span={[plot.x0, plot.x1]} />

        {series.map((s) => {
          const hasBand = s.points.length > 1 && s.points.some((p) => band(p).low < p.y || band(p).high > p.y);
          if (!hasBand) return null;
          const upper = s.points.map((p) => `${px(x(p.t))},${px(y(band(p).high))}`);
          const lower = s.points.toReversed().map((p) => `${px(x(p.t))},${px(y(band(p).low))}`);
          return (
            <path
              key={`band-${s.id}`}
              d={`M${upper.join("L")}L${lower.join("L")}Z`}
              data-testid={`${testId}-band`}
              data-id={s.id}
              style={{ fill: s.color, fillOpacity: 0.13, stroke: "none" }}
            />
          );
        })}

        {series.map((s) => {
          const single = s.points.length === 1;
          // Long series get invisible hover targets instead of visible beads, and a dot at the end.
          const visible = single || s.points.length <= MAX_DOTS;
          const targets = visible || s.points.length <= MAX_TARGETS ? s.points : s.points.slice(-1);
          return (
            <g key={s.id} data-testid={`${testId}-series`} data-id={s.id} data-points={s.points.length}>
              <title>{s.label}</title>
              {!single && (
                <path
                  d={`M${s.points.map((p) => `${px(x(p.t))},${px(y(p.y))}`).join("L")}`}
                  style={{ fill: "none", stroke: s.color, strokeWidth: 2, strokeLinejoin: "round", strokeLinecap: "round" }}
                />
              )}
              {targets.map((p, i) => {
                const b = band(p);
                const ci = b.low < p.y || b.high > p.y ? ` (${fmtValue(b.low)}–${fmtValue(b.high)})` : "";
                const shown = visible || i === targets.length - 1;
                return (
                  <circle
                    key={i}
                    cx={px(x(p.t))}
                    cy={px(y(p.y))}
                    r={single ? 4.5 : shown ? 3 : 5}
                    style={shown ? { fill: s.color, stroke: INK.panel, strokeWidth: 1.5 } : { fill: "transparent" }}
                  >
                    <title>{`${s.label}\n${formatUtc(p.t)}\n${yLabel}: ${fmtValue(p.y)}${ci}`}</title>
                  </circle>
                );
              })}
            </g>
          );
        })}
        {/* Time zone next to the axis end, where it never meets a tick label. */}
        <text x={plot.x1 + 4} y={plot.y1 + 16} fontSize={FONT.small} style={{ fill: INK.muted, opacity: 0.8 }} aria-hidden="true">
          UTC
        </text>
      </ChartSvg>
    </ChartFrame>
  );
}

function SeriesSwatch({ color }: { color: string }) {
  return (
    <g>
      <line x1={1} x2={17} y1={6} y2={6} style={{ stroke: color, strokeWidth: 2, strokeLinecap: "round" }} />
      <circle cx={9} cy={6} r={3} style={{ fill: color }} />
    </g>
  );
}
