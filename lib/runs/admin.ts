/** Importing a results tree made elsewhere (benchmark layout) as a sweep, from the admin console. */
import "server-only";
import { z } from "zod";
import path from "node:path";
import { stat } from "node:fs/promises";
import { ApiError } from "@/lib/api/errors";
import { importResultsTree, ResultsTreeError, type ImportResultsReport } from "@/lib/runs/results-tree";
import { requireRole, type SignedInUser } from "@/lib/auth/session";
import { db } from "@/lib/db";

export const ZImportInput = z.object({
  root: z.string().trim().min(1).max(1000),
  contestantSlug: z.string().trim().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, "Use lowercase letters, digits, dots, dashes and underscores."),
  /** The `<model>` folder in the tree when it differs from the slug. */
  modelDir: z.string().trim().min(1).max(200).optional(),
  /** Register the model from the tree's first log.json when the slug is new. */
  create: z.boolean().default(false),
});
export type ImportInput = z.infer<typeof ZImportInput>;

/** The importer writes the audit entry itself (action `results.import`, with this admin as actor). */
export async function runImport(input: ImportInput, admin: SignedInUser): Promise<ImportResultsReport> {
  const root = path.resolve(input.root);
  const s = await stat(root).catch(() => null);
  if (!s?.isDirectory()) throw new ApiError("unprocessable", `No folder at ${root} on the server.`);
  try {
    return await importResultsTree({
      root,
      contestantSlug: input.contestantSlug,
      modelDir: input.modelDir,
      createContestant: input.create,
      actorId: admin.id,
    });
  } catch (err) {
    // The importer's own errors describe the tree (missing files, unknown model): readable as they are.
    if (err instanceof ResultsTreeError) throw new ApiError("unprocessable", err.message);
    throw err;
  }
}

/** The LLM and coding-agent models an import can be attributed to (the import form's choices). */
export async function importFormModels(): Promise<{ slug: string; displayName: string }[]> {
  await requireRole("admin");
  return db().contestant.findMany({ where: { kind: { in: ["llm", "agent"] } }, orderBy: { slug: "asc" }, select: { slug: true, displayName: true } });
}
