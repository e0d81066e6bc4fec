/**
 * Row ids for the rows the vote path inserts with one SQL statement of its own (battles.ts), where
 * Prisma's `@default(cuid())` (filled in by the client, not the database) does not run. Same shape
 * as those ids, so nothing downstream can tell them apart: 25 lowercase base-36 characters
 * starting with "c" (the id routes accept, lib/api/params.ts, and the keyset order of the export
 * only needs them unique). Made of the time, a per-process counter and 62 random bits: unique
 * across processes without coordination.
 */
import { randomBytes } from "node:crypto";

let counter = 0;

export function newRowId(): string {
  counter = (counter + 1) % 36 ** 4;
  const time = Date.now().toString(36).padStart(8, "0").slice(-8);
  const random = randomBytes(8).readBigUInt64BE().toString(36).padStart(13, "0").slice(-12);
  return `c${time}${counter.toString(36).padStart(4, "0")}${random}`;
}
