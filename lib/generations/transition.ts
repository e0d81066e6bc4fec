/**
 * Every stage moves a generation with transition(): only if it is still in the state the stage
 * expects, so work that finishes after an admin cancelled the generation (or moved it on) changes
 * nothing. A job that finds transition() false simply stops. Statuses: lib/generations/status.ts.
 */
import { db, type GenerationStatus, type Prisma } from "@/lib/db";

/** db(), or the transaction client of a db().$transaction. */
type Client = { generation: Pick<ReturnType<typeof db>["generation"], "updateMany"> };

/** The update behind transition(), for a batch ($transaction([...])) of writes. */
export function transitionQuery(
  id: string,
  from: readonly GenerationStatus[],
  to: GenerationStatus,
  data: Omit<Prisma.GenerationUpdateManyMutationInput, "status"> = {},
  client: Client = db(),
) {
  return client.generation.updateMany({ where: { id, status: { in: [...from] } }, data: { ...data, status: to } });
}

/** Moves generation `id` from one of `from` to `to` (with `data`); false when it was no longer in `from`. */
export async function transition(
  id: string,
  from: readonly GenerationStatus[],
  to: GenerationStatus,
  data: Omit<Prisma.GenerationUpdateManyMutationInput, "status"> = {},
  client: Client = db(),
): Promise<boolean> {
  return (await transitionQuery(id, from, to, data, client)).count > 0;
}

