import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_SCOPE, ZScopeQuery, describeScope, isMaintained, maintainedScopes, parseScopeKey, scopeFromQuery, scopeKey } from "@/lib/ratings/scope";
import { hrefFor, parseView } from "@/components/leaderboard/leaderboard-url";

describe("rating scopes", () => {
  it("keeps the original keys for the default scopes", () => {
    assert.equal(scopeKey(DEFAULT_SCOPE), "all");
    assert.equal(scopeKey({ ...DEFAULT_SCOPE, track: "text" }), "track:text");
    assert.deepEqual(parseScopeKey("all"), DEFAULT_SCOPE);
    assert.deepEqual(parseScopeKey("track:image"), { ...DEFAULT_SCOPE, track: "image" });
  });

  it("round-trips every maintained scope through its key, and keys are unique", () => {
    const scopes = maintainedScopes(["Furniture", "kitchen", "not;a tag"]);
    // 3 tracks x (default, signed-in, flagged, style, 2 valid tags); the tag with ";" is left out.
    assert.equal(scopes.length, 18);
    const keys = scopes.map(scopeKey);
    assert.equal(new Set(keys).size, keys.length);
    for (const s of scopes) {
      assert.deepEqual(parseScopeKey(scopeKey(s)), s);
      assert.ok(isMaintained(s));
    }
    assert.ok(keys.includes("track:text;tag:furniture"));
    assert.ok(keys.includes("style:control"));
  });

  it("rejects unknown parts and refuses combined variants", () => {
    assert.throws(() => parseScopeKey("track:audio"));
    assert.throws(() => parseScopeKey("colour:red"));
    assert.equal(isMaintained({ ...DEFAULT_SCOPE, tag: "furniture", style: true }), false);
    assert.equal(ZScopeQuery.safeParse({ tag: "a;b" }).success, false);
    assert.deepEqual(scopeFromQuery(ZScopeQuery.parse({ track: "text", style: "on" })), { ...DEFAULT_SCOPE, track: "text", style: true });
  });

  it("describes scopes for people", () => {
    assert.equal(describeScope({ ...DEFAULT_SCOPE, track: "image", tag: "decor" }), "Image → 3D, categories tagged “decor”");
  });
});

describe("leaderboard URLs", () => {
  it("parse and build the page state, with defaults left out", () => {
    const { view, invalid } = parseView({ track: "text", sort: "chamfer" });
    assert.deepEqual(invalid, []);
    assert.equal(view.dir, "asc", "Chamfer sorts lower-first by default");
    assert.equal(hrefFor(view, {}), "/leaderboard?track=text&sort=chamfer");
    assert.equal(hrefFor(view, { sort: "elo" }), "/leaderboard?track=text");
    assert.equal(hrefFor(view, { dir: "desc" }), "/leaderboard?track=text&sort=chamfer&dir=desc");
    assert.equal(hrefFor(view, { track: "all", style: true }), "/leaderboard?style=on&sort=chamfer");
  });

  it("falls back to the default view on bad values instead of failing, and names each one", () => {
    const { view, invalid } = parseView({ track: "audio", sort: "nonsense" });
    assert.deepEqual(invalid, ["track", "sort"]);
    assert.deepEqual(view, { scope: DEFAULT_SCOPE, sort: "elo", dir: "desc" });
    assert.deepEqual(parseView({ track: "text", dir: "sideways" }).invalid, ["dir"]);
    assert.deepEqual(parseView({ voters: "bots", tag: "" }).invalid.includes("voters"), true);
  });
});
