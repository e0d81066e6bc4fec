/** Built-in contestants and the bundled categories, upserted on every start (idempotent). */
import path from "node:path";
import { db } from "@/lib/db";
import { BUILTIN_CONTESTANTS } from "@/lib/contestants/registry";
import { importCategorySet, type ImportReport } from "@/lib/categories/import";

export async function seedBuiltins(root: string): Promise<ImportReport> {
  for (const c of BUILTIN_CONTESTANTS) {
    const { slug, ...rest } = c;
    await db().contestant.upsert({ where: { slug }, create: c, update: rest });
  }
  return importCategorySet(path.join(root, "benchmark/categories"), "bundled");
}
