/**
 * Leaves the shared test database as a suite found it: removes the sweep named after the suite's
 * category set with its generations (and any battle or vote on them), then the set's categories.
 */
export async function removeSweepAndSet(set: string): Promise<void> {
  // Imported on call, as tests/support/pipeline-workers.ts does, so a test can check its env first.
  const { db } = await import("@/lib/db");
  const sweep = await db().sweep.findFirst({ where: { name: set } });
  if (sweep) {
    const gens = await db().generation.findMany({ where: { sweepId: sweep.id }, select: { id: true } });
    const ids = gens.map((g) => g.id);
    const battles = await db().battle.findMany({ where: { OR: [{ generationAId: { in: ids } }, { generationBId: { in: ids } }] }, select: { id: true } });
    await db().vote.deleteMany({ where: { battleId: { in: battles.map((b) => b.id) } } });
    await db().battle.deleteMany({ where: { id: { in: battles.map((b) => b.id) } } });
    await db().generation.deleteMany({ where: { sweepId: sweep.id } });
    await db().sweep.delete({ where: { id: sweep.id } });
  }
  await db().category.deleteMany({ where: { setName: set } });
}
