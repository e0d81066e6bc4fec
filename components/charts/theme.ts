/**
 * Colours and text metrics shared by the SVG charts. Theme colours go through the CSS variables
 * app/globals.css defines, with the same hex as fallback, so a chart looks right even where the
 * stylesheet is missing (RSS readers, saved pages, tests that render markup only).
 */
export const INK = {
  bg: "var(--color-arena-bg, #0b0d12)",
  panel: "var(--color-arena-panel, #141821)",
  raised: "var(--color-arena-raised, #1b2030)",
  border: "var(--color-arena-border, #262c3a)",
  muted: "var(--color-arena-muted, #8b93a7)",
  text: "var(--color-arena-text, #e6e8ee)",
  accent: "var(--color-arena-accent, #6ea8fe)",
  warn: "var(--color-arena-warn, #fbbf24)",
} as const;

/** Hex values for the cases that need real numbers (contrast maths in the heatmap). */
export const HEX = { bg: "#0b0d12", panel: "#141821", text: "#e6e8ee" } as const;

/**
 * Series colours, most distinct first, all light enough to read as thin lines on the dark panel.
 * Adjacent entries differ in hue by a wide margin so the first few series never look alike.
 */
export const PALETTE = [
  "#6ea8fe", // blue (the arena accent)
  "#fb923c", // orange
  "#4ade80", // green
  "#f472b6", // pink
  "#facc15", // yellow
  "#a78bfa", // violet
  "#22d3ee", // cyan
  "#f87171", // red
  "#a3e635", // lime
  "#cbd5e1", // slate
] as const;

export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/**
 * Text sizes in SVG units. Charts are drawn at their natural size and never scaled below
 * MIN_CHART_SCALE of it (chart-frame.tsx), so the smallest text is at least 11 CSS px on screen.
 */
export const FONT = { tick: 13, label: 14, small: 12 } as const;
export const MIN_CHART_SCALE = 11 / FONT.small;

/**
 * Rough rendered width of `text` in px for a system sans-serif. SVG on the server cannot measure
 * text, and layout only needs to be close: margins and label collisions, not typesetting.
 */
export function textWidth(text: string, fontSize: number): number {
  let units = 0;
  for (const ch of text) {
    if (/[ilj.,:;'|!()[\]\s]/.test(ch)) units += 0.3;
    else if (/[mwMW@%—]/.test(ch)) units += 0.85;
    else if (/[A-Z0-9$#]/.test(ch)) units += 0.64;
    else units += 0.54;
  }
  return units * fontSize;
}

/** Cuts `text` with an ellipsis so it fits `maxWidth`; the full text stays in a <title>. */
export function truncate(text: string, fontSize: number, maxWidth: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let cut = text;
  while (cut.length > 1 && textWidth(`${cut}…`, fontSize) > maxWidth) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** A DOM id derived from the chart's test id: unique per chart without React hooks. */
export function chartId(testId: string, part: string): string {
  return `chart-${testId.replace(/[^a-zA-Z0-9_-]/g, "_")}-${part}`;
}
