/**
 * The voter's revealed outputs (prisma/migrations/20261209010000_revealed_outputs): the migration
 * fills them from the votes already cast, the trigger keeps them for every vote inserted after,
 * whoever inserts it, and they stay exactly "both outputs of each battle the voter voted on".
 * Runs in a database of its own, migrated in two steps around the new migration.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate, readMigrations } from "@/lib/db/migrate";
import { requireEnv } from "../support/env";

const DATABASE = "arena_revealed_outputs";
const MIGRATION = "20261209010000_revealed_outputs";
const baseUrl = new URL(requireEnv("DATABASE_URL"));
const url = Object.assign(new URL(baseUrl), { pathname: `/${DATABASE}` }).toString();
const migrations = path.join(process.cwd(), "prisma/migrations");

let c: pg.Client;

async function admin(sql: string): Promise<void> {
  const a = new pg.Client({ connectionString: baseUrl.toString() });
  await a.connect();
  try {
    await a.query(sql);
  } finally {
    await a.end();
  }
}

async function revealed(voterId: string): Promise<string[]> {
  const { rows } = await c.query<{ generationId: string }>(`SELECT "generationId" FROM "RevealedOutput" WHERE "voterId" = $1 ORDER BY 1`, [voterId]);
  return rows.map((r) => r.generationId);
}

async function battle(id: string, voter: string, a: string, b: string): Promise<void> {
  await c.query(
    `INSERT INTO "Battle" ("id", "track", "categoryId", "generationAId", "generationBId", "voterId", "tokenHash", "expiresAt")
     VALUES ($1, 'text', 'cat', $2, $3, $4, $1 || '-token', now() + interval '1 hour')`,
    [id, a, b, voter],
  );
}

async function vote(id: string, battleId: string, voter: string): Promise<void> {
  await c.query(`INSERT INTO "Vote" ("id", "battleId", "outcome", "voterId") VALUES ($1, $2, 'a', $3)`, [id, battleId, voter]);
}

before(async () => {
  await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
  await admin(`CREATE DATABASE "${DATABASE}"`);
  // Every migration before this one, from a copy of them.
  const earlier = await mkdtemp(path.join(tmpdir(), "arena-migrations-"));
  try {
    for (const m of await readMigrations(migrations)) {
      if (m.name >= MIGRATION) break;
      await cp(path.join(migrations, m.name), path.join(earlier, m.name), { recursive: true });
    }
    await migrate(url, earlier);
  } finally {
    await rm(earlier, { recursive: true, force: true });
  }
  c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO "User" ("id", "anonymous") VALUES ('alice', true), ('bob', true)`);
  await c.query(`INSERT INTO "Sweep" ("id", "name", "config") VALUES ('sweep', 'sweep', '{}')`);
  await c.query(
    `INSERT INTO "Contestant" ("id", "slug", "displayName", "organisation", "kind", "provider", "providerModelId", "harness", "updatedAt")
     SELECT 'con' || k, 'con' || k, 'Con ' || k, 'Org', 'llm', 'openai', 'm' || k, 'single-shot', now() FROM generate_series(1, 4) k`,
  );
  await c.query(
    `INSERT INTO "Category" ("id", "instanceId", "name", "setName", "description", "instruction", "referenceScript", "contentHash", "updatedAt")
     VALUES ('cat', 'Cat_seed0', 'Cat', 'set', 'd', 'i', '', 'h', now())`,
  );
  await c.query(
    `INSERT INTO "Generation" ("id", "contestantId", "categoryId", "track", "sweepId", "updatedAt")
     SELECT 'gen' || k, 'con' || k, 'cat', 'text', 'sweep', now() FROM generate_series(1, 4) k`,
  );
});

after(async () => {
  await c?.end();
  await admin(`DROP DATABASE IF EXISTS "${DATABASE}" WITH (FORCE)`);
});

test("the migration fills the set from the votes already cast, and only from them", async () => {
  await battle("b1", "alice", "gen1", "gen2");
  await vote("v1", "b1", "alice");
  await battle("b2", "alice", "gen2", "gen3");
  await vote("v2", "b2", "alice");
  // Served to Bob, never voted on: still blind for him.
  await battle("b3", "bob", "gen1", "gen4");

  const { applied } = await migrate(url, migrations);
  assert.deepEqual(applied, [MIGRATION]);
  assert.deepEqual(await revealed("alice"), ["gen1", "gen2", "gen3"], "each output once, however many votes showed it");
  assert.deepEqual(await revealed("bob"), []);
});

test("every vote inserted afterwards adds its battle's outputs for the voter it was served to", async () => {
  await vote("v3", "b3", "bob");
  assert.deepEqual(await revealed("bob"), ["gen1", "gen4"]);
  // Outputs already in the set: nothing added, nothing refused.
  await battle("b4", "alice", "gen3", "gen1");
  await vote("v4", "b4", "alice");
  assert.deepEqual(await revealed("alice"), ["gen1", "gen2", "gen3"]);
  // A vote that is refused (a second one on the same battle) reveals nothing new.
  await assert.rejects(vote("v5", "b3", "alice"), /Vote_battleId_key/);
  assert.deepEqual(await revealed("alice"), ["gen1", "gen2", "gen3"]);
});

test("what was shown stays shown after the vote is gone; the voter's rows go with the voter", async () => {
  await c.query(`DELETE FROM "Vote" WHERE "id" = 'v3'`);
  assert.deepEqual(await revealed("bob"), ["gen1", "gen4"], "a deleted vote does not make the outputs blind again");
  await c.query(`DELETE FROM "Battle" WHERE "voterId" = 'bob'`);
  await c.query(`DELETE FROM "User" WHERE "id" = 'bob'`);
  assert.deepEqual(await revealed("bob"), []);
});
