/**
 * RFC 4180 CSV encoding: CRLF line ends, a field is quoted only when it holds a comma, quote, CR or
 * LF, and inner quotes are doubled. null/undefined become an empty field, booleans true/false.
 * Columns are passed in (not discovered from the row) so the header and every line share one order.
 */
export type CsvValue = string | number | boolean | null | undefined;

const NEEDS_QUOTES = /[",\r\n]/;

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  const s = typeof value === "string" ? value : String(value);
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvHeader(columns: readonly string[]): string {
  return columns.map(csvField).join(",") + "\r\n";
}

export function csvLine<C extends string>(columns: readonly C[], row: { readonly [K in C]: CsvValue }): string {
  let out = "";
  for (let i = 0; i < columns.length; i++) out += (i ? "," : "") + csvField(row[columns[i]!]);
  return out + "\r\n";
}
