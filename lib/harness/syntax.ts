/**
 * Syntax checks with Python's own parser. Model code is hostile: it is only ever handed to
 * `ast.parse` here (which builds a tree and runs nothing); execution happens in the Blender sandbox.
 * All trim candidates of one answer are tried inside one short-lived `python3` process, so a
 * 60-line trim search (1,891 candidates) costs one spawn, not thousands.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { basicsEnv } from "@/lib/env";

/** Where the first parsing candidate starts and ends: lines[lead .. lines.length - trail). */
export interface TrimResult {
  lead: number;
  trail: number;
}

export interface SyntaxChecker {
  /**
   * Tries lines with 0..maxTrim lines cut in total, smallest total first and, for equal totals,
   * fewer leading lines first; returns the first candidate that parses to at least one statement.
   */
  firstParsing(lines: string[], maxTrim: number, mode?: TrimMode): Promise<TrimResult | null>;
}

/**
 * How the search runs. arena (default): `maxTrim` lines in total, at least one statement.
 * benchmark (docs/benchmark.md §6, "Prompt sets"): up to `maxTrim` lines on each side, same order
 * (smallest total first, fewer leading lines first), a candidate that is blank after Python's
 * strip() is skipped, and any candidate that parses counts (comments only included).
 */
export type TrimMode = "arena" | "benchmark";

export class SyntaxCheckError extends Error {}

// Reads {"lines": [...], "max_trim": n, "prune": bool, "mode": "arena" | "benchmark"} on stdin, prints {"lead": a, "trail": b} or
// {"lead": null}. A module with no statements (blank or comments only) does not count as code.
//
// Pruning (exact, not a heuristic): CPython's parser reports a syntax error at the furthest token it
// fetched, so a line-prefix of a failing candidate that still holds the error line and one more
// line presents the parser with the same tokens up to the error and fails too. For each number of
// leading lines cut we remember the shortest end that is known to fail and skip the longer ones;
// a mid-file error in a 1,800-line answer then costs ~61 parses instead of 1,891.
const PY_SEARCH = String.raw`
import ast, json, sys
req = json.loads(sys.stdin.read())
lines, max_trim, prune = req["lines"], req["max_trim"], req.get("prune", True)
per_side = req.get("mode") == "benchmark"
n = len(lines)
fails_from = {}
def attempt(lead, end):
    text = "\n".join(lines[lead:end])
    if per_side and text.strip() == "":
        return False
    try:
        body = ast.parse(text, "<answer>", "exec").body
        return per_side or len(body) > 0
    except SyntaxError as e:
        last = max(e.lineno or 0, getattr(e, "end_lineno", None) or 0)
        if prune and last > 0:
            fails_from[lead] = min(fails_from.get(lead, n + 1), lead + last + 1)
        return False
    except (ValueError, RecursionError, MemoryError, OverflowError):
        return False
found = None
for total in range(0, (2 * max_trim if per_side else max_trim) + 1):
    for lead in range(0, (min(total, max_trim) if per_side else total) + 1):
        if total - lead > max_trim:
            continue
        end = n - (total - lead)
        if end <= lead or end >= fails_from.get(lead, n + 1):
            continue
        if attempt(lead, end):
            found = {"lead": lead, "trail": n - end}
            break
    if found is not None:
        break
sys.stdout.write(json.dumps(found if found is not None else {"lead": None}))
`;

/** Answers larger than this are not code we would run anyway. */
const MAX_INPUT_CHARS = 2_000_000;

export interface PythonSyntaxOptions {
  /** Interpreter; default: the Blender venv's python3 (same grammar as Blender 5.0), else python3. */
  python?: string;
  timeoutMs?: number;
  /** Tests compare against the unpruned search. */
  prune?: boolean;
}

export function defaultPython(): string {
  const venv = basicsEnv().BLENDER_VENV;
  return venv ? path.join(venv, "bin", "python3") : "python3";
}

export function pythonSyntaxChecker(opts: PythonSyntaxOptions = {}): SyntaxChecker {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  return {
    async firstParsing(lines, maxTrim, mode = "arena") {
      const input = JSON.stringify({ lines, max_trim: maxTrim, prune: opts.prune ?? true, mode });
      if (input.length > MAX_INPUT_CHARS) throw new SyntaxCheckError(`answer too large to check (${input.length} characters)`);
      const out = await runPython(opts.python ?? defaultPython(), input, timeoutMs);
      const parsed = JSON.parse(out) as { lead: number | null; trail?: number };
      return parsed.lead === null ? null : { lead: parsed.lead, trail: parsed.trail ?? 0 };
    },
  };
}

function runPython(python: string, input: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    // -I: isolated (no user site, no PYTHON* env, no cwd on sys.path); minimal env.
    const child = spawn(python, ["-I", "-c", PY_SEARCH], {
      stdio: ["pipe", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", LANG: "C.UTF-8" } as unknown as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new SyntaxCheckError(`syntax check timed out after ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d.slice(0, 2_000)));
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(new SyntaxCheckError(`cannot start ${python} for the syntax check: ${err.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new SyntaxCheckError(`syntax check exited with ${code}: ${stderr.trim().split("\n").pop() ?? ""}`));
    });
    child.stdin.on("error", () => undefined); // the child may die before reading everything
    child.stdin.end(input);
  });
}

let shared: SyntaxChecker | null = null;

export function pythonSyntax(): SyntaxChecker {
  shared ??= pythonSyntaxChecker();
  return shared;
}
