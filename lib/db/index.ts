/**
 * The one Prisma client (house rules §2). Driver adapter: node-postgres, no Rust engine.
 */
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

export * from "@/lib/generated/prisma/client";

const globalForDb = globalThis as unknown as { __arenaDb?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: getEnv().DATABASE_URL, max: 10 });
  return new PrismaClient({ adapter });
}

/** Lazily created so importing this module never needs a database (e.g. at build time). */
export function db(): PrismaClient {
  globalForDb.__arenaDb ??= createClient();
  return globalForDb.__arenaDb;
}

export async function disconnectDb(): Promise<void> {
  if (globalForDb.__arenaDb) {
    await globalForDb.__arenaDb.$disconnect();
    globalForDb.__arenaDb = undefined;
  }
}
