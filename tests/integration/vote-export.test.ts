/**
 * The anonymised vote export on real PostgreSQL: 12,000 fixture votes (more than two default
 * batches) in a window in 2001 that no other suite writes to, exported through the service and the
 * route handler (called directly with a NextRequest, no Next server), in JSONL and CSV.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { NextRequest } from "next/server";
import { requireEnv } from "../support/env";

requireEnv("DATABASE_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { VOTE_EXPORT_COLUMNS } = await import("@/lib/contracts");
const { csvField } = await import("@/lib/battles/csv");
const { DEFAULT_BATCH_SIZE, openVoteExportStream, voteExportBatches, voteExportChunks } = await import("@/lib/battles/vote-export");
const { GET } = await import("@/app/api/votes/export/route");
type Row = import("@/lib/contracts").VoteExportRow;
type Format = import("@/lib/contracts").VoteExportFormat;
type Options = import("@/lib/battles/vote-export").VoteExportOptions;

const P = "vxt"; // prefix of every fixture id, for cleanup and for the leak check
const N = 12_000;
const BASE = Date.UTC(2001, 2, 4, 5, 6, 7);
const WINDOW = { since: new Date("2001-01-01T00:00:00Z"), until: new Date("2002-01-01T00:00:00Z") };
const ODD_NAME = 'Mug, "large"';
const ODD_REASON = 'burst, "too fast"\nsame ip';
const SECRETS = { anon: `${P}useranon`, signed: `${P}usersigned`, email: `${P}-signed@example.test` };

let expected: Row[] = [];
/**
 * Identifying values written for the fixtures that do not share a prefix: none may appear in any
 * export. Battle ids, token hashes and IP hashes are caught by their prefixes (LEAK below).
 */
const secretValues = [SECRETS.anon, SECRETS.signed, SECRETS.email, `${P} Signed Person`];
const LEAK = new RegExp(`${P}(b|token|iphash|user|gen|cat|con|sweep)`);

function pad(n: number, width: number): string {
  return n.toString(36).padStart(width, "0");
}

async function cleanup(): Promise<void> {
  const like = `${P}%`;
  await db().$executeRaw`DELETE FROM "Vote" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Battle" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Generation" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Sweep" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Category" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "Contestant" WHERE id LIKE ${like}`;
  await db().$executeRaw`DELETE FROM "User" WHERE id LIKE ${like}`;
}

