/**
 * Colour ramps for the heatmap, tuned for the dark panel: the diverging ramp passes through a
 * neutral slightly lighter than the panel (so "even" cells still read as cells), and its ends are
 * red/blue rather than red/green so colour-blind readers see the same split.
 */
type Rgb = readonly [number, number, number];

const RAMPS: Record<"diverging" | "sequential", readonly Rgb[]> = {
  diverging: [hex("#e0505f"), hex("#2a3142"), hex("#4a90f8")],
  sequential: [hex("#1e2536"), hex("#2d5db0"), hex("#9cc8ff")],
};

export interface ColorScale {
  /** Fill colour for a value (clamped to the domain). */
  color: (value: number) => string;
  /** Position of a value on the ramp, 0..1. */
  position: (value: number) => number;
  domain: readonly [number, number];
  center: number;
}

/**
 * Diverging: values below `center` map to the first half of the ramp and values above to the
 * second, each half stretched to its side of the domain, so 0.5 stays neutral even when the
 * domain is lopsided. Sequential: the domain maps linearly onto the whole ramp.
 */
export function colorScale(
  scheme: "diverging" | "sequential",
  values: readonly number[],
  domain?: readonly [number, number],
  center?: number,
): ColorScale {
  const finite = values.filter(Number.isFinite);
  const min = finite.length ? Math.min(...finite) : 0;
  const max = finite.length ? Math.max(...finite) : 1;
  let lo: number;
  let hi: number;
  if (domain) [lo, hi] = domain;
  else if (scheme === "diverging" && center !== undefined) {
    const reach = Math.max(Math.abs(min - center), Math.abs(max - center)) || 1;
    [lo, hi] = [center - reach, center + reach];
  } else if (scheme === "sequential") [lo, hi] = [Math.min(0, min), max];
  else [lo, hi] = [min, max];
  if (hi <= lo) hi = lo + 1;
  const mid = scheme === "diverging" ? Math.min(hi, Math.max(lo, center ?? (lo + hi) / 2)) : (lo + hi) / 2;

  const position = (v: number) => {
    if (scheme === "sequential") return clamp01((v - lo) / (hi - lo));
    if (v <= mid) return mid === lo ? 0.5 : 0.5 * clamp01((v - lo) / (mid - lo));
    return hi === mid ? 0.5 : 0.5 + 0.5 * clamp01((v - mid) / (hi - mid));
  };
  return { color: (v) => toHex(sample(RAMPS[scheme], position(v))), position, domain: [lo, hi], center: mid };
}

/** Colour at 0..1 along a ramp of equally spaced stops (for legend gradients). */
export function rampColor(scheme: "diverging" | "sequential", t: number): string {
  return toHex(sample(RAMPS[scheme], t));
}

/** Light or dark text, whichever has the higher WCAG contrast against `background` (hex). */
export function textOn(background: string, light: string, dark: string): string {
  const l = luminance(hex(background));
  const contrastLight = (luminance(hex(light)) + 0.05) / (l + 0.05);
  const contrastDark = (l + 0.05) / (luminance(hex(dark)) + 0.05);
  return contrastLight >= contrastDark ? light : dark;
}

function sample(stops: readonly Rgb[], t: number): Rgb {
  const x = clamp01(t) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

function hex(value: string): Rgb {
  const n = Number.parseInt(value.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function toHex(rgb: Rgb): string {
  return `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;
}

function clamp01(v: number): number {
  return Math.min(1, Math.max(0, v));
}
