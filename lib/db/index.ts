/**
 * The one Prisma client (house rules §2). Driver adapter: node-postgres, no Rust engine.
 * Secret columns are omitted unless a query selects them by name: a password hash, a stored
 * provider key or an OAuth token never rides along in an `include` (lib/auth and
 * lib/providers/keys.ts read them with an explicit select).
 */
import { PrismaPg } from "@prisma/adapter-pg";
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
  const adapter = new PrismaPg({
    connectionString: env.DATABASE_URL,
    max: env.DB_POOL_SIZE,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    statement_timeout: timeout,
  });
  return new PrismaClient({
    adapter,
    omit: {
      user: { passwordHash: true },
      providerKey: { ciphertext: true, iv: true, tag: true },
      account: { refresh_token: true, access_token: true, id_token: true },
    },
  });
}

type Db = ReturnType<typeof createClient>;
const globalForDb = globalThis as unknown as { __arenaDb?: Db };

/** Lazily created so importing this module never needs a database (e.g. at build time). */
export function db(): Db {
  globalForDb.__arenaDb ??= createClient();
  return globalForDb.__arenaDb;
}

export async function disconnectDb(): Promise<void> {
  if (globalForDb.__arenaDb) {
    await globalForDb.__arenaDb.$disconnect();
    globalForDb.__arenaDb = undefined;
  }
}
