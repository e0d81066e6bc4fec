/**
 * Calendar-aligned ticks for a time axis, all in UTC (the server renders the page, and a chart that
 * changed with the reader's time zone would disagree with the "Updated" stamp). The step is the
 * smallest of minutes/hours/days/weeks/months/years that keeps about `maxCount` ticks, and labels
 * have two lines: the unit that changes every tick, then the larger unit where it changes.
 */
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// 1970-01-01 was a Thursday; weeks start on Monday, four days later.
const MONDAY_OFFSET = 4 * DAY;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

type Step = { unit: "ms"; ms: number; offset?: number } | { unit: "month"; months: number };

const STEPS: Step[] = [
  ...[1, 5, 15, 30].map((m): Step => ({ unit: "ms", ms: m * MINUTE })),
  ...[1, 3, 6, 12].map((h): Step => ({ unit: "ms", ms: h * HOUR })),
  { unit: "ms", ms: DAY },
  { unit: "ms", ms: 2 * DAY },
  { unit: "ms", ms: 7 * DAY, offset: MONDAY_OFFSET },
  ...[1, 3, 6, 12, 24, 60, 120].map((n): Step => ({ unit: "month", months: n })),
];

export interface TimeTick {
  value: number;
  label: string[];
}

export function timeTicks(t0: number, t1: number, maxCount = 7): TimeTick[] {
  if (!Number.isFinite(t0) || !Number.isFinite(t1) || t1 < t0) return [];
  const span = Math.max(t1 - t0, MINUTE);
  const step = STEPS.find((s) => span / stepMs(s) <= maxCount) ?? STEPS.at(-1)!;
  const values: number[] = [];
  if (step.unit === "ms") {
    const offset = step.offset ?? 0;
    for (let t = Math.ceil((t0 - offset) / step.ms) * step.ms + offset; t <= t1; t += step.ms) values.push(t);
  } else {
    const start = new Date(t0);
    // First month boundary at or after t0 that is a multiple of the step (Jan, Apr, Jul, Oct…).
    let index = start.getUTCFullYear() * 12 + start.getUTCMonth();
    if (Date.UTC(Math.floor(index / 12), index % 12) < t0) index++;
    index = Math.ceil(index / step.months) * step.months;
    for (let t = monthStart(index); t <= t1; index += step.months, t = monthStart(index)) values.push(t);
  }
  const granularity = step.unit === "month" ? (step.months >= 12 ? "year" : "month") : step.ms < DAY ? "time" : "day";
  return values.map((value, i) => ({ value, label: tickLabel(value, i === 0 ? undefined : values[i - 1], granularity) }));
}

/** "Nov 24 2025 21:00 UTC": the full stamp for tooltips. */
export function formatUtc(t: number): string {
  const d = new Date(t);
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()} ${hhmm(d)} UTC`;
}

function tickLabel(t: number, previous: number | undefined, granularity: "time" | "day" | "month" | "year"): string[] {
  const d = new Date(t);
  const p = previous === undefined ? undefined : new Date(previous);
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const year = String(d.getUTCFullYear());
  const yearChanged = !p || p.getUTCFullYear() !== d.getUTCFullYear();
  switch (granularity) {
    case "time":
      return !p || p.toISOString().slice(0, 10) !== d.toISOString().slice(0, 10) ? [hhmm(d), day] : [hhmm(d)];
    case "day":
      return yearChanged ? [day, year] : [day];
    case "month":
      return yearChanged ? [MONTHS[d.getUTCMonth()]!, year] : [MONTHS[d.getUTCMonth()]!];
    case "year":
      return [year];
  }
}

function stepMs(step: Step): number {
  return step.unit === "ms" ? step.ms : step.months * 30.44 * DAY;
}

function monthStart(index: number): number {
  return Date.UTC(Math.floor(index / 12), index % 12);
}

function hhmm(d: Date): string {
  return `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")}`;
}
