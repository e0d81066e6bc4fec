import type { ReactNode } from "react";
import { niceTicks } from "@/components/charts/scale";
import { ChartFrame, ChartSvg, EmptyChart } from "./chart-frame";
import { colorScale, rampColor, textOn } from "./color-scale";
import { chartId, FONT, HEX, INK, textWidth, truncate } from "./theme";

export interface HeatmapProps {
  testId: string;
  title: string;
  caption?: ReactNode;
  /** One per row (drawn on the left), e.g. the model whose win rate the row holds. */
  rowLabels: string[];
  /** One per column (drawn on top, rotated when they do not fit a cell). */
  colLabels: string[];
  /** values[row][col]; null (or non-finite) is an empty hatched cell, e.g. the diagonal. */
  values: (number | null)[][];
  format: (value: number) => string;
  scheme: "diverging" | "sequential";
  /** Colour domain; defaults to the data (sequential from 0, diverging symmetric around `center`). */
  domain?: [number, number];
  /** Neutral value of a diverging scheme, e.g. 0.5 for win rates. */
  center?: number;
}

const MAX_ROW_LABEL = 170;
const MAX_COL_LABEL = 130;
const GAP = 2;

export function Heatmap({ testId, title, caption, rowLabels, colLabels, values, format, scheme, domain, center }: HeatmapProps) {
  const rows = rowLabels.length;
  const cols = colLabels.length;
  if (rows === 0 || cols === 0) return <EmptyChart testId={testId} title={title} caption={caption} />;

  const at = (r: number, c: number): number | null => {
    const v = values[r]?.[c];
    return typeof v === "number" && Number.isFinite(v) ? v : null;
  };
  const present = rowLabels.flatMap((_, r) => colLabels.map((_, c) => at(r, c))).filter((v): v is number => v !== null);
  const scale = colorScale(scheme, present, domain, center);

  // Cells shrink with more columns but stay wide enough for a value like "100%".
  const valueWidth = Math.max(0, ...present.map((v) => textWidth(format(v), FONT.tick)));
  const cell = Math.round(Math.max(valueWidth + 12, 34, Math.min(56, 560 / cols)));
  const rowText = rowLabels.map((l) => truncate(l, FONT.label, MAX_ROW_LABEL));
  const colText = colLabels.map((l) => truncate(l, FONT.tick, MAX_COL_LABEL));
  const colWidths = colText.map((l) => textWidth(l, FONT.tick));
  const rotate = Math.max(...colWidths) > cell - 6;

  const left = Math.max(...rowText.map((l) => textWidth(l, FONT.label))) + 14;
  const top = rotate ? Math.max(...colWidths) * Math.SQRT1_2 + 16 : 24;
  const gridW = cols * cell;
  const gridH = rows * cell;
  // Rotated labels lean right: the last ones may poke past the grid.
  const overhang = rotate ? Math.max(0, ...colWidths.map((w, c) => (c + 0.5) * cell + w * Math.SQRT1_2 - gridW)) : 0;

  const legendTicks = scheme === "diverging" ? [scale.domain[0], scale.center, scale.domain[1]] : sequentialTicks(scale.domain);
  const legendLabelW = Math.max(...legendTicks.map((v) => textWidth(format(v), FONT.tick)));
  const legendX = left + gridW + 20;
  const legendH = Math.min(gridH, 180);
  const width = Math.ceil(Math.max(legendX + 12 + 6 + legendLabelW + 8, left + gridW + overhang + 8));
  const height = Math.ceil(top + gridH + 8);
  const gradId = chartId(testId, "ramp");
  const hatchId = chartId(testId, "hatch");

  return (
    <ChartFrame testId={testId} title={title} caption={caption} attrs={{ "data-rows": rows, "data-cols": cols }}>
      <ChartSvg width={width} height={height} label={`${title}: ${rows} by ${cols} matrix`} minScale={Math.min(1, 420 / width)}>
        <defs>
          <linearGradient id={gradId} x1="0" y1="1" x2="0" y2="0">
            {Array.from({ length: 11 }, (_, i) => (
              <stop key={i} offset={i / 10} stopColor={rampColor(scheme, i / 10)} />
            ))}
          </linearGradient>
          <pattern id={hatchId} width={6} height={6} patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <line x1={0} y1={0} x2={0} y2={6} style={{ stroke: INK.border, strokeWidth: 2 }} />
          </pattern>
        </defs>

        <g fontSize={FONT.tick} aria-hidden="true">
          {colText.map((text, c) => {
            const x = left + (c + 0.5) * cell;
            return rotate ? (
              <text key={c} transform={`translate(${x - 2} ${top - 8}) rotate(-45)`} style={{ fill: INK.muted }}>
                <title>{colLabels[c]}</title>
                {text}
              </text>
            ) : (
              <text key={c} x={x} y={top - 8} textAnchor="middle" style={{ fill: INK.muted }}>
                <title>{colLabels[c]}</title>
                {text}
              </text>
            );
          })}
        </g>
        <g fontSize={FONT.label} aria-hidden="true">
          {rowText.map((text, r) => (
            <text key={r} x={left - 10} y={top + (r + 0.5) * cell + 4} textAnchor="end" style={{ fill: INK.text }}>
              <title>{rowLabels[r]}</title>
              {text}
            </text>
          ))}
        </g>

        {rowLabels.map((row, r) =>
          colLabels.map((col, c) => {
            const v = at(r, c);
            const x = left + c * cell;
            const y = top + r * cell;
            const fill = v === null ? null : scale.color(v);
            return (
              <g key={`${r}-${c}`} data-testid={`${testId}-cell`} data-row={row} data-col={col} data-value={v ?? ""}>
                <title>{`${row} vs ${col}: ${v === null ? "no data" : format(v)}`}</title>
                <rect
                  x={x + GAP / 2}
                  y={y + GAP / 2}
                  width={cell - GAP}
                  height={cell - GAP}
                  rx={4}
                  style={fill ? { fill } : { fill: `url(#${hatchId})`, stroke: INK.border, strokeWidth: 1 }}
                />
                <text
                  x={x + cell / 2}
                  y={y + cell / 2 + 4}
                  textAnchor="middle"
                  fontSize={FONT.tick}
                  fontWeight={fill ? 600 : 400}
                  style={{ fill: fill ? textOn(fill, HEX.text, HEX.bg) : INK.muted }}
                >
                  {v === null ? "—" : format(v)}
                </text>
              </g>
            );
          }),
        )}

        <g data-testid={`${testId}-legend`} fontSize={FONT.tick} aria-hidden="true">
          <rect x={legendX} y={top} width={12} height={legendH} rx={3} style={{ fill: `url(#${gradId})` }} />
          {legendTicks.map((v, i) => {
            const y = top + legendH - scale.position(v) * legendH;
            return (
              <g key={i}>
                <line x1={legendX + 12} x2={legendX + 16} y1={y} y2={y} style={{ stroke: INK.muted }} />
                <text x={legendX + 19} y={y + 4} style={{ fill: INK.muted }}>
                  {format(v)}
                </text>
              </g>
            );
          })}
        </g>
      </ChartSvg>
    </ChartFrame>
  );
}

/** Round values inside the domain (0, 20, 40… rather than 0, 44.5, 89: counts are integers). */
function sequentialTicks([lo, hi]: readonly [number, number]): number[] {
  const ticks = niceTicks(lo, hi, 4).filter((v) => v >= lo && v <= hi);
  return ticks.length >= 2 ? ticks : [lo, hi];
}
