/**
 * `npm run users` against the real test database: what each command prints, its exit codes for
 * usage errors and unknown accounts, and that its changes are what the web app reads.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");
const { db, disconnectDb } = await import("@/lib/db");

after(disconnectDb);

function users(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/users.ts", ...args], { encoding: "utf8", env: { ...process.env, NEXTAUTH_URL: "https://arena.example.org" } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("promote, list, revoke, block, unblock and link an account", async () => {
  const email = "cli-user@example.test";
  await db().user.create({ data: { email } });
  const promoted = users("promote", email.toUpperCase(), "maintainer");
  assert.equal(promoted.code, 0, promoted.err);
  assert.match(promoted.out, /cli-user@example\.test: voter → maintainer/);
  assert.match(promoted.out, /not verified/, "promoting an unverified address warns");
  const listed = users("list", "--role", "maintainer");
  assert.match(listed.out, /^email\s+role\s+verified\s+blocked\s+created$/m);
  assert.match(listed.out, /cli-user@example\.test\s+maintainer\s+no\s+no\s+\d{4}-\d\d-\d\d/);
  assert.equal((await db().user.findUniqueOrThrow({ where: { email } })).role, "maintainer");

  assert.equal(users("revoke", email).code, 0);
  assert.match(users("block", email).out, /blocked and signed out/);
  assert.match(users("block", email).out, /already blocked/);
  const row = await db().user.findUniqueOrThrow({ where: { email } });
  assert.ok(row.blockedAt);
  assert.equal(row.sessionVersion, 2, "revoke and block each end every session");
  assert.match(users("unblock", email).out, /unblocked/);

  const link = users("link", email);
  assert.equal(link.code, 0, link.err);
  const url = new URL(/https:\/\/\S+/.exec(link.out)![0]);
  assert.equal(url.origin + url.pathname, "https://arena.example.org/verify");
  assert.match(url.searchParams.get("token") ?? "", /^[\w-]{43}$/);
  assert.equal(await db().verificationToken.count({ where: { identifier: `verify-email:${email}` } }), 1, "stored as a hash, one per address");
  const stored = await db().verificationToken.findFirstOrThrow({ where: { identifier: `verify-email:${email}` } });
  assert.notEqual(stored.token, url.searchParams.get("token"));
  users("link", email);
  assert.equal(await db().verificationToken.count({ where: { identifier: `verify-email:${email}` } }), 1, "a new link replaces the old one");
});

test("usage errors exit 2 with the usage; unknown accounts exit 1 with one line", () => {
  for (const args of [[], ["frob"], ["promote", "x@example.test", "root"], ["list", "--role", "king"], ["block"]]) {
    const r = users(...args);
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, /usage: npm run users/);
  }
  const missing = users("promote", "nobody@example.test", "admin");
  assert.equal(missing.code, 1);
  assert.equal(missing.err.trim(), "No account with the email nobody@example.test.");
});
