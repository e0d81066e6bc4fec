/**
 * What a model's public gallery may show without unmasking battles (issue 10 C). An output that a
 * voter can still meet in a battle ("blind") would let anyone match a battle side to its model by
 * its picture or face count, so galleries show only outputs that are no longer blind (failed,
 * hidden or retired) plus the outputs this visitor has already seen revealed after voting.
 */
import "server-only";
import { db } from "@/lib/db";
import { ApiError } from "@/lib/api/errors";
import { assets } from "@/lib/storage";
import { shownRenderKeys } from "@/lib/generations/display-views";
import type { Voter } from "@/lib/battles/voter";
import { revealedTo } from "@/lib/battles/battles";

interface PoolFacts {
  status: string;
  execStatus: string | null;
  displayGlbKey: string | null;
  contestantStatus: string;
}

/** Mirrors the battle pool in createBattle: ready, executed OK, with a display GLB, model active. */
export function isBlind(g: PoolFacts): boolean {
  return g.status === "ready" && g.execStatus === "OK" && g.displayGlbKey !== null && g.contestantStatus === "active";
}

export async function galleryViewer(voter: Voter | null): Promise<(g: PoolFacts & { id: string }) => boolean> {
  const revealed = voter ? await revealedTo(voter) : new Set<string>();
  return (g) => !isBlind(g) || revealed.has(g.id);
}

/** Its first display view, or the first benchmark view for runs made before display views. */
export function galleryImageUrl(generationId: string): string {
  return `/api/gallery/${generationId}/view.png`;
}

export type GalleryFile = "view.png" | "Image_005.png";

/** An output's gallery picture (view.png: shownRenderKeys; Image_005.png: the benchmark's first view), if this visitor may see it. */
export async function galleryImage(generationId: string, voter: Voter | null, file: GalleryFile = "view.png"): Promise<Uint8Array> {
  const g = await db().generation.findUnique({
    where: { id: generationId },
    select: { id: true, status: true, execStatus: true, displayGlbKey: true, renderKeys: true, displayRenderKeys: true, contestant: { select: { status: true } } },
  });
  const key = g ? (file === "view.png" ? shownRenderKeys(g)[0] : g.renderKeys[0]) : undefined;
  const visible = g && g.status !== "hidden" && g.contestant.status !== "hidden" && key;
  if (!visible || !(await galleryViewer(voter))({ ...g, contestantStatus: g.contestant.status })) {
    throw new ApiError("not_found", "No such gallery image.");
  }
  const bytes = await assets().get(key);
  if (!bytes) throw new ApiError("not_found", "No such gallery image.");
  return bytes;
}
