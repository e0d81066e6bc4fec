/**
 * A small dependency-free Python highlighter for the admin console: keywords, builtins, strings,
 * comments, numbers and decorators. Works in server components (no client JS).
 */
import type { ReactNode } from "react";

const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case".split(" "),
);
const BUILTINS = new Set("print range len int float str list dict tuple set enumerate zip min max abs sum round isinstance super self bpy bmesh mathutils math".split(" "));

// Order matters: comments and strings first so keywords inside them are not coloured.
const TOKEN = /(#[^\n]*)|("""[\s\S]*?"""|'''[\s\S]*?'''|[rbfu]{0,2}"(?:\\.|[^"\\\n])*"|[rbfu]{0,2}'(?:\\.|[^'\\\n])*')|(@[A-Za-z_][\w.]*)|(\b\d+(?:\.\d*)?(?:e[+-]?\d+)?\b)|([A-Za-z_]\w*)/gi;

export function highlightPython(code: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  let k = 0;
  for (const m of code.matchAll(TOKEN)) {
    const i = m.index ?? 0;
    if (i > last) out.push(code.slice(last, i));
    const [text, comment, str, deco, num, word] = m;
    let cls: string | null = null;
    if (comment) cls = "text-arena-muted italic";
    else if (str) cls = "text-emerald-300";
    else if (deco) cls = "text-amber-300";
    else if (num) cls = "text-orange-300";
    else if (word && KEYWORDS.has(word)) cls = "text-violet-300";
    else if (word && BUILTINS.has(word)) cls = "text-sky-300";
    out.push(cls ? <span key={k++} className={cls}>{text}</span> : text);
    last = i + text.length;
  }
  if (last < code.length) out.push(code.slice(last));
  return out;
}

export function PythonCode({ code, testId }: { code: string; testId?: string }) {
  return (
    <pre className="max-h-[32rem] overflow-auto rounded-lg border border-arena-border bg-arena-bg p-3 font-mono text-xs leading-relaxed" data-testid={testId} data-lang="python">
      <code>{highlightPython(code)}</code>
    </pre>
  );
}
