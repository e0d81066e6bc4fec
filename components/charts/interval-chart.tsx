import type { ReactNode } from "react";
import { linearScale, niceTicks, stepDecimals } from "@/components/charts/scale";
import { Axis, formatTick, type Tick } from "./axis";
import { ChartFrame, ChartSvg, EmptyChart, LegendItem } from "./chart-frame";
import { FONT, INK, textWidth, truncate } from "./theme";

export interface IntervalItem {
  id: string;
  label: string;
  value: number;
  low: number;
  high: number;
  href?: string;
  /** Short muted text after the label, e.g. "baseline" or "12 votes". */
  note?: string;
}

export interface IntervalChartProps {
  testId: string;
  title: string;
  caption?: ReactNode;
  /** Rows top to bottom in the order given (sort before passing). */
  items: IntervalItem[];
  /** Axis title, e.g. "Elo". */
  valueLabel: string;
  /** Tick and value text; defaults to as many decimals as the tick step has. */
  format?: (value: number) => string;
}

const W = 800;
const ROW = 26;
const MAX_LABEL = 230;
/** With many rows a bottom-only axis is a long way from the top rows: repeat it above. */
const TOP_AXIS_FROM = 13;
const COLOR = "#6ea8fe";

export function IntervalChart({ testId, title, caption, items: input, valueLabel, format }: IntervalChartProps) {
  const items = input
    .filter((it) => Number.isFinite(it.value))
    .map((it) => ({
      ...it,
      low: Number.isFinite(it.low) ? Math.min(it.low, it.value) : it.value,
      high: Number.isFinite(it.high) ? Math.max(it.high, it.value) : it.value,
    }));
  if (items.length === 0) return <EmptyChart testId={testId} title={title} caption={caption} />;

  const ticksRaw = niceTicks(Math.min(...items.map((it) => it.low)), Math.max(...items.map((it) => it.high)), 6);
  const decimals = stepDecimals(ticksRaw[1]! - ticksRaw[0]!);
  const fmt = format ?? ((v: number) => formatTick(v, decimals));

  const labelW = Math.min(MAX_LABEL, Math.max(...items.map((it) => textWidth(it.label + (it.note ? ` · ${it.note}` : ""), FONT.label))));
  const valueTexts = items.map((it) => ({ value: fmt(it.value), range: `${fmt(it.low)}–${fmt(it.high)}` }));
  const valueW = Math.max(...valueTexts.map((t) => textWidth(t.value, FONT.label) + 6 + textWidth(t.range, FONT.tick)));
  const topAxis = items.length >= TOP_AXIS_FROM;
  const margin = { top: topAxis ? 30 : 6, bottom: 44, left: labelW + 20, right: valueW + 28 };
  const plot = { x0: margin.left, x1: W - margin.right, y0: margin.top, y1: margin.top + items.length * ROW };
  const H = plot.y1 + margin.bottom;
  const x = linearScale([ticksRaw[0]!, ticksRaw.at(-1)!], [plot.x0 + 8, plot.x1 - 8]);
  const ticks: Tick[] = ticksRaw.map((v) => ({ value: v, pos: x(v), label: fmt(v) }));
  const px = (v: number) => Math.round(v * 10) / 10;

  const legend = (
    <LegendItem
      swatch={
        <g>
          <path d="M1,6H17M1,3V9M17,3V9" style={{ fill: "none", stroke: COLOR, strokeOpacity: 0.8, strokeWidth: 1.5 }} />
          <circle cx={9} cy={6} r={3.5} style={{ fill: COLOR }} />
        </g>
      }
    >
      {valueLabel} with 95% CI
    </LegendItem>
  );

  return (
    <ChartFrame testId={testId} title={title} caption={caption} legend={legend} attrs={{ "data-items": items.length }}>
      <ChartSvg width={W} height={H} label={`${title}: ${items.length} ${items.length === 1 ? "item" : "items"}, ${valueLabel} with 95% confidence intervals`}>
        {items.map((_, i) =>
          i % 2 === 0 ? (
            <rect key={i} x={0} y={plot.y0 + i * ROW} width={W} height={ROW} rx={4} style={{ fill: INK.raised, fillOpacity: 0.45 }} aria-hidden="true" />
          ) : null,
        )}
        <Axis orient="bottom" ticks={ticks} at={plot.y1} span={[plot.x0, plot.x1]} grid={[plot.y0, plot.y1]} label={valueLabel} />
        {topAxis && <Axis orient="top" ticks={ticks} at={plot.y0} span={[plot.x0, plot.x1]} />}

        {items.map((it, i) => {
          const cy = px(plot.y0 + (i + 0.5) * ROW);
          const [lo, hi, cx] = [px(x(it.low)), px(x(it.high)), px(x(it.value))];
          const noteText = it.note ? ` · ${it.note}` : "";
          const label = truncate(it.label, FONT.label, MAX_LABEL - (noteText ? Math.min(textWidth(noteText, FONT.tick), 90) : 0));
          const row = (
            <g key={it.id} data-testid={`${testId}-item`} data-id={it.id} data-value={it.value} data-low={it.low} data-high={it.high}>
              <title>{`${it.label}${it.note ? ` (${it.note})` : ""}\n${valueLabel}: ${valueTexts[i]!.value} (95% CI ${valueTexts[i]!.range})`}</title>
              <rect x={0} y={cy - ROW / 2} width={W} height={ROW} style={{ fill: "transparent" }} />
              <text x={plot.x0 - 14} y={cy + 4} textAnchor="end" fontSize={FONT.label} style={{ fill: INK.text }}>
                {label}
                {noteText && (
                  <tspan fontSize={FONT.tick} style={{ fill: INK.muted }}>
                    {truncate(noteText, FONT.tick, 90)}
                  </tspan>
                )}
              </text>
              <path
                d={`M${lo},${cy}H${hi}M${lo},${cy - 5}V${cy + 5}M${hi},${cy - 5}V${cy + 5}`}
                style={{ fill: "none", stroke: COLOR, strokeOpacity: 0.7, strokeWidth: 1.5 }}
              />
              <circle cx={cx} cy={cy} r={4.5} style={{ fill: COLOR, stroke: INK.panel, strokeWidth: 1.5 }} />
              <text x={plot.x1 + 16} y={cy + 4} fontSize={FONT.label} style={{ fill: INK.text }}>
                <tspan fontWeight={600}>{valueTexts[i]!.value}</tspan>
                <tspan dx={6} fontSize={FONT.tick} style={{ fill: INK.muted }}>
                  {valueTexts[i]!.range}
                </tspan>
              </text>
            </g>
          );
          return it.href ? (
            <a key={it.id} href={it.href}>
              {row}
            </a>
          ) : (
            row
          );
        })}
      </ChartSvg>
    </ChartFrame>
  );
}
