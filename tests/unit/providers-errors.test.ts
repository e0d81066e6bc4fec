/**
 * Classification of provider failures and the retry policy, on the cases the mocks do not cover:
 * Retry-After forms, Gemini's RetryInfo, key masking, jitter bounds, and what is never retried.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyHttpError, redact, retryAfterSec } from "@/lib/providers/errors";
import { backoffMs, withRetry } from "@/lib/providers/retry";
import { ProviderError } from "@/lib/providers/types";

const json = (o: unknown) => JSON.stringify(o);

describe("classifyHttpError", () => {
  it("maps statuses and bodies to codes", () => {
    const c = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      classifyHttpError("Test", status, new Headers(headers), typeof body === "string" ? body : json(body), null);
    assert.equal(c(401, {}).code, "invalid_key");
    assert.equal(c(403, {}).code, "invalid_key");
    assert.equal(c(400, { error: { message: "API key not valid. Please pass a valid API key." } }).code, "invalid_key");
    assert.equal(c(429, { error: { code: "insufficient_quota", message: "You exceeded your current quota" } }).code, "quota_exhausted");
    assert.equal(c(400, { error: { message: "Your credit balance is too low" } }).code, "quota_exhausted");
    assert.equal(c(429, { error: { message: "slow down" } }).code, "rate_limited");
    assert.equal(c(529, { error: { type: "overloaded_error" } }).code, "overloaded");
    assert.equal(c(503, "Service Unavailable").code, "overloaded");
    assert.equal(c(502, "<html>Bad gateway</html>").code, "server_error");
    assert.equal(c(408, "").code, "timeout");
    const bad = c(400, { error: { message: "max_tokens: must be at most 8192" } });
    assert.equal(bad.code, "bad_request");
    assert.equal(bad.retryable, false);
    assert.equal(bad.message, "Test: request rejected (400): max_tokens: must be at most 8192");
  });

  it("tells Gemini's per-minute limit (with RetryInfo) from a billing stop", () => {
    const body = (details: object[]) => json({ error: { code: 429, message: "You exceeded your current quota, please check your plan and billing details.", details } });
    const limited = classifyHttpError("Gemini", 429, new Headers(), body([{ "@type": "type.googleapis.com/google.rpc.RetryInfo", retryDelay: "17s" }]), null);
    assert.equal(limited.code, "rate_limited");
    assert.equal(limited.retryAfterSec, 17);
    assert.equal(classifyHttpError("Gemini", 429, new Headers(), body([]), null).code, "quota_exhausted");
  });

  it("reads Retry-After as seconds, HTTP date or retry-after-ms", () => {
    assert.equal(retryAfterSec(new Headers({ "retry-after": "7" })), 7);
    assert.equal(retryAfterSec(new Headers({ "retry-after-ms": "1500", "retry-after": "9" })), 1.5);
    const inTen = new Date(Date.now() + 10_000).toUTCString();
    const s = retryAfterSec(new Headers({ "retry-after": inTen }))!;
    assert.ok(s > 8 && s <= 10, String(s));
    assert.equal(retryAfterSec(new Headers()), undefined);
  });

  it("never repeats a key in a message", () => {
    const err = classifyHttpError("OpenAI", 400, new Headers(), json({ error: { message: "key sk-proj-abcdef123456 and my-secret-key rejected" } }), "my-secret-key");
    assert.equal(err.message, "OpenAI: request rejected (400): key [redacted] and [redacted] rejected");
    assert.equal(redact("AIzaSyA1234567890abcdefgh", null), "[redacted]");
  });
});

describe("retry policy", () => {
  const limited = (after?: number) => new ProviderError("rate_limited", "x", true, 429, after);

  it("backs off exponentially with equal jitter, capped, and obeys Retry-After", () => {
    const o = { baseMs: 1000, capMs: 60_000 };
    assert.equal(backoffMs(1, limited(), o, () => 0), 500);
    assert.equal(backoffMs(1, limited(), o, () => 1), 1000);
    assert.equal(backoffMs(4, limited(), o, () => 1), 8000);
    assert.equal(backoffMs(20, limited(), o, () => 1), 60_000);
    assert.equal(backoffMs(20, limited(), o, () => 0), 30_000);
    assert.equal(backoffMs(1, limited(90), o, () => 0), 90_000);
  });

  it("gives up after maxAttempts and does not retry final errors", async () => {
    let n = 0;
    await assert.rejects(withRetry(async () => { n++; throw limited(); }, { baseMs: 1, capMs: 2, maxAttempts: 3 }), { code: "rate_limited" });
    assert.equal(n, 3);
    n = 0;
    await assert.rejects(withRetry(async () => { n++; throw new ProviderError("invalid_key", "x", false); }, { baseMs: 1 }), { code: "invalid_key" });
    assert.equal(n, 1);
    n = 0;
    await assert.rejects(withRetry(async () => { n++; throw new TypeError("a bug"); }, { baseMs: 1 }), TypeError);
    assert.equal(n, 1);
  });

  it("stops waiting when aborted", async () => {
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 30);
    const t0 = Date.now();
    await assert.rejects(withRetry(async () => { throw limited(60); }, { signal: ctl.signal }), { name: "AbortError" });
    assert.ok(Date.now() - t0 < 1000);
  });
});
