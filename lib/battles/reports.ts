/**
 * Voter reports on one side of a battle ("broken", "offensive", "not the prompt"), feeding the
 * maintainers' moderation queue. A voter can report each side of a battle once.
 */
import "server-only";
import { db, Prisma } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { authorisedBattle } from "@/lib/battles/battles";
import type { Voter } from "@/lib/battles/voter";

export async function reportSide(input: {
  battleId: string;
  token: string;
  side: "a" | "b";
  reason: "broken" | "offensive" | "not_prompt";
  note?: string;
  voter: Voter | null;
}): Promise<void> {
  const { battle, voter } = await authorisedBattle(input.battleId, input.token, input.voter);
  try {
    await db().report.create({
      data: {
        battleId: battle.id,
        generationId: input.side === "a" ? battle.generationAId : battle.generationBId,
        side: input.side,
        reason: input.reason,
        note: input.note || null,
        reporterId: voter.id,
      },
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") {
      throw new ApiError("conflict", "You already reported this side of this battle. Thank you!");
    }
    throw err;
  }
}
