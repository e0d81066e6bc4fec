/**
 * What the web tier keeps between ratings snapshots (lib/web/versioned-cache.ts): the version
 * is read at most every checkMs and a change is served from the next check on; maxAgeMs rebuilds
 * anyway; concurrent readers share one check and one rebuild; an invalidate() forces a rebuild
 * and beats a rebuild already running; an error reaches its readers and the next read retries.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { keyedCache, versionedCache } from "@/lib/web/versioned-cache";
import { conditionalJson, noneMatch, renderJson } from "@/lib/api/conditional";

function harness(opts: { checkMs: number; maxAgeMs?: number }) {
  let clock = 0;
  let version = 1;
  let versionReads = 0;
  let loads = 0;
  let fail: Error | null = null;
  let gate: Promise<void> | null = null;
  const cache = versionedCache({
    version: async () => {
      versionReads++;
      if (fail) throw fail;
      return version;
    },
    load: async (v) => {
      loads++;
      if (gate) await gate;
      return `value@${v}#${loads}`;
    },
    checkMs: opts.checkMs,
    maxAgeMs: opts.maxAgeMs,
    now: () => clock,
  });
  return {
    cache,
    tick: (ms: number) => (clock += ms),
    setVersion: (v: number) => (version = v),
    setFail: (e: Error | null) => (fail = e),
    setGate: (g: Promise<void> | null) => (gate = g),
    stats: () => ({ versionReads, loads }),
  };
}

describe("versionedCache", () => {
  it("reads the version at most every checkMs and serves a new version from the next check on", async () => {
    const h = harness({ checkMs: 250 });
    assert.equal(await h.cache.get(), "value@1#1");
    h.setVersion(2);
    h.tick(249);
    assert.equal(await h.cache.get(), "value@1#1", "within the bound: no check");
    assert.deepEqual(h.stats(), { versionReads: 1, loads: 1 });
    h.tick(1);
    assert.equal(await h.cache.get(), "value@2#2", "at the bound: the new version");
    h.tick(300);
    assert.equal(await h.cache.get(), "value@2#2", "same version: no rebuild");
    assert.deepEqual(h.stats(), { versionReads: 3, loads: 2 });
  });

  it("checkMs 0 checks on every read (workers, scripts, tests)", async () => {
    const h = harness({ checkMs: 0 });
    await h.cache.get();
    h.setVersion(5);
    assert.equal(await h.cache.get(), "value@5#2");
    assert.equal(h.stats().versionReads, 2);
  });

  it("rebuilds after maxAgeMs even when the version stays", async () => {
    const h = harness({ checkMs: 100, maxAgeMs: 1000 });
    await h.cache.get();
    h.tick(500);
    await h.cache.get();
    assert.equal(h.stats().loads, 1);
    h.tick(500);
    assert.equal(await h.cache.get(), "value@1#2");
  });

  it("concurrent readers share one check and one rebuild", async () => {
    const h = harness({ checkMs: 100 });
    let open!: () => void;
    h.setGate(new Promise<void>((r) => (open = r)));
    const reads = Array.from({ length: 20 }, () => h.cache.get());
    open();
    assert.deepEqual(new Set(await Promise.all(reads)), new Set(["value@1#1"]));
    assert.deepEqual(h.stats(), { versionReads: 1, loads: 1 });
  });

  it("invalidate() rebuilds on the next read, and a rebuild started before it is not kept", async () => {
    const h = harness({ checkMs: 10_000 });
    await h.cache.get();
    h.cache.invalidate();
    assert.equal(await h.cache.get(), "value@1#2");
    let open!: () => void;
    h.setGate(new Promise<void>((r) => (open = r)));
    h.cache.invalidate();
    const slow = h.cache.get();
    h.cache.invalidate();
    open();
    await slow;
    h.setGate(null);
    assert.equal(await h.cache.get(), "value@1#4", "the read after the second invalidate() rebuilt again");
  });

  it("an error reaches the readers and the next read tries again", async () => {
    const h = harness({ checkMs: 100 });
    await h.cache.get();
    h.tick(100);
    h.setFail(new Error("database paused"));
    await assert.rejects(h.cache.get(), /database paused/);
    h.setFail(null);
    h.setVersion(2);
    assert.equal(await h.cache.get(), "value@2#2");
  });

  it("keyedCache keeps one cache per key and never answers one key with another's value", async () => {
    let made = 0;
    const of = keyedCache((key) => {
      made++;
      return versionedCache({ version: async () => 1, load: async () => `board of ${key}`, checkMs: 1000 });
    });
    assert.equal(await of("track:text").get(), "board of track:text");
    assert.equal(await of("track:image").get(), "board of track:image");
    assert.equal(await of("track:text").get(), "board of track:text");
    assert.equal(made, 2);
  });
});

describe("conditional JSON", () => {
  const rendered = renderJson({ scope: "all", entries: [1, 2, 3] });

  it("has a strong ETag that depends only on the bytes", () => {
    assert.match(rendered.etag, /^"[A-Za-z0-9_-]{32}"$/);
    assert.equal(renderJson({ scope: "all", entries: [1, 2, 3] }).etag, rendered.etag);
    assert.notEqual(renderJson({ scope: "all", entries: [1, 2] }).etag, rendered.etag);
  });

  it("If-None-Match: the current tag (also weak, in a list, or *) matches; another does not", () => {
    assert.equal(noneMatch(rendered.etag, rendered.etag), true);
    assert.equal(noneMatch(`"x", W/${rendered.etag}`, rendered.etag), true);
    assert.equal(noneMatch("*", rendered.etag), true);
    assert.equal(noneMatch('"other"', rendered.etag), false);
    assert.equal(noneMatch(null, rendered.etag), false);
  });

  it("answers 304 without a body to a client holding the bytes, 200 with them otherwise", async () => {
    const cc = "public, max-age=1, must-revalidate";
    const fresh = conditionalJson(new Request("http://x/api/leaderboard"), rendered, cc);
    assert.equal(fresh.status, 200);
    assert.equal(fresh.headers.get("etag"), rendered.etag);
    assert.equal(fresh.headers.get("cache-control"), cc);
    assert.equal(fresh.headers.get("content-type"), "application/json");
    assert.equal(await fresh.text(), rendered.body);
    const again = conditionalJson(new Request("http://x/api/leaderboard", { headers: { "if-none-match": rendered.etag } }), rendered, cc);
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), rendered.etag);
    assert.equal(again.headers.get("cache-control"), cc);
    assert.equal(await again.text(), "");
  });
});
