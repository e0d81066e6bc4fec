/**
 * A small dependency-free Python highlighter for generated Blender scripts (the admin console and
 * the voter's read-only code view): keywords, builtins, strings, comments, numbers and decorators.
 * Works in server components (no client JS).
 */
import type { ReactNode } from "react";

const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case".split(" "),
);
const BUILTINS = new Set("print range len int float str list dict tuple set enumerate zip min max abs sum round isinstance super self bpy bmesh mathutils math".split(" "));

// Order matters: comments and strings first so keywords inside them are not coloured.
const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|[rbfu]{0,2}"(?:\\.|[^"\\\n])*"|[rbfu]{0,2}'(?:\\.|[^'\\\n])*')|(@[A-Za-z_][\w.]*)|(\b\d+(?:\.\d*)?(?:e[+-]?\d+)?\b)|([A-Za-z_]\w*)/gi;

const COLOUR = {
  comment: "text-arena-muted italic",
  string: "text-emerald-300",
  decorator: "text-amber-300",
  number: "text-orange-300",
  keyword: "text-violet-300",
  builtin: "text-sky-300",
} as const;

export function highlightPython(code: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  for (const m of code.matchAll(TOKEN)) {
    const i = m.index ?? 0;
    if (i > last) out.push(code.slice(last, i));
    const [text, comment, str, deco, num, word] = m;
    let kind: keyof typeof COLOUR | null = null;
    if (comment) kind = "comment";
    else if (str) kind = "string";
    else if (deco) kind = "decorator";
    else if (num) kind = "number";
    else if (word && KEYWORDS.has(word)) kind = "keyword";
    else if (word && BUILTINS.has(word)) kind = "builtin";
    out.push(
      kind ? (
        <span key={k++} className={COLOUR[kind]} data-token={kind}>
          {text}
        </span>
      ) : (
        text
      ),
    );
    last = i + text.length;
  }
  if (last < code.length) out.push(code.slice(last));
  return out;
}

/** `wrap`: long lines wrap (a page of its own, phones) instead of scrolling inside a capped box. */
export function PythonCode({ code, testId, wrap = false }: { code: string; testId?: string; wrap?: boolean }) {
  return (
    <pre
      className={`rounded-lg border border-arena-border bg-arena-bg p-3 font-mono text-xs leading-relaxed ${
        wrap ? "break-words whitespace-pre-wrap sm:text-[13px]" : "max-h-[32rem] overflow-auto"
      }`}
      data-testid={testId}
      data-lang="python"
    >
      <code data-testid={testId ? `${testId}-source` : undefined}>{highlightPython(code)}</code>
    </pre>
  );
}
