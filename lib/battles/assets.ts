/**
 * A battle's two GLBs, served under the battle's own URLs (`/api/battles/{id}/a.glb`): only to the
 * voter the battle was served to and only until it expires. The URL names neither the output nor
 * the model, and the bytes are stripped of names and padded per battle and side (lib/glb/anonymise.ts), so nothing a
 * voter downloads links the battle to a gallery, to another battle, or to a revealed output.
 */
import "server-only";
import { createHash, createHmac } from "node:crypto";
import { db } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { ApiError } from "@/lib/api/errors";
import { assets } from "@/lib/storage";
import { anonymiseGlb, whitespaceFrom } from "@/lib/glb/anonymise";
import type { Voter } from "@/lib/battles/voter";

export type BattleSideName = "a" | "b";

/** Up to 16 KiB of padding: hides the exact size of every output, and of small ones entirely. */
const MAX_PAD_BYTES = 16 * 1024;

export function battleGlbUrl(battleId: string, side: BattleSideName): string {
  return `/api/battles/${battleId}/${side}.glb`;
}

/**
 * The whitespace appended to this battle side's JSON: deterministic (a re-fetch gets the same
 * bytes), unpredictable without AUTH_SECRET, and different in length and content per battle.
 */
function battleTail(battleId: string, side: BattleSideName): Uint8Array {
  const key = createHmac("sha256", getEnv().AUTH_SECRET).update(`battle-glb:${battleId}:${side}`).digest();
  const length = key.readUInt32BE(0) % MAX_PAD_BYTES;
  return whitespaceFrom(new Uint8Array(createHash("shake256", { outputLength: length }).update(key).digest()));
}

export interface BattleGlb {
  bytes: Uint8Array;
  /** Seconds the battle stays valid: how long a browser may keep the bytes. */
  maxAgeSec: number;
}

export async function battleGlb(battleId: string, side: BattleSideName, voter: Voter | null): Promise<BattleGlb> {
  const battle = await db().battle.findUnique({
    where: { id: battleId },
    select: {
      voterId: true,
      expiresAt: true,
      generationA: { select: { displayGlbKey: true } },
      generationB: { select: { displayGlbKey: true } },
    },
  });
  // One answer for "no such battle" and "not yours": a stranger learns nothing about battle ids.
  if (!battle || !voter || battle.voterId !== voter.id) throw new ApiError("not_found", "No such battle model.");
  const ttlMs = battle.expiresAt.getTime() - Date.now();
  if (ttlMs <= 0) throw new ApiError("battle_expired", "This battle has expired; please load a new one.");
  const key = (side === "a" ? battle.generationA : battle.generationB).displayGlbKey;
  const stored = key ? await assets().get(key) : null;
  if (!stored) throw new ApiError("not_found", "No such battle model.");
  const bytes = anonymiseGlb(stored, battleTail(battleId, side));
  const fetched = side === "a" ? { aFetchedAt: null } : { bFetchedAt: null };
  await db().battle.updateMany({ where: { id: battleId, ...fetched }, data: side === "a" ? { aFetchedAt: new Date() } : { bFetchedAt: new Date() } });
  return { bytes, maxAgeSec: Math.floor(ttlMs / 1000) };
}
