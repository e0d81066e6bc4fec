/** Built-in contestants and the bundled categories, upserted on every start (idempotent). */
import path from "node:path";
import { db } from "@/lib/db";
import { BUILTIN_CONTESTANTS } from "@/lib/contestants/registry";
import { importCategorySet, type ImportReport } from "@/lib/categories/import";

/**
 * Upserts the built-in contestants and imports the bundled categories plus any extra sets named in
 * ARENA_CATEGORY_SETS (comma-separated folders in the 3DCodeBench layout, optionally `name=folder`).
 */
export async function seedBuiltins(root: string): Promise<ImportReport> {
  for (const c of BUILTIN_CONTESTANTS) {
    const { slug, ...rest } = c;
    await db().contestant.upsert({ where: { slug }, create: c, update: rest });
  }
  const sets: [string, string][] = [["bundled", path.join(root, "benchmark/categories")]];
  for (const item of (process.env.ARENA_CATEGORY_SETS ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const eq = item.indexOf("=");
    const folder = path.resolve(root, eq > 0 ? item.slice(eq + 1) : item);
    sets.push([eq > 0 ? item.slice(0, eq) : path.basename(folder), folder]);
  }
  const total: ImportReport = { created: [], updated: [], unchanged: [], problems: [] };
  for (const [name, folder] of sets) {
    try {
      const r = await importCategorySet(folder, name);
      total.created.push(...r.created);
      total.updated.push(...r.updated);
      total.unchanged.push(...r.unchanged);
      total.problems.push(...r.problems);
    } catch (err) {
      total.problems.push({ folder, reason: (err as Error).message });
    }
  }
  return total;
}
