/**
 * The pure rules behind accounts: safe post-sign-in redirects, which OAuth emails count as
 * proven, and password hashing (OWASP parameters, old hashes still verify and ask for an upgrade,
 * tampered parameters refused, unknown accounts cost the same).
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes, scryptSync } from "node:crypto";
import { safeAuthRedirect, safeCallbackPath } from "@/lib/auth/safe-redirect";
import { verifiedOAuthEmail } from "@/lib/auth/oauth-email";
import { burnPasswordCheck, hashPassword, verifyPassword } from "@/lib/auth/password";
import { signinErrorMessage } from "@/lib/auth/signin-errors";

describe("callback URLs", () => {
  test("only paths on this site survive", () => {
    for (const evil of [
      "/\\evil.example",
      "/\\/evil.example",
      "//evil.example",
      "///evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "https://evil.example",
      "http:/evil.example",
      "javascript:alert(1)",
      "data:text/html,hi",
      "evil.example",
      "",
      " /admin",
    ]) {
      assert.equal(safeCallbackPath(evil), "/", JSON.stringify(evil));
    }
    assert.equal(safeCallbackPath(["//evil.example", "/admin"]), "/", "the first of repeated parameters is used");
    assert.equal(safeCallbackPath(undefined), "/");
    assert.equal(safeCallbackPath("/admin", "/x"), "/admin");
  });

  test("local paths keep their query and fragment, normalised as a browser would", () => {
    assert.equal(safeCallbackPath("/admin/sweeps/abc?status=failed#top"), "/admin/sweeps/abc?status=failed#top");
    assert.equal(safeCallbackPath("/a/../admin"), "/admin");
    assert.equal(safeCallbackPath("/%5Cevil.example"), "/%5Cevil.example", "still encoded: a path on this site");
    assert.equal(safeCallbackPath("/a\\b"), "/a/b", "a backslash inside a path becomes a slash");
  });

  test("next-auth redirects stay on the base URL", () => {
    const baseUrl = "https://arena.example";
    assert.equal(safeAuthRedirect({ url: "/moderation", baseUrl }), "https://arena.example/moderation");
    assert.equal(safeAuthRedirect({ url: "https://arena.example/admin?x=1", baseUrl }), "https://arena.example/admin?x=1");
    assert.equal(safeAuthRedirect({ url: "https://evil.example/admin", baseUrl }), baseUrl);
    assert.equal(safeAuthRedirect({ url: "https://arena.example.evil.example/", baseUrl }), baseUrl);
    assert.equal(safeAuthRedirect({ url: "/\\evil.example", baseUrl }), "https://arena.example/");
    assert.equal(safeAuthRedirect({ url: "//evil.example", baseUrl }), "https://arena.example/");
    assert.equal(safeAuthRedirect({ url: "javascript:alert(1)", baseUrl }), baseUrl);
  });
});

describe("OAuth emails", () => {
  const gh = (emails: { email: string; primary: boolean; verified: boolean }[]) =>
    verifiedOAuthEmail({ provider: "github", email: "Boss@Example.org", profile: { email: "boss@example.org" }, githubEmails: emails });

  test("GitHub: the primary address must be verified and be the account's", () => {
    assert.equal(gh([{ email: "boss@example.org", primary: true, verified: true }]), "boss@example.org");
    assert.equal(gh([{ email: "boss@example.org", primary: true, verified: false }]), null, "unverified primary");
    assert.equal(gh([{ email: "boss@example.org", primary: false, verified: true }, { email: "other@example.org", primary: true, verified: true }]), null, "verified but not primary");
    assert.equal(gh([]), null, "the emails API said nothing");
    assert.equal(verifiedOAuthEmail({ provider: "github", email: "boss@example.org", profile: { email: "boss@example.org" }, githubEmails: null }), null, "the emails API failed");
  });

  test("Google: email_verified must be true for this very address", () => {
    const g = (profile: Record<string, unknown>) => verifiedOAuthEmail({ provider: "google", email: "boss@example.org", profile });
    assert.equal(g({ email: "boss@example.org", email_verified: true }), "boss@example.org");
    assert.equal(g({ email: "boss@example.org", email_verified: false }), null);
    assert.equal(g({ email: "boss@example.org", email_verified: "true" }), null, "only the boolean counts");
    assert.equal(g({ email: "boss@example.org" }), null);
    assert.equal(g({ email: "other@example.org", email_verified: true }), null);
  });

  test("other providers and missing emails prove nothing", () => {
    assert.equal(verifiedOAuthEmail({ provider: "twitter", email: "a@b.c", profile: { email: "a@b.c", email_verified: true } }), null);
    assert.equal(verifiedOAuthEmail({ provider: "google", email: null, profile: { email_verified: true } }), null);
  });
});

describe("passwords", () => {
  test("new hashes use OWASP's minimum scrypt parameters, stored in the hash", async () => {
    const h = await hashPassword("correct horse battery");
    assert.match(h, /^scrypt\$ln=17,r=8,p=1\$[\w-]{22}\$[\w-]{43}$/);
    assert.deepEqual(await verifyPassword("correct horse battery", h), { ok: true, rehash: false });
    assert.deepEqual(await verifyPassword("correct horse batterz", h), { ok: false, rehash: false });
    assert.notEqual(await hashPassword("correct horse battery"), h, "salted");
  });

  test("hashes from before (N=2^14, scrypt$salt$key) verify and ask to be upgraded", async () => {
    const salt = randomBytes(16);
    const legacy = `scrypt$${salt.toString("base64url")}$${scryptSync("old password", salt, 32).toString("base64url")}`;
    assert.deepEqual(await verifyPassword("old password", legacy), { ok: true, rehash: true });
    assert.deepEqual(await verifyPassword("wrong", legacy), { ok: false, rehash: false });
  });

  test("missing or tampered hashes never verify", async () => {
    const good = await hashPassword("pw-12345678");
    const [, , salt, key] = good.split("$");
    for (const bad of [null, "", "bcrypt$x$y", `scrypt$ln=30,r=8,p=1$${salt}$${key}`, `scrypt$ln=17,r=99,p=1$${salt}$${key}`, `scrypt$ln=17$${salt}$${key}`, `scrypt$ln=17,r=8,p=1$${salt}$`]) {
      assert.equal((await verifyPassword("pw-12345678", bad)).ok, false, String(bad));
    }
  });

  test("checking an unknown account costs as much as a wrong password", async () => {
    const h = await hashPassword("pw-12345678");
    // Medians of three: the machine is shared, single timings wander.
    const time = async (fn: () => Promise<unknown>) => {
      const runs = [];
      for (let k = 0; k < 3; k++) {
        const t = performance.now();
        await fn();
        runs.push(performance.now() - t);
      }
      return runs.sort((a, b) => a - b)[1]!;
    };
    const wrong = await time(() => verifyPassword("nope-nope", h));
    const missing = await time(() => verifyPassword("nope-nope", null));
    const burn = await time(() => burnPasswordCheck("nope-nope"));
    // The property that matters: an unknown account is not answered fast (a skipped hash takes
    // microseconds; a real one hundreds of milliseconds).
    for (const t of [missing, burn]) assert.ok(t > wrong * 0.4 && t < wrong * 3, `wrong ${wrong.toFixed(0)} ms vs ${t.toFixed(0)} ms`);
  });
});

test("sign-in errors read as sentences", () => {
  assert.equal(signinErrorMessage("CredentialsSignin"), "Wrong email or password.");
  assert.match(signinErrorMessage("throttled:61"), /Try again in 2 minutes/);
  assert.match(signinErrorMessage("blocked"), /blocked/);
});
