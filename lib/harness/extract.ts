/**
 * Code extraction from a model's answer (docs/benchmark.md §6). Two rule sets, picked by the prompt
 * set (lib/harness/prompt-set.ts):
 *   - arena: drop every line starting with ```; if the rest does not parse, trim leading/trailing
 *     lines (up to 60 in total, smallest total first) until it parses to at least one statement;
 *     an empty answer is a parse failure.
 *   - benchmark: Python's splitlines(); drop only bare, `python` or `py` fence lines; trim up to 60
 *     lines on each side; a candidate that parses counts even with comments only; the script keeps
 *     a final newline only if the answer had one. An empty answer is reported as such (the caller
 *     stops there).
 */
import { benchmarkCodeLines, BENCHMARK_TRIM_PER_SIDE, emitBenchmarkCode, pyStrip } from "./benchmark-rules";
import type { RuleSet } from "./prompt-set";
import { pythonSyntax, SyntaxCheckError, type SyntaxChecker } from "./syntax";

/** docs/benchmark.md §6. */
export const MAX_TRIM_LINES = 60;

export type Extraction =
  | { ok: true; code: string; trimmedLead: number; trimmedTrail: number }
  | { ok: false; reason: string; empty?: boolean };

const FENCE = /^\s*```/;

export function dropFenceLines(answer: string): string[] {
  return answer.split(/\r?\n/).filter((l) => !FENCE.test(l));
}

async function search(checker: SyntaxChecker, lines: string[], maxTrim: number, mode: RuleSet) {
  try {
    return { found: await checker.firstParsing(lines, maxTrim, mode) };
  } catch (err) {
    if (err instanceof SyntaxCheckError) return { error: err.message };
    throw err;
  }
}

export async function extractCode(answer: string, checker: SyntaxChecker = pythonSyntax(), rules: RuleSet = "arena"): Promise<Extraction> {
  if (rules === "benchmark") return extractBenchmark(answer, checker);
  const lines = dropFenceLines(answer);
  if (lines.every((l) => l.trim() === "")) return { ok: false, reason: "empty answer", empty: true };
  const res = await search(checker, lines, MAX_TRIM_LINES, "arena");
  if ("error" in res) return { ok: false, reason: res.error! };
  const found = res.found;
  if (!found) return { ok: false, reason: `no parseable Python, even with up to ${MAX_TRIM_LINES} lines trimmed` };
  const code = lines.slice(found.lead, lines.length - found.trail).join("\n");
  return { ok: true, code: code.endsWith("\n") ? code : `${code}\n`, trimmedLead: found.lead, trimmedTrail: found.trail };
}

async function extractBenchmark(answer: string, checker: SyntaxChecker): Promise<Extraction> {
  if (pyStrip(answer) === "") return { ok: false, reason: "empty response", empty: true };
  const lines = benchmarkCodeLines(answer);
  // Fence lines only: the rest is an empty module, which parses.
  if (pyStrip(lines.join("\n")) === "") return { ok: true, code: emitBenchmarkCode(lines.join("\n"), answer), trimmedLead: 0, trimmedTrail: 0 };
  const res = await search(checker, lines, BENCHMARK_TRIM_PER_SIDE, "benchmark");
  if ("error" in res) return { ok: false, reason: res.error! };
  const found = res.found;
  if (!found) return { ok: false, reason: `no parseable Python, even with up to ${BENCHMARK_TRIM_PER_SIDE} lines trimmed on each side` };
  const code = lines.slice(found.lead, lines.length - found.trail).join("\n");
  return { ok: true, code: emitBenchmarkCode(code, answer), trimmedLead: found.lead, trimmedTrail: found.trail };
}
