/**
 * Restricted data with recognisable markers, for the access tests: an LLM model (slug, provider
 * model id), a failed generation with code, prompt and error, a sweep, an audit entry, a stored
 * provider key, and a battle with a report and a flagged vote for the moderation queue. Whatever
 * response carries one of MARKERS carries restricted data.
 */
export const MARK = {
  slug: "leak-marker-model",
  providerModelId: "leak-provider-model-x9",
  code: "LEAK_CODE_MARKER",
  error: "LEAK_ERROR_MARKER",
  sweep: "leak-marker-sweep",
  audit: "leak.marker.audit",
  key: "leak-marker-key",
  flag: "LEAK_REASON_MARKER",
  note: "LEAK_NOTE_MARKER",
} as const;
export const MARKERS: string[] = Object.values(MARK);

export interface Seeded {
  contestantId: string;
  sweepId: string;
  generationId: string;
  battleId: string;
  voteId: string;
  auditId: string;
}

export async function seedLeakMarkers(opts: { adminId: string; voterId: string }): Promise<Seeded> {
  const { db } = await import("@/lib/db");
  const { saveProviderKey } = await import("@/lib/providers/keys");
  const other = await db().generation.findFirstOrThrow({ where: { status: "ready", track: "text" }, orderBy: { createdAt: "asc" } });
  const c = await db().contestant.create({
    data: { slug: MARK.slug, displayName: "Leak Marker", organisation: "Leak Labs", kind: "llm", provider: "openai", providerModelId: MARK.providerModelId, harness: "single-shot" },
  });
  const sweep = await db().sweep.create({ data: { name: MARK.sweep, config: {}, createdById: opts.adminId, status: "completed" } });
  const gen = await db().generation.create({
    data: {
      contestantId: c.id,
      categoryId: other.categoryId,
      track: "text",
      sweepId: sweep.id,
      status: "failed",
      finalCode: `print("${MARK.code}")`,
      errorText: MARK.error,
      attempts: { create: { index: 0, code: `print("${MARK.code}")`, prompt: "make a mug", rawResponse: MARK.code, errorText: MARK.error } },
    },
  });
  const battle = await db().battle.create({
    data: {
      track: "text",
      categoryId: other.categoryId,
      generationAId: gen.id,
      generationBId: other.id,
      voterId: opts.voterId,
      tokenHash: `leak-${Date.now()}`,
      expiresAt: new Date(Date.now() + 3600_000),
    },
  });
  await db().report.create({ data: { battleId: battle.id, generationId: gen.id, side: "a", reason: "broken", note: MARK.note, reporterId: opts.voterId } });
  const vote = await db().vote.create({
    data: { battleId: battle.id, outcome: "a", voterId: opts.voterId, valid: false, flagRule: "same-side", invalidReason: MARK.flag },
  });
  const audit = await db().auditLog.create({ data: { actorId: opts.adminId, action: MARK.audit, targetType: "contestant", targetId: c.id } });
  await saveProviderKey(MARK.key, "sk-leak-marker-secret-0000");
  return { contestantId: c.id, sweepId: sweep.id, generationId: gen.id, battleId: battle.id, voteId: vote.id, auditId: audit.id };
}

/** Removes everything seedLeakMarkers made, so later suites see the arena as before. */
export async function removeLeakMarkers(s: Seeded): Promise<void> {
  const { db } = await import("@/lib/db");
  await db().vote.deleteMany({ where: { id: s.voteId } });
  await db().report.deleteMany({ where: { battleId: s.battleId } });
  await db().battle.deleteMany({ where: { id: s.battleId } });
  await db().generation.deleteMany({ where: { id: s.generationId } });
  await db().sweep.deleteMany({ where: { id: s.sweepId } });
  await db().contestant.deleteMany({ where: { id: s.contestantId } });
  await db().auditLog.deleteMany({ where: { id: s.auditId } });
  await db().providerKey.deleteMany({ where: { name: MARK.key } });
}
