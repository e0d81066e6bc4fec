/**
 * Code extraction from a model's answer, exactly as docs/benchmark.md §6: drop Markdown fence lines;
 * if the rest does not parse, trim leading/trailing lines (up to 60, smallest total trim first)
 * until it parses; an empty answer is a parse failure.
 */
import { pythonSyntax, SyntaxCheckError, type SyntaxChecker } from "./syntax";

/** docs/benchmark.md §6. */
export const MAX_TRIM_LINES = 60;

export type Extraction =
  | { ok: true; code: string; trimmedLead: number; trimmedTrail: number }
  | { ok: false; reason: string };

const FENCE = /^\s*```/;

export function dropFenceLines(answer: string): string[] {
  return answer.split(/\r?\n/).filter((l) => !FENCE.test(l));
}

export async function extractCode(answer: string, checker: SyntaxChecker = pythonSyntax()): Promise<Extraction> {
  const lines = dropFenceLines(answer);
  if (lines.every((l) => l.trim() === "")) return { ok: false, reason: "empty answer" };
  let found;
  try {
    found = await checker.firstParsing(lines, MAX_TRIM_LINES);
  } catch (err) {
    if (err instanceof SyntaxCheckError) return { ok: false, reason: err.message };
    throw err;
  }
  if (!found) return { ok: false, reason: `no parseable Python, even with up to ${MAX_TRIM_LINES} lines trimmed` };
  const code = lines.slice(found.lead, lines.length - found.trail).join("\n");
  return { ok: true, code: code.endsWith("\n") ? code : `${code}\n`, trimmedLead: found.lead, trimmedTrail: found.trail };
}
