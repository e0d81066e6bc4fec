/**
 * Reference preparation (issue 14 part 6): each category's reference script is executed once per
 * content, reference profile and Blender version, in the background (job category.prepare), and
 * its four views are the Image->3D input. The profile is REFERENCE_PROFILE (default: the
 * benchmark's 64 spp, 512 px, denoised), whatever profile a sweep renders generated outputs with.
 */
import type { RenderProfile } from "@/blender-runner/client/types";
import { db, type ExecStatus } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { enqueue } from "@/lib/jobs/queue";
import { HEARTBEAT_PREFIX, JOBS, QUEUES } from "@/lib/jobs/constants";
import { redis } from "@/lib/redis";
import { profileByName, profileLabel } from "@/lib/pipeline/profiles";

export function referenceProfile(): RenderProfile {
  return profileByName(getEnv().REFERENCE_PROFILE);
}

export function referenceProfileLabel(): string {
  return profileLabel(referenceProfile());
}

/** The category fields the preparation state is read from. */
export interface ReferenceFields {
  id: string;
  referenceStatus: ExecStatus | null;
  referenceProfile: string | null;
  referenceBlenderVersion: string | null;
  referenceQueuedAt: Date | null;
  referenceStartedAt: Date | null;
}

export const REFERENCE_FIELDS = {
  id: true,
  referenceStatus: true,
  referenceProfile: true,
  referenceBlenderVersion: true,
  referenceQueuedAt: true,
  referenceStartedAt: true,
} as const;

export type ReferenceState = "prepared" | "failed" | "rendering" | "queued" | "stale" | "unprepared";

/**
 * Where a category's reference stands. `stale`: prepared, but with another profile or (when the
 * current version is known, i.e. from an execution worker's heartbeat) another Blender version.
 */
export function referenceState(c: ReferenceFields, current: { profileLabel: string; blenderVersion?: string | null }): ReferenceState {
  if (c.referenceStatus !== null) {
    if (isStale(c, current)) return "stale";
    return c.referenceStatus === "OK" ? "prepared" : "failed";
  }
  if (c.referenceStartedAt) return "rendering";
  if (c.referenceQueuedAt) return "queued";
  return "unprepared";
}

function isStale(c: ReferenceFields, current: { profileLabel: string; blenderVersion?: string | null }): boolean {
  if (c.referenceProfile !== current.profileLabel) return true;
  return !!current.blenderVersion && c.referenceBlenderVersion !== current.blenderVersion;
}

/**
 * Enqueues preparation for every given category whose reference is missing or stale. A stale one
 * is reset first (status null), so that image-track generations and scoring wait for the new
 * views and GLB instead of using the old ones. Returns how many were enqueued.
 */
export async function ensureReferences(
  categoryIds: string[],
  opts: { blenderVersion?: string | null; force?: boolean } = {},
): Promise<number> {
  if (categoryIds.length === 0) return 0;
  const current = { profileLabel: referenceProfileLabel(), blenderVersion: opts.blenderVersion };
  const cats = await db().category.findMany({ where: { id: { in: categoryIds } }, select: REFERENCE_FIELDS });
  let enqueued = 0;
  for (const c of cats) {
    const state = referenceState(c, current);
    const redo = state === "stale" || (opts.force && (state === "prepared" || state === "failed"));
    if (!redo && state !== "unprepared" && state !== "queued" && state !== "rendering") continue;
    if (redo || state === "unprepared") {
      await db().category.update({
        where: { id: c.id },
        data: {
          referenceQueuedAt: new Date(),
          referenceStartedAt: null,
          ...(redo ? { referenceStatus: null, referenceError: null, referenceProfile: null, referenceBlenderVersion: null } : {}),
        },
      });
    }
    // A job BullMQ still remembers as finished would swallow the add; a waiting or active one is kept.
    await enqueue(JOBS.categoryPrepare, { categoryId: c.id }, { replaceFinished: true });
    enqueued++;
  }
  return enqueued;
}

/**
 * Run by each execution worker at start with its Blender version: every reference prepared with
 * another version or profile is prepared again (once: the job id is per category).
 */
export async function requeueStaleReferences(blenderVersion: string): Promise<number> {
  const label = referenceProfileLabel();
  const stale = await db().category.findMany({
    where: {
      referenceStatus: { not: null },
      OR: [
        { referenceProfile: null },
        { referenceProfile: { not: label } },
        { referenceBlenderVersion: null },
        { referenceBlenderVersion: { not: blenderVersion } },
      ],
    },
    select: { id: true },
  });
  return ensureReferences(
    stale.map((c) => c.id),
    { blenderVersion },
  );
}

export interface ReferenceProgress {
  profileLabel: string;
  /** From the newest execution worker heartbeat; null when none is running. */
  blenderVersion: string | null;
  counts: Record<ReferenceState, number>;
  categories: {
    id: string;
    instanceId: string;
    setName: string;
    state: ReferenceState;
    status: ExecStatus | null;
    error: string | null;
    profile: string | null;
    blenderVersion: string | null;
    renderer: unknown;
    queuedAt: Date | null;
    startedAt: Date | null;
    preparedAt: Date | null;
  }[];
}

/** Per-category preparation state and counts, for the admin view and the CLI. */
export async function referenceProgress(opts: { categoryIds?: string[]; blenderVersion?: string | null } = {}): Promise<ReferenceProgress> {
  const current = { profileLabel: referenceProfileLabel(), blenderVersion: opts.blenderVersion ?? null };
  const rows = await db().category.findMany({
    where: opts.categoryIds ? { id: { in: opts.categoryIds } } : {},
    select: {
      ...REFERENCE_FIELDS,
      instanceId: true,
      setName: true,
      referenceError: true,
      referenceRenderer: true,
      referencePreparedAt: true,
    },
    orderBy: [{ setName: "asc" }, { instanceId: "asc" }],
  });
  const counts: Record<ReferenceState, number> = { prepared: 0, failed: 0, rendering: 0, queued: 0, stale: 0, unprepared: 0 };
  const categories = rows.map((c) => {
    const state = referenceState(c, current);
    counts[state]++;
    return {
      id: c.id,
      instanceId: c.instanceId,
      setName: c.setName,
      state,
      status: c.referenceStatus,
      error: c.referenceError?.split("\n")[0] ?? null,
      profile: c.referenceProfile,
      blenderVersion: c.referenceBlenderVersion,
      renderer: c.referenceRenderer,
      queuedAt: c.referenceQueuedAt,
      startedAt: c.referenceStartedAt,
      preparedAt: c.referencePreparedAt,
    };
  });
  return { profileLabel: current.profileLabel, blenderVersion: current.blenderVersion, counts, categories };
}

/** One line for the CLI and logs. */
export function progressLine(p: Pick<ReferenceProgress, "counts">): string {
  const c = p.counts;
  const total = Object.values(c).reduce((a, b) => a + b, 0);
  return `references: ${c.prepared}/${total} prepared, ${c.rendering} rendering, ${c.queued} queued, ${c.failed} failed, ${c.stale} stale, ${c.unprepared} not prepared`;
}

/** The Blender version the running execution worker reported in its heartbeat; null when none runs. */
export async function executionBlenderVersion(): Promise<string | null> {
  try {
    const raw = await redis().get(`${HEARTBEAT_PREFIX}${QUEUES.execution}`);
    const v = raw ? (JSON.parse(raw) as { blenderVersion?: unknown }).blenderVersion : null;
    return typeof v === "string" ? v : null;
  } catch {
    // Progress still shows without Redis; only the version comparison is lost.
    return null;
  }
}
