/**
 * What every protocol must do the same way, against its mock server over HTTP: retries that
 * honour Retry-After, no retries for bad keys or exhausted quota, malformed answers, timeouts,
 * refused connections, the caller's abort, and rate limits that make calls wait.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createServer } from "node:net";
import { ProviderError, type ProviderKind } from "@/lib/providers/types";
import { startMockProvider, GOOD_ANSWER, type MockServer } from "@/tests/support/mock-providers";
import { request, testClient } from "@/tests/support/provider-client";

const KINDS: Array<{ kind: ProviderKind; label: string }> = [
  { kind: "openai", label: "OpenAI" },
  { kind: "openai-responses", label: "OpenAI" },
  { kind: "anthropic", label: "Anthropic" },
  { kind: "gemini", label: "Gemini" },
  { kind: "openai-compatible", label: "OpenAI-compatible" },
];

async function rejection(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ProviderError, `expected a ProviderError, got ${String(err)}`);
    return err;
  }
  assert.fail("expected the call to fail");
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

for (const { kind, label } of KINDS) {
  describe(`${kind} over the wire`, () => {
    let mock: MockServer;
    before(async () => {
      mock = await startMockProvider(kind, { failures: 1, slowMs: 2000 });
    });
    after(() => mock.close());
    const callsFor = (model: string) => mock.calls.filter((c) => c.model === model);

    it("answers mock-good with the prose and the script", async () => {
      const res = await testClient(kind, mock.url).chat("mock-good", request());
      assert.equal(res.text, GOOD_ANSWER);
      assert.ok(res.usage.latencyMs >= 0);
      assert.equal(callsFor("mock-good").at(-1)!.auth, "ok");
    });

    it("retries a 429 after the provider's Retry-After (1 s), then succeeds", async () => {
      const t0 = Date.now();
      const res = await testClient(kind, mock.url).chat("mock-429", request());
      assert.equal(res.text, GOOD_ANSWER);
      assert.equal(callsFor("mock-429").length, 2);
      assert.deepEqual(callsFor("mock-429").map((c) => c.status), [429, 200]);
      assert.ok(Date.now() - t0 >= 950, `waited only ${Date.now() - t0} ms`);
    });

    it("retries a 500 and an overload with backoff", async () => {
      const client = testClient(kind, mock.url);
      assert.equal((await client.chat("mock-500", request())).text, GOOD_ANSWER);
      assert.equal(callsFor("mock-500").length, 2);
      assert.equal((await client.chat("mock-overloaded", request())).text, GOOD_ANSWER);
      assert.deepEqual(callsFor("mock-overloaded").map((c) => c.status), [kind === "anthropic" ? 529 : 503, 200]);
    });

    it("fails at once, readably, on exhausted quota", async () => {
      const err = await rejection(testClient(kind, mock.url).chat("mock-quota", request()));
      assert.equal(err.code, "quota_exhausted");
      assert.equal(err.retryable, false);
      assert.match(err.message, new RegExp(`^${label}: quota or credit exhausted`));
      assert.equal(callsFor("mock-quota").length, 1);
    });

    it("fails at once on a bad key, without quoting it", async () => {
      const err = await rejection(testClient(kind, mock.url, { apiKey: "bad" }).chat("mock-good", request()));
      assert.equal(err.code, "invalid_key");
      assert.equal(err.message, `${label}: invalid API key (${kind === "gemini" ? 400 : 401})`);
      assert.equal(mock.calls.filter((c) => c.auth === "bad").length, 1);
      const byModel = await rejection(testClient(kind, mock.url).chat("mock-badkey", request()));
      assert.equal(byModel.code, "invalid_key");
    });

    it("reports a malformed answer after a bounded number of retries", async () => {
      const err = await rejection(testClient(kind, mock.url).chat("mock-malformed", request()));
      assert.equal(err.code, "malformed_response");
      assert.match(err.message, new RegExp(`^${label}: malformed response`));
      assert.equal(callsFor("mock-malformed").length, 3); // first try + maxMalformedRetries (2)
    });

    it("times out a slow answer per attempt and retries it", async () => {
      const t0 = Date.now();
      const err = await rejection(testClient(kind, mock.url, { retry: { maxAttempts: 2 } }).chat("mock-slow", request({ timeoutSec: 0.2 })));
      assert.equal(err.code, "timeout");
      assert.match(err.message, /no answer within 0.2 s/);
      assert.equal(callsFor("mock-slow").length, 2);
      assert.ok(Date.now() - t0 < 1500);
    });

    it("stops at once when the caller aborts, without retrying", async () => {
      const before = callsFor("mock-slow").length;
      const ctl = new AbortController();
      setTimeout(() => ctl.abort(), 100);
      await assert.rejects(testClient(kind, mock.url).chat("mock-slow", { ...request(), signal: ctl.signal }), { name: "AbortError" });
      assert.equal(callsFor("mock-slow").length, before + 1);
    });

    it("names an unknown model as a bad request, quoting the provider", async () => {
      const err = await rejection(testClient(kind, mock.url).chat("no-such-model", request()));
      assert.equal(err.code, "bad_request");
      assert.equal(err.status, 404);
      assert.match(err.message, /no-such-model/);
    });

    it("retries a refused connection as a network error", async () => {
      const url = `http://127.0.0.1:${await closedPort()}${kind.startsWith("openai") ? "/v1" : ""}`;
      const err = await rejection(testClient(kind, url, { retry: { maxAttempts: 2 } }).chat("mock-good", request()));
      assert.equal(err.code, "network");
      assert.match(err.message, /ECONNREFUSED/);
    });

    it("spaces calls to the account's requests-per-minute budget", async () => {
      const { memoryRateLimiter } = await import("@/lib/providers/call-budget");
      const client = testClient(kind, mock.url, { limiter: memoryRateLimiter({ windowMs: 600 }), limits: { rpm: 2, tpm: 0 } });
      const t0 = Date.now();
      for (let i = 0; i < 3; i++) await client.chat("mock-good", request());
      // Two fit in the window at once; the third waits for a refill (600 ms / 2).
      assert.ok(Date.now() - t0 >= 280, `three calls took ${Date.now() - t0} ms`);
    });
  });
}
