import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
const url = process.argv[2]!;
const N = 20000;
const pool = new pg.Pool({ connectionString: url, max: 10 });
const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { statementNameGenerator: (q) => (q.sql.startsWith("/* p */") ? "p1" : "") }) });
async function run(label: string, f: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 2000; i++) await f(i);
  const c0 = process.cpuUsage(); const t0 = performance.now(); let i = 0;
  await Promise.all(Array.from({ length: 20 }, async () => { while (i < N) await f(i++); }));
  const c = process.cpuUsage(c0);
  console.log(label, `${((c.user + c.system) / N).toFixed(1)} µs CPU/query, ${(N / (performance.now() - t0) * 1000).toFixed(0)} q/s`);
}
const id = "x";
for (let k = 0; k < 2; k++) {
  await run("prisma $queryRaw", (i) => prisma.$queryRaw`/* p */ SELECT ${id}::text AS a, now() AS t, ${i}::int AS n, '{"a":1}'::jsonb AS j`);
  await run("pg direct       ", (i) => pool.query({ name: "p2", text: `SELECT $1::text AS a, now() AS t, $2::int AS n, '{"a":1}'::jsonb AS j`, values: [id, i] }));
}
await prisma.$disconnect();