before(async () => {
  await cleanup();
  await db().user.createMany({
    data: [
      { id: SECRETS.anon, anonymous: true },
      { id: SECRETS.signed, email: SECRETS.email, name: `${P} Signed Person` },
    ],
  });
  const slugs = [`${P}-alpha`, `${P}-beta`, `${P}-gamma`];
  await db().contestant.createMany({
    data: slugs.map((slug, i) => ({
      id: `${P}con${i}`,
      slug,
      displayName: slug,
      organisation: "test",
      kind: "baseline" as const,
      provider: "baseline",
      providerModelId: slug,
      harness: "baseline",
    })),
  });
  const categories = [
    { id: `${P}cat0`, instanceId: "VxtMug_seed0", name: "VxtMug" },
    { id: `${P}cat1`, instanceId: "VxtOdd_seed0", name: ODD_NAME },
  ];
  await db().category.createMany({
    data: categories.map((c) => ({ ...c, setName: P, description: "d", instruction: "i", referenceScript: "", contentHash: "h" })),
  });
  await db().sweep.create({ data: { id: `${P}sweep`, name: P, config: {} } });
  const tracks = ["text", "image"] as const;
  const genId = (cat: number, track: number, con: number) => `${P}gen${cat}${track}${con}`;
  await db().generation.createMany({
    data: [0, 1].flatMap((cat) =>
      [0, 1].flatMap((track) =>
        [0, 1, 2].map((con) => ({
          id: genId(cat, track, con),
          contestantId: `${P}con${con}`,
          categoryId: categories[cat]!.id,
          track: tracks[track]!,
          sweepId: `${P}sweep`,
          status: "ready" as const,
        })),
      ),
    ),
  });

  const outcomes = ["a", "b", "tie", "both_bad"] as const;
  const battles = [];
  const votes = [];
  for (let i = 1; i <= N; i++) {
    const cat = i % 3 === 0 ? 1 : 0;
    const track = i % 2;
    const [ca, cb] = [i % 3, (i + 1) % 3];
    // Three votes share each millisecond, and ids do not follow i: order must come from (time, id).
    const createdAt = new Date(BASE + Math.floor(i / 3) * 1000);
    const voteId = `${P}v${pad((i * 7919) % 100_003, 5)}`;
    const battleId = `${P}b${pad(i, 5)}`;
    const signed = i % 5 === 0;
    const valid = i % 50 !== 0;
    const reason = valid ? null : i === 50 ? ODD_REASON : "rate_limit";
    const tokenHash = `${P}token${pad(i, 6)}`;
    const ipHash = `${P}iphash${pad(i, 6)}`;
    battles.push({
      id: battleId,
      track: tracks[track]!,
      categoryId: categories[cat]!.id,
      generationAId: genId(cat, track, ca),
      generationBId: genId(cat, track, cb),
      voterId: signed ? SECRETS.signed : SECRETS.anon,
      tokenHash,
      expiresAt: createdAt,
      createdAt,
    });
    const decisionMs = i % 7 === 0 ? null : 1000 + i;
    votes.push({
      id: voteId,
      battleId,
      outcome: outcomes[i % 4]!,
      voterId: signed ? SECRETS.signed : SECRETS.anon,
      voterSignedIn: signed,
      decisionMs,
      ipHash,
      valid,
      invalidReason: reason,
      createdAt,
    });
    expected.push({
      id: voteId,
      created_at: createdAt.toISOString(),
      track: tracks[track]!,
      category: categories[cat]!.instanceId,
      category_name: categories[cat]!.name,
      model_a: slugs[ca]!,
      model_b: slugs[cb]!,
      winner: outcomes[i % 4]!,
      voter_kind: signed ? "signed_in" : "anonymous",
      valid,
      flag_reason: reason,
      decision_ms: decisionMs,
    });
  }
  // Chunked below PostgreSQL's bind-parameter limit, so Prisma does not split them itself.
  for (let i = 0; i < N; i += 2000) await db().battle.createMany({ data: battles.slice(i, i + 2000) });
  for (let i = 0; i < N; i += 2000) await db().vote.createMany({ data: votes.slice(i, i + 2000) });
  expected.sort((x, y) => (x.created_at < y.created_at ? -1 : x.created_at > y.created_at ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
});

after(async () => {
  // Leave the shared test database as we found it (the e2e suite counts votes).
  await cleanup();
  await disconnectDb();
});

async function collect(format: Format, opts: Options): Promise<string> {
  let out = "";
  for await (const chunk of voteExportChunks(format, opts)) out += chunk;
  return out;
}

function parseJsonl(text: string): Row[] {
  assert.ok(text === "" || text.endsWith("\n"), "every JSONL record ends with a newline");
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Row);
}

/** A strict RFC 4180 reader: CRLF records, quoted fields may hold , " CR LF, no bare quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      assert.equal(field, "", `quote inside an unquoted field at ${i}`);
      i++;
      for (;;) {
        assert.ok(i < text.length, "unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      assert.ok(text[i] === "," || text.startsWith("\r\n", i), `quoted field must end at a separator (offset ${i})`);
      continue;
    }
    if (text[i] === ",") {
      row.push(field);
      field = "";
      i++;
    } else if (text.startsWith("\r\n", i)) {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += 2;
    } else {
      assert.ok(text[i] !== "\r" && text[i] !== "\n", `bare line break in an unquoted field at ${i}`);
      field += text[i++];
    }
  }
  assert.deepEqual([row, field], [[], ""], "the last record ends with CRLF");
  return rows;
}

const asCsvStrings = (r: Row) => VOTE_EXPORT_COLUMNS.map((c) => (r[c] === null ? "" : String(r[c])));

test("JSONL: every vote in the window, in (created_at, id) order, with exactly the public columns", async () => {
  const rows = parseJsonl(await collect("jsonl", WINDOW));
  assert.equal(rows.length, N);
  const columns = JSON.stringify(VOTE_EXPORT_COLUMNS);
  for (const r of rows) assert.equal(JSON.stringify(Object.keys(r)), columns);
  assert.deepEqual(rows, expected);
  const odd = rows.find((r) => r.flag_reason === ODD_REASON);
  assert.ok(odd && odd.valid === false);
  assert.ok(rows.some((r) => r.category_name === ODD_NAME));
  assert.ok(rows.some((r) => r.voter_kind === "signed_in") && rows.some((r) => r.voter_kind === "anonymous"));
  assert.ok(rows.some((r) => r.decision_ms === null));
});

test("pagination: batches of the asked size, boundaries inside runs of equal timestamps lose nothing", async () => {
  const sizes: number[] = [];
  const ids: string[] = [];
  for await (const batch of voteExportBatches({ ...WINDOW, batchSize: 1000, onBatch: (n) => sizes.push(n) })) ids.push(...batch.map((r) => r.id));
  assert.deepEqual(sizes, [...Array(12).fill(1000), 0], "12 full batches, then one empty query ends it");
  assert.deepEqual(ids, expected.map((r) => r.id));
  const defaults: number[] = [];
  for await (const _ of voteExportBatches({ ...WINDOW, onBatch: (n) => defaults.push(n) })) void _;
  assert.deepEqual(defaults, [DEFAULT_BATCH_SIZE, DEFAULT_BATCH_SIZE, N - 2 * DEFAULT_BATCH_SIZE]);
});

test("unfiltered export has one row per vote in the database", async () => {
  let count = 0;
  for await (const batch of voteExportBatches()) count += batch.length;
  assert.equal(count, await db().vote.count());
});

test("CSV: header, RFC 4180 quoting, and the same rows as JSONL", async () => {
  const text = await collect("csv", WINDOW);
  const [header, ...records] = parseCsv(text);
  assert.deepEqual(header, [...VOTE_EXPORT_COLUMNS]);
  assert.deepEqual(records, expected.map(asCsvStrings));
  // Quoting exactly where RFC 4180 needs it, inner quotes doubled, nothing else quoted.
  assert.ok(text.includes(`,VxtOdd_seed0,"Mug, ""large""",`));
  assert.ok(text.includes(`,"burst, ""too fast""\nsame ip",`));
  assert.ok(text.includes(`,VxtMug_seed0,VxtMug,`));
  assert.ok(/,anonymous,true,,\d+\r\n/.test(text), "boolean true/false, null as an empty field");
  assert.equal(csvField("a\rb"), '"a\rb"');
  assert.equal(csvField(false), "false");
  assert.equal(csvField(null), "");
  // An empty export still has its header; JSONL is then empty.
  const empty = { since: new Date("1990-01-01T00:00:00Z"), until: new Date("1990-01-02T00:00:00Z") };
  assert.equal(await collect("csv", empty), VOTE_EXPORT_COLUMNS.join(",") + "\r\n");
  assert.equal(await collect("jsonl", empty), "");
});

test("filters: track, valid, since (inclusive) and until (exclusive)", async () => {
  const ids = async (o: Options) => parseJsonl(await collect("jsonl", { ...WINDOW, ...o })).map((r) => r.id);
  const want = (f: (r: Row) => boolean) => expected.filter(f).map((r) => r.id);
  assert.deepEqual(await ids({ track: "text" }), want((r) => r.track === "text"));
  assert.deepEqual(await ids({ track: "image" }), want((r) => r.track === "image"));
  assert.deepEqual(await ids({ valid: true }), want((r) => r.valid));
  assert.deepEqual(await ids({ valid: false }), want((r) => !r.valid));
  const since = new Date(BASE + 1000 * 1000);
  const until = new Date(BASE + 2000 * 1000);
  const inRange = (r: Row) => r.created_at >= since.toISOString() && r.created_at < until.toISOString();
  const ranged = await ids({ since, until, batchSize: 700 });
  assert.deepEqual(ranged, want(inRange));
  assert.equal(ranged.length, 3000);
  assert.deepEqual(await ids({ since, until, track: "text", valid: true }), want((r) => inRange(r) && r.track === "text" && r.valid));
});

test("no voter, user, IP, battle or token value appears in either format", async () => {
  assert.ok(LEAK.test(`${P}b00001`) && LEAK.test(`${P}iphash000001`) && LEAK.test(`${P}token000001`), "the leak pattern itself works");
  for (const format of ["jsonl", "csv"] as const) {
    const text = await collect(format, WINDOW);
    for (const s of secretValues) assert.ok(!text.includes(s), `${format} export leaks ${s}`);
    assert.equal(LEAK.exec(text)?.[0], undefined, `${format} export leaks a fixture id`);
  }
});

test("a consumer that reads one chunk then cancels stops the queries", async () => {
  // A stream that pushed every batch as fast as it could (or ignored the abort) would read all 13.
  for (const how of ["cancel", "abort"] as const) {
    const batches: number[] = [];
    const ac = new AbortController();
    const stream = await openVoteExportStream("jsonl", { ...WINDOW, batchSize: 1000, onBatch: (n) => batches.push(n), signal: ac.signal });
    const reader = stream.getReader();
    const first = await reader.read();
    assert.equal(first.done, false);
    assert.equal(new TextDecoder().decode(first.value).split("\n").length - 1, 1000);
    if (how === "cancel") await reader.cancel();
    else ac.abort();
    await new Promise((r) => setTimeout(r, 300));
    if (how === "abort") {
      // The aborted stream ends cleanly after what it already queued.
      for (let r = await reader.read(); !r.done; r = await reader.read());
    }
    assert.ok(batches.length <= 2, `${how}: read ${batches.length} of 13 batches`);
  }
});

async function call(query: string): Promise<Response> {
  return GET(new NextRequest(`http://localhost/api/votes/export${query}`), { params: Promise.resolve({}) });
}
const windowQuery = `since=${WINDOW.since.toISOString()}&until=2002-01-01`;

test("GET /api/votes/export streams CSV and JSONL with download headers", async () => {
  const today = new Date().toISOString().slice(0, 10).replace(/-/g, "");
  const csv = await call(`?format=csv&${windowQuery}`);
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get("content-type"), "text/csv; charset=utf-8");
  assert.equal(csv.headers.get("content-disposition"), `attachment; filename="3dcodearena-votes-${today}.csv"`);
  assert.equal(csv.headers.get("cache-control"), "no-store");
  assert.ok(csv.body instanceof ReadableStream);
  assert.equal(await csv.text(), await collect("csv", WINDOW));

  const jsonl = await call(`?${windowQuery}&track=&valid=true`); // default format, blank = unset
  assert.equal(jsonl.status, 200);
  assert.equal(jsonl.headers.get("content-type"), "application/x-ndjson; charset=utf-8");
  assert.equal(jsonl.headers.get("content-disposition"), `attachment; filename="3dcodearena-votes-${today}.jsonl"`);
  assert.deepEqual(parseJsonl(await jsonl.text()), expected.filter((r) => r.valid));

  const text = await call(`?${windowQuery}&track=text&valid=false`);
  assert.deepEqual(parseJsonl(await text.text()), expected.filter((r) => r.track === "text" && !r.valid));
});

test("GET /api/votes/export rejects bad parameters with 422 naming the parameter", async () => {
  const cases: [string, RegExp][] = [
    ["?format=xml", /^format: /],
    ["?track=audio", /^track: /],
    ["?valid=yes", /^valid: /],
    ["?since=yesterday", /^since: expected an ISO 8601 date/],
    ["?until=2026-13-01", /^until: /],
    ["?since=2026-02-01&until=2026-01-01", /^since: must be before until/],
    ["?tracks=text", /^tracks: unknown parameter/],
  ];
  for (const [q, re] of cases) {
    const res = await call(q);
    assert.equal(res.status, 422, q);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, "unprocessable", q);
    assert.match(body.error.message, re, q);
  }
});
