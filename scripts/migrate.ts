/** `npm run db:migrate`: applies committed migrations (the docker-compose `migrate` service runs this). */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "@/lib/db/migrate";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const url = process.env.DATABASE_URL;
if (!url) {
  console.error("DATABASE_URL is not set (npm run up migrates the embedded database by itself).");
  process.exit(1);
}
const res = await migrate(url, path.join(root, "prisma/migrations"));
console.log(res.applied.length ? `applied: ${res.applied.join(", ")}` : `up to date (${res.alreadyApplied} migrations)`);
