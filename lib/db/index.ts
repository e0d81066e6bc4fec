/**
 * The one Prisma client (house rules §2). Driver adapter: node-postgres, no Rust engine.
 * Secret columns are omitted unless a query selects them by name: a password hash, a stored
 * provider key or an OAuth token never rides along in an `include` (lib/auth and
 * lib/providers/keys.ts read them with an explicit select).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

export * from "@/lib/generated/prisma/client";

function createClient() {
  const env = getEnv();
  // Deadlines (a paused PostgreSQL used to hang every request): a connection must be made, and a
  // query answered, in time, else the call fails and a route answers 503 (lib/db/unavailable.ts).
  // The web tier's deadline is short; workers and scripts, whose ratings and bulk queries are
  // legitimately long, have a long one.
  const timeout = env.ARENA_WEB_TIER === "1" ? env.WEB_DB_TIMEOUT_MS : env.DB_TIMEOUT_MS;
  // One pool: Prisma's queries and the hot statements below share its connections and deadlines.
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: env.DB_POOL_SIZE,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    statement_timeout: timeout,
  });
  const client = new PrismaClient({
    adapter: new PrismaPg(pool, { disposeExternalPool: true }),
    omit: {
      user: { passwordHash: true },
      providerKey: { ciphertext: true, iv: true, tag: true },
      account: { refresh_token: true, access_token: true, id_token: true },
    },
  });
  return { client, pool };
}

/**
 * A statement on the request path that runs often enough to skip Prisma's client: measured here,
 * Prisma's `$queryRaw` cost ~100 µs of CPU per call on top of node-postgres's ~40 µs (issue 12),
 * and a battle and its vote are four such statements. It is prepared once per connection (a named
 * statement), so PostgreSQL plans it a few times, then keeps a generic plan; an unnamed statement
 * is parsed and planned on every call (planning was half of PostgreSQL's time per vote).
 * The set of names is fixed by the code: each `hotStatement` is a module-level constant.
 */
export interface HotStatement<Row> {
  readonly name: string;
  readonly text: string;
  /** For the type checker only. */
  readonly row?: Row;
}

const hotNames = new Map<string, string>();

export function hotStatement<Row>(name: string, text: string): HotStatement<Row> {
  if (!/^[a-z][a-z0-9-]{0,50}$/.test(name)) throw new Error(`hot statement name ${JSON.stringify(name)}: lower case, digits and dashes`);
  const prior = hotNames.get(name);
  if (prior !== undefined && prior !== text) throw new Error(`hot statement ${name} is defined twice with different SQL`);
  hotNames.set(name, text);
  return { name: `arena-${name}`, text };
}

/** Prisma stores DateTime as `timestamp(3)` in UTC; node-postgres would read it in local time. */
const TIMESTAMP_OID = 1114;
const utcTimestamp = (text: string) => new Date(`${text.replace(" ", "T")}Z`);
const hotTypes = { getTypeParser: (oid: number, format?: "text" | "binary") => (oid === TIMESTAMP_OID ? utcTimestamp : pg.types.getTypeParser(oid, format)) };

/** Runs a hot statement with positional values ($1, $2, ...); rows as node-postgres gives them. */
export async function runHot<Row>(statement: HotStatement<Row>, values: unknown[]): Promise<Row[]> {
  const result = await connections().pool.query({ name: statement.name, text: statement.text, values, types: hotTypes as pg.CustomTypesConfig });
  return result.rows as Row[];
}

type Connections = ReturnType<typeof createClient>;
type Db = Connections["client"];
// On globalThis: the web server loads this module twice (Next's bundle and the fast lane), and
// both must share one client and one pool.
const globalForDb = globalThis as unknown as { __arenaDb?: Connections };

function connections(): Connections {
  globalForDb.__arenaDb ??= createClient();
  return globalForDb.__arenaDb;
}

/** Lazily created so importing this module never needs a database (e.g. at build time). */
export function db(): Db {
  return connections().client;
}

export async function disconnectDb(): Promise<void> {
  if (globalForDb.__arenaDb) {
    // The adapter ends the pool too (disposeExternalPool).
    await globalForDb.__arenaDb.client.$disconnect();
    globalForDb.__arenaDb = undefined;
  }
}
