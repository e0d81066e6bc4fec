/**
 * "Perturbed reference" baseline contestant: the category's own reference script with every
 * float literal scaled by a seeded random factor in [1 - amount, 1 + amount]. It answers "how
 * close does a script that knows the right construction but gets the numbers a bit wrong come
 * to the reference?", an upper anchor opposite the block-out floor.
 *
 * Only float literals in code are touched (a digit sequence with a decimal point); ints,
 * strings, comments, exponents of scientific notation, imaginary literals and anything inside
 * `range(...)` stay byte-identical, so loop counts, socket names and enum strings keep working.
 */

import { mulberry32 } from "@/lib/math/mulberry32";

/** 32-bit FNV-1a over the UTF-8 bytes of the seed string. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const NUMBER = /0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(?:(?:\d[\d_]*)?\.\d[\d_]*|\d[\d_]*\.?)(?:[eE][+-]?\d[\d_]*)?[jJ]?/y;
const STRING_PREFIX = /^(?:r|u|f|b|br|rb|fr|rf)$/i;
const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;

/** Index just past the string literal whose opening quote is at `start`. */
function stringEnd(src: string, start: number): number {
  const quote = src[start]!;
  const triple = src.startsWith(quote.repeat(3), start);
  const closing = triple ? quote.repeat(3) : quote;
  let i = start + closing.length;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "\\") i += 2; // also right for raw strings: \" never closes them
    else if (src.startsWith(closing, i)) return i + closing.length;
    else if (c === "\n" && !triple) return i; // unterminated: stop at the line end
    else i += 1;
  }
  return src.length;
}

/** Shortest readable float text, always with a decimal point or exponent. */
function formatFloat(value: number): string {
  let text = value.toPrecision(6);
  if (/e/i.test(text)) text = value.toFixed(20);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, ".0");
  else text += ".0";
  return text;
}

function perturbLiteral(literal: string, factor: number): string {
  if (/^0[xob]/i.test(literal) || /[jJ]$/.test(literal)) return literal;
  const exponentAt = literal.search(/[eE]/);
  const mantissa = exponentAt < 0 ? literal : literal.slice(0, exponentAt);
  if (!mantissa.includes(".")) return literal; // an int, or an int with only an exponent (1e5)
  const value = Number(mantissa.replace(/_/g, ""));
  const scaled = value * factor;
  if (!Number.isFinite(scaled) || scaled === value) return literal; // 0.0, or amount 0
  return formatFloat(scaled) + (exponentAt < 0 ? "" : literal.slice(exponentAt));
}

/** Copy of `reference` with float literals scaled by seeded factors; deterministic in (reference, seed, amount). */
export function perturbedCode(reference: string, seed: string, amount = 0.15): string {
  const random = mulberry32(fnv1a(seed));
  const src = reference;
  const out: string[] = [];
  const parens: boolean[] = []; // per open "(": was it the call paren of range?
  let previousIdent = ""; // identifier immediately before the current token, if any
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (c === "#") {
      const end = src.indexOf("\n", i);
      const stop = end < 0 ? src.length : end;
      out.push(src.slice(i, stop));
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = stringEnd(src, i);
      out.push(src.slice(i, end));
      i = end;
      previousIdent = "";
      continue;
    }
    if (IDENT_START.test(c)) {
      let end = i + 1;
      while (end < src.length && IDENT_CHAR.test(src[end]!)) end += 1;
      const ident = src.slice(i, end);
      if (STRING_PREFIX.test(ident) && (src[end] === '"' || src[end] === "'")) {
        const stop = stringEnd(src, end);
        out.push(src.slice(i, stop));
        i = stop;
        previousIdent = "";
      } else {
        out.push(ident);
        i = end;
        previousIdent = ident;
      }
      continue;
    }
    if (/\d/.test(c) || (c === "." && /\d/.test(src[i + 1] ?? ""))) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(src)![0];
      const factor = 1 + amount * (2 * random() - 1);
      out.push(parens.includes(true) ? literal : perturbLiteral(literal, factor));
      i += literal.length;
      previousIdent = "";
      continue;
    }
    if (c === "(") parens.push(previousIdent === "range");
    else if (c === ")") parens.pop();
    if (!/\s/.test(c)) previousIdent = "";
    out.push(c);
    i += 1;
  }
  const label = (text: string) => text.replace(/[\r\n]+/g, " ");
  return `# perturbed-reference baseline (seed=${label(seed)}, amount=${amount})\n${out.join("")}`;
}
