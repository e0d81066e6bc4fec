/**
 * The 3DCodeBench prompt set's rules for what happens around a model's answer (docs/benchmark.md
 * §6, "Prompt sets"): how its lines are split and fence lines dropped, how the extracted code is
 * emitted, how a previous attempt's error is cut for the feedback, and how the feedback template is
 * filled. Written from the benchmark's documented behaviour (/work/notes: benchmark-facts §8), not
 * from its code. Pure functions: the loader (benchmark-prompts.ts) and the harness use them.
 */

/**
 * Python's str.splitlines(): \r\n, \n, \r, \v, \f, \x1c, \x1d, \x1e, \x85, \u2028, \u2029 end a
 * line, and a final line break does not open an empty last line.
 */
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

export function pySplitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(PY_LINE_BREAK);
  if (PY_LINE_BREAK.test(text.slice(-1))) lines.pop();
  return lines;
}

/** Python's str.strip() with no argument: also the \x1c–\x1f separators JS's trim() keeps. */
export function pyStrip(text: string): string {
  return text.replace(/^[\s\x1c-\x1f\x85]+|[\s\x1c-\x1f\x85]+$/gu, "");
}

/** Python's str.rstrip() with no argument. */
export function pyRstrip(text: string): string {
  return text.replace(/[\s\x1c-\x1f\x85]+$/u, "");
}

/** Only a bare, `python` or `py` fence line is dropped (case-sensitive): ```Python or ~~~ stay. */
const BENCHMARK_FENCE = /^\s*```(?:python|py)?\s*$/;

export function benchmarkCodeLines(answer: string): string[] {
  return pySplitLines(answer).filter((l) => !BENCHMARK_FENCE.test(l));
}

/** Up to 60 lines cut on each side (120 in total), smallest total first, fewer leading lines first. */
export const BENCHMARK_TRIM_PER_SIDE = 60;

/**
 * The emitted script: leading blank lines removed, and one final newline only when the answer
 * ended with one. An empty script (an answer of fence lines only parses as an empty module) is
 * stored as a single newline so it still counts as code and runs, as there, to ERR_NO_MESH.
 */
export function emitBenchmarkCode(candidate: string, answer: string): string {
  let s = candidate.replace(/^\n+/, "");
  if (answer.endsWith("\n") && !s.endsWith("\n")) s += "\n";
  return s === "" ? "\n" : s;
}

/** Feedback error cut: 3,000 characters kept whole; longer, the first 2,100 and the last 820. */
export const BENCHMARK_ERROR_HEAD = 2_100;
export const BENCHMARK_ERROR_TAIL = 820;
const BENCHMARK_ERROR_KEEP = 3_000;
/** What the template gets when the previous run left no error text. */
export const BENCHMARK_NO_ERROR_TEXT = "(render_log.json had no error / stderr field)";

export function benchmarkErrorText(text: string | null | undefined): string {
  if (!text) return BENCHMARK_NO_ERROR_TEXT;
  const t = pyRstrip(text);
  if (t.length <= BENCHMARK_ERROR_KEEP) return t;
  const cut = t.length - BENCHMARK_ERROR_HEAD - BENCHMARK_ERROR_TAIL;
  return `${t.slice(0, BENCHMARK_ERROR_HEAD)}\n\n... [truncated ${cut} chars] ...\n\n${t.slice(t.length - BENCHMARK_ERROR_TAIL)}`;
}

/** Every placeholder the benchmark's feedback template is filled with (Python str.format names). */
export const FEEDBACK_FIELDS = [
  "original_task_block",
  "prev_code",
  "status",
  "n_meshes",
  "n_views_rendered",
  "attempt_num",
  "max_attempts",
  "error_text",
] as const;
export type FeedbackField = (typeof FEEDBACK_FIELDS)[number];

export class TemplateError extends Error {}

type Piece = { text: string } | { field: FeedbackField };

/**
 * Parses a str.format template once: `{{`/`}}` are literal braces, `{name}` a field. Anything
 * str.format would treat differently (a format spec, a conversion, an index, an unknown name, a
 * lone brace) is refused, so what we send is what the benchmark's runner would have sent.
 */
export function parseFeedbackTemplate(template: string): Piece[] {
  const pieces: Piece[] = [];
  let text = "";
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (c === "{" && template[i + 1] === "{") {
      text += "{";
      i++;
    } else if (c === "}" && template[i + 1] === "}") {
      text += "}";
      i++;
    } else if (c === "{") {
      const end = template.indexOf("}", i);
      if (end < 0) throw new TemplateError(`unclosed "{" at character ${i}`);
      const name = template.slice(i + 1, end);
      if (!(FEEDBACK_FIELDS as readonly string[]).includes(name)) {
        throw new TemplateError(`unknown placeholder {${name}} (known: ${FEEDBACK_FIELDS.join(", ")})`);
      }
      if (text) pieces.push({ text });
      text = "";
      pieces.push({ field: name as FeedbackField });
      i = end;
    } else if (c === "}") {
      throw new TemplateError(`single "}" at character ${i}`);
    } else {
      text += c;
    }
  }
  if (text) pieces.push({ text });
  return pieces;
}

export function fillFeedbackTemplate(pieces: Piece[], values: Record<FeedbackField, string | number>): string {
  return pieces.map((p) => ("text" in p ? p.text : String(values[p.field]))).join("");
}

/** The reference views as the benchmark names them in the feedback (its images folder, sorted). */
export const BENCHMARK_VIEW_NAMES = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"];

/** `{original_task_block}` of the image track: the text part, then the attached images' names. */
export function imageTaskBlock(text: string, imageNames: string[]): string {
  const out = pyStrip(text);
  return imageNames.length ? `${out}\n\n(Reference images attached below: ${imageNames.join(", ")})` : out;
}

/** Heading between the system prompt and the API reference ("with API reference" variant). */
export const API_REFERENCE_HEADING = "# === Auxiliary Blender 5.0 API reference (read before emitting code) ===";

export function withApiReference(system: string, reference: string): string {
  return `${pyRstrip(system)}\n\n${API_REFERENCE_HEADING}\n\n${pyRstrip(reference)}\n`;
}
