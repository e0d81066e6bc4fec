/**
 * The code behind one side of a battle, for the voter who voted on it: the reveal links to it so
 * a voter can see how each model built what they just judged. Before the vote it would unblind the
 * battle, and to anyone else it would link a battle to its outputs, so both are refused alike.
 */
import "server-only";
import { db } from "@/lib/db";
import type { Voter } from "@/lib/battles/voter";

/** Generated scripts are capped far below this; a page never renders more than it. */
const MAX_CODE_CHARS = 400_000;

export interface RevealedCode {
  battleId: string;
  side: "a" | "b";
  model: { slug: string; displayName: string; organisation: string };
  category: string;
  track: "text" | "image";
  code: string | null;
  truncated: boolean;
}

export async function revealedCode(battleId: string, side: "a" | "b", voter: Voter | null): Promise<RevealedCode | null> {
  if (!voter) return null;
  const generation = {
    select: { finalCode: true, contestant: { select: { slug: true, displayName: true, organisation: true } } },
  } as const;
  const battle = await db().battle.findUnique({
    where: { id: battleId },
    select: {
      voterId: true,
      track: true,
      vote: { select: { id: true } },
      category: { select: { name: true } },
      generationAId: true,
      generationBId: true,
    },
  });
  if (!battle || battle.voterId !== voter.id || !battle.vote) return null;
  const g = await db().generation.findUnique({ where: { id: side === "a" ? battle.generationAId : battle.generationBId }, ...generation });
  if (!g) return null;
  const code = g.finalCode;
  return {
    battleId,
    side,
    model: g.contestant,
    category: battle.category.name,
    track: battle.track,
    code: code === null ? null : code.slice(0, MAX_CODE_CHARS),
    truncated: code !== null && code.length > MAX_CODE_CHARS,
  };
}
