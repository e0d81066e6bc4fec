/** Encryption of stored keys (no database needed; the store itself is tested in integration). */
import assert from "node:assert/strict";
import { it } from "node:test";
import { last4, openKey, sealKey } from "@/lib/providers/key-crypto";

const SECRET = "test-secret-test-secret-test-secret-0123456789";
const KEY = "sk-proj-0123456789abcdefWXYZ";

it("round-trips with a fresh IV every time and hides the plaintext", () => {
  const a = sealKey("openai", KEY, SECRET);
  const b = sealKey("openai", KEY, SECRET);
  assert.notEqual(a.iv, b.iv);
  assert.notEqual(a.ciphertext, b.ciphertext);
  assert.ok(!JSON.stringify(a).includes("WXYZ"));
  assert.equal(openKey("openai", a, SECRET), KEY);
  assert.equal(Buffer.from(a.iv, "base64").length, 12);
  assert.equal(Buffer.from(a.tag, "base64").length, 16);
});

it("fails readably under another AUTH_SECRET, another name or a tampered ciphertext", () => {
  const sealed = sealKey("openai", KEY, SECRET);
  const wrongSecret = /cannot be decrypted: AUTH_SECRET changed/;
  assert.throws(() => openKey("openai", sealed, `${SECRET}-rotated`), wrongSecret);
  assert.throws(() => openKey("anthropic", sealed, SECRET), wrongSecret);
  const flipped = Buffer.from(sealed.ciphertext, "base64");
  flipped[0]! ^= 1;
  assert.throws(() => openKey("openai", { ...sealed, ciphertext: flipped.toString("base64") }, SECRET), (err: Error) => !err.message.includes(KEY));
});

it("shows only the last four characters", () => {
  assert.equal(last4(KEY), "WXYZ");
});
