/**
 * Reading the judge's answer. The answer is untrusted text: it is parsed from memory with a size
 * cap, and anything that is not a verdict in the vocabulary (docs/benchmark-compat §8) is recorded
 * as invalid with the reason, never mapped to the nearest verdict.
 */
import type { Verdict } from "./types";

/** A verdict and a few sentences fit in far less; a longer answer is not following the format. */
export const MAX_ANSWER_CHARS = 16_000;
/** What is kept of an answer as evidence. */
export const RAW_ANSWER_KEEP = 4_000;
const MAX_REASONING_CHARS = 2_000;

const VERDICTS = new Set<string>(["a", "b", "tie", "both_bad"]);

export type ParsedAnswer = { ok: true; verdict: Verdict; reasoning: string } | { ok: false; reason: string };

function objectFrom(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseJudgeAnswer(answer: string): ParsedAnswer {
  if (answer.length > MAX_ANSWER_CHARS) return { ok: false, reason: `answer too long (${answer.length} characters, at most ${MAX_ANSWER_CHARS})` };
  let text = answer.trim();
  if (text === "") return { ok: false, reason: "empty answer" };
  // One fence around the whole answer (```json ... ```) is a formatting habit, not a different answer.
  const fenced = /^```[a-zA-Z]*\s*\n([\s\S]*?)\n?```$/.exec(text);
  if (fenced) text = fenced[1]!.trim();
  let obj = objectFrom(text);
  if (obj === undefined) {
    // A sentence around a single object: take the span from the first "{" to the last "}". Two
    // objects (or broken JSON) do not parse as one and stay invalid.
    const start = text.indexOf("{");
    const end = text.lastIndexOf("}");
    if (start >= 0 && end > start) obj = objectFrom(text.slice(start, end + 1));
  }
  if (obj === undefined) return { ok: false, reason: "not JSON" };
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return { ok: false, reason: "JSON but not an object" };
  const winner = (obj as Record<string, unknown>).winner;
  if (typeof winner !== "string") return { ok: false, reason: 'no "winner" string' };
  const w = winner.trim().toLowerCase();
  if (!VERDICTS.has(w)) return { ok: false, reason: `winner "${winner.slice(0, 40)}" is not a, b, tie or both_bad` };
  const r = (obj as Record<string, unknown>).reasoning;
  return { ok: true, verdict: w as Verdict, reasoning: typeof r === "string" ? r.slice(0, MAX_REASONING_CHARS) : "" };
}

/** The judge's winner (in the order shown) in the battle's own A/B order. */
export function mapBack(shown: Verdict, swapped: boolean): Verdict {
  if (!swapped) return shown;
  return shown === "a" ? "b" : shown === "b" ? "a" : shown;
}
