/**
 * A generation's statuses, in pipeline order: queued -> generating -> executing -> scoring ->
 * ready | failed, with multi-turn harnesses looping executing -> generating, and moderation moving
 * ready <-> hidden. Plain data, safe for client components; the moves are lib/generations/transition.ts.
 */
import type { GenerationStatus } from "@/lib/generated/prisma/enums";

/** Statuses with work still to do: a sweep is open while any of its generations is in one. */
export const OPEN_STATUSES = ["queued", "generating", "executing", "scoring"] as const satisfies readonly GenerationStatus[];
/** Every status, in pipeline order (for progress bars and tables). */
export const ALL_STATUSES = [...OPEN_STATUSES, "ready", "failed", "hidden"] as const satisfies readonly GenerationStatus[];

export function isOpen(status: string): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(status);
}
