/**
 * The request path's hot statements (lib/db `hotStatement` / `runHot`) on real PostgreSQL: they
 * run on the pool Prisma uses, without Prisma's client, as named (prepared) statements, and must
 * read what Prisma reads. Timestamps are the trap: Prisma stores `DateTime` as a zone-less UTC
 * `timestamp(3)` and node-postgres would read one in the process's local time, so this file runs
 * in a time zone nine hours from UTC and compares instants to the millisecond.
 */
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");
// Before anything reads a date: Node takes TZ changes at run time.
process.env.TZ = "Asia/Tokyo";
// A web process's deadline, short, for the last test.
process.env.ARENA_WEB_TIER = "1";
process.env.WEB_DB_TIMEOUT_MS = "1000";

const { db, disconnectDb, hotStatement, runHot } = await import("@/lib/db");
const { isDatabaseUnavailable } = await import("@/lib/db/unavailable");

const P = "hst";

describe("hot statements", () => {
  after(async () => {
    await db().$executeRaw`DELETE FROM "User" WHERE id LIKE ${`${P}%`}`;
    await disconnectDb();
  });

  test("the process really runs away from UTC (else the timestamp check below proves nothing)", () => {
    assert.equal(new Date(Date.UTC(2026, 0, 1)).getHours(), 9);
  });

  test("timestamps, JSON, booleans and NULLs read as Prisma reads them", async () => {
    const createdAt = new Date(Date.UTC(2026, 11, 6, 23, 59, 58, 123)); // a day apart in Tokyo
    await db().user.create({ data: { id: `${P}u1`, email: `${P}u1@example.test`, createdAt } });
    const viaPrisma = await db().user.findUniqueOrThrow({ where: { id: `${P}u1` }, select: { createdAt: true, emailVerified: true } });
    const read = hotStatement<{ createdAt: Date; verified: Date | null; j: { a: number[] }; yes: boolean }>(
      "test-read-user",
      `SELECT "createdAt", "emailVerified" AS "verified", '{"a":[1,2]}'::jsonb AS "j", true AS "yes" FROM "User" WHERE "id" = $1`,
    );
    const [row] = await runHot(read, [`${P}u1`]);
    assert.ok(row);
    assert.ok(row.createdAt instanceof Date);
    assert.equal(row.createdAt.getTime(), createdAt.getTime());
    assert.equal(row.createdAt.getTime(), viaPrisma.createdAt.getTime());
    assert.equal(row.verified, null);
    assert.deepEqual(row.j, { a: [1, 2] });
    assert.equal(row.yes, true);
    assert.deepEqual(await runHot(read, [`${P}nobody`]), []);
  });

  test("a timestamp written by a hot statement from an ISO string is the same instant for Prisma", async () => {
    const when = new Date(Date.UTC(2026, 5, 30, 15, 0, 0, 7));
    const write = hotStatement<{ id: string }>(
      "test-write-user",
      `INSERT INTO "User" ("id", "email", "createdAt") VALUES ($1, $2, $3::timestamp(3)) RETURNING "id"`,
    );
    await runHot(write, [`${P}u2`, `${P}u2@example.test`, when.toISOString()]);
    const back = await db().user.findUniqueOrThrow({ where: { id: `${P}u2` }, select: { createdAt: true } });
    assert.equal(back.createdAt.getTime(), when.getTime());
  });

  test("they are prepared on the server under their own name", async () => {
    // Any connection that ran this statement has it prepared, so it finds itself.
    const self = hotStatement<{ name: string }>("test-prepared-self", `SELECT "name" FROM pg_prepared_statements WHERE "name" = $1`);
    for (let i = 0; i < 3; i++) assert.deepEqual(await runHot(self, ["arena-test-prepared-self"]), [{ name: "arena-test-prepared-self" }]);
  });

  test("a name is defined once: the same SQL again is fine, other SQL or a bad name is refused", () => {
    hotStatement("test-twice", "SELECT 1");
    assert.doesNotThrow(() => hotStatement("test-twice", "SELECT 1"));
    assert.throws(() => hotStatement("test-twice", "SELECT 2"), /defined twice/);
    assert.throws(() => hotStatement("Bad Name; DROP", "SELECT 1"), /lower case/);
  });

  test("a statement over the deadline fails as 'database unavailable' (the routes' 503), not as a bug", async () => {
    const slow = hotStatement<{ x: number }>("test-slow", `SELECT 1 AS "x" FROM pg_sleep($1::float8)`);
    const started = Date.now();
    const err = await runHot(slow, [6]).then(
      () => null,
      (e: unknown) => e,
    );
    assert.ok(err, "the statement should have been stopped at the deadline");
    assert.ok(Date.now() - started < 4500, `took ${Date.now() - started} ms`);
    assert.equal(isDatabaseUnavailable(err), true, String(err));
  });
});
