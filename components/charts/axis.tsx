import { FONT, INK, textWidth } from "./theme";

/** A tick already placed in pixels; a label with two lines (time axes) stacks them. */
export interface Tick {
  value: number;
  pos: number;
  label: string | readonly string[];
  /** Dashed grid line: marks a tick that is not part of the regular scale (e.g. "free"). */
  special?: boolean;
}

const TICK_LEN = 4;
const LINE_GAP = 13;

/**
 * One axis with optional grid lines. `at` is the axis position across its direction (the y of a
 * bottom/top axis, the x of a left axis); `span` is its extent along it; `grid` is the extent of
 * grid lines across the plot.
 */
export function Axis({
  orient,
  ticks: rawTicks,
  at,
  span,
  grid,
  label,
  labelOffset,
}: {
  orient: "bottom" | "top" | "left";
  ticks: readonly Tick[];
  at: number;
  span: readonly [number, number];
  grid?: readonly [number, number];
  label?: string;
  /** Distance from the axis to its title; defaults fit one line of tick labels. */
  labelOffset?: number;
}) {
  // 0.1px is finer than any screen; full float precision only bloats the markup.
  const ticks = rawTicks.map((t) => ({ ...t, pos: Math.round(t.pos * 10) / 10 }));
  const horizontal = orient !== "left";
  const dir = orient === "top" ? -1 : 1;
  const lines = (t: Tick) => (typeof t.label === "string" ? [t.label] : t.label);
  const maxLines = Math.max(1, ...ticks.map((t) => lines(t).length));
  const offset =
    labelOffset ??
    (horizontal ? TICK_LEN + 14 + maxLines * LINE_GAP : axisTickWidth(ticks.map((t) => lines(t).join(" "))) + 14);

  return (
    <g aria-hidden="true" fontSize={FONT.tick}>
      {grid &&
        ticks.map((t) => (
          <line
            key={`g${t.value}`}
            {...(horizontal ? { x1: t.pos, x2: t.pos, y1: grid[0], y2: grid[1] } : { x1: grid[0], x2: grid[1], y1: t.pos, y2: t.pos })}
            style={{ stroke: INK.border, strokeDasharray: t.special ? "3 3" : undefined }}
            shapeRendering="crispEdges"
          />
        ))}
      {horizontal && (
        <line x1={span[0]} x2={span[1]} y1={at} y2={at} style={{ stroke: INK.muted, strokeOpacity: 0.5 }} shapeRendering="crispEdges" />
      )}
      {ticks.map((t) =>
        horizontal ? (
          <g key={`t${t.value}`}>
            <line x1={t.pos} x2={t.pos} y1={at} y2={at + dir * TICK_LEN} style={{ stroke: INK.muted, strokeOpacity: 0.5 }} />
            <text
              x={t.pos}
              y={orient === "top" ? at - TICK_LEN - 5 - (lines(t).length - 1) * LINE_GAP : at + TICK_LEN + 12}
              textAnchor="middle"
              style={{ fill: INK.muted, fontStyle: t.special ? "italic" : undefined }}
            >
              {lines(t).map((line, i) => (
                <tspan key={i} x={t.pos} dy={i === 0 ? 0 : LINE_GAP} style={i > 0 ? { fill: INK.muted, opacity: 0.75 } : undefined}>
                  {line}
                </tspan>
              ))}
            </text>
          </g>
        ) : (
          <text key={`t${t.value}`} x={at - 8} y={t.pos + 4} textAnchor="end" style={{ fill: INK.muted }}>
            {lines(t).join(" ")}
          </text>
        ),
      )}
      {label &&
        (horizontal ? (
          <text x={(span[0] + span[1]) / 2} y={at + dir * offset + (orient === "top" ? 0 : 4)} textAnchor="middle" fontSize={FONT.label} style={{ fill: INK.text, opacity: 0.85 }}>
            {label}
          </text>
        ) : (
          <text
            transform={`translate(${at - offset} ${(span[0] + span[1]) / 2}) rotate(-90)`}
            textAnchor="middle"
            fontSize={FONT.label}
            style={{ fill: INK.text, opacity: 0.85 }}
          >
            {label}
          </text>
        ))}
    </g>
  );
}

/** Width the tick labels of a left axis take, so charts can size their left margin. */
export function axisTickWidth(labels: readonly string[]): number {
  return Math.max(0, ...labels.map((l) => textWidth(l, FONT.tick))) + 8;
}

/** Default tick text: as many decimals as the tick step needs, no float noise. */
export function formatTick(value: number, decimals: number): string {
  const s = value.toFixed(decimals);
  return s === "-0" ? "0" : s;
}

/** Tooltip text for a data value: four significant digits (1183, 0.8345, 12.35), no float noise. */
export function formatValue(value: number): string {
  return String(Number(value.toPrecision(4)));
}
