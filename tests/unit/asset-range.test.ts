/** Range headers on the asset routes (lib/storage/respond.ts): one range served, anything else whole or 416. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseRange } from "@/lib/storage/respond";

test("a single byte range is parsed against the asset's size", () => {
  assert.deepEqual(parseRange("bytes=0-99", 1000), { start: 0, end: 99 });
  assert.deepEqual(parseRange("bytes=900-", 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange("bytes=-100", 1000), { start: 900, end: 999 });
  assert.deepEqual(parseRange("bytes=-5000", 1000), { start: 0, end: 999 }, "a suffix longer than the asset is the whole asset");
  assert.deepEqual(parseRange("bytes=990-5000", 1000), { start: 990, end: 999 }, "an end past the asset is clamped");
});

test("no range, several ranges or malformed headers mean the whole asset", () => {
  for (const h of [null, "", "bytes=", "bytes=-", "items=0-5", "bytes=0-1,5-6", "bytes=a-b", "bytes= 0-5x", "bytes=0x10-20"]) {
    assert.equal(parseRange(h, 1000), null, String(h));
  }
});

test("a range past the end, or an empty one, is unsatisfiable (416)", () => {
  assert.equal(parseRange("bytes=1000-", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=99999999999999999999-", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=-0", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=50-10", 1000), "unsatisfiable");
  assert.equal(parseRange("bytes=0-", 0), "unsatisfiable");
});
