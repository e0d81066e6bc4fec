/**
 * A value kept in this process between changes of what it is computed from. The web tier serves
 * every battle, vote and leaderboard read from state that changes only when the ratings worker
 * publishes a snapshot (every few seconds at most), so rebuilding it per request was most of the
 * vote path's cost (issue 12 part 5).
 *
 * Freshness: at most every `checkMs` a caller asks `version()` (a cheap query: one indexed row, or
 * a max over a small table); when it differs from the version the value was built at, the value is
 * rebuilt. So a change shows up within `checkMs` plus one query. `maxAgeMs` rebuilds anyway, for
 * inputs the version does not cover (e.g. the leaderboard's live metrics). One check or rebuild at
 * a time: concurrent callers share it. Errors propagate to the callers that shared the attempt
 * (the route answers as before, e.g. 503), and the next caller tries again.
 *
 * Every web process has its own copy, each checked against the database, so several processes
 * (scripts/web-server.ts, WEB_PROCESSES) never need to tell each other about a change.
 */
import { getEnv } from "@/lib/env";

/**
 * Web processes check every WEB_CACHE_CHECK_MS; anything else (workers, scripts, tests calling
 * services) checks on every read, so it always sees what it has just written.
 */
export function cacheCheckMs(): number {
  const env = getEnv();
  return env.ARENA_WEB_TIER === "1" ? env.WEB_CACHE_CHECK_MS : 0;
}

export interface VersionedCacheOptions<V, T> {
  /** Cheap; compared with `sameVersion` (default: equal JSON). */
  version: () => Promise<V>;
  /** Expensive; gets the version read just before, so a change during the load is seen next time. */
  load: (version: V) => Promise<T>;
  checkMs: number;
  maxAgeMs?: number;
  sameVersion?: (a: V, b: V) => boolean;
  now?: () => number;
}

export interface VersionedCache<T> {
  get(): Promise<T>;
  /** The next get() rebuilds (e.g. after this process saw the value is out of date). */
  invalidate(): void;
}

export function versionedCache<V, T>(opts: VersionedCacheOptions<V, T>): VersionedCache<T> {
  const now = opts.now ?? Date.now;
  const same = opts.sameVersion ?? ((a: V, b: V) => JSON.stringify(a) === JSON.stringify(b));
  let entry: { version: V; value: T; checkedAt: number; loadedAt: number } | null = null;
  let pending: Promise<T> | null = null;
  let generation = 0;

  async function refresh(): Promise<T> {
    const started = generation;
    const t = now();
    const version = await opts.version();
    if (entry && same(entry.version, version) && (opts.maxAgeMs === undefined || t - entry.loadedAt < opts.maxAgeMs)) {
      entry.checkedAt = t;
      return entry.value;
    }
    const value = await opts.load(version);
    // An invalidate() during the load means the caller saw something newer than this load may hold.
    if (started === generation) entry = { version, value, checkedAt: t, loadedAt: t };
    return value;
  }

  return {
    get() {
      if (entry && now() - entry.checkedAt < opts.checkMs) return Promise.resolve(entry.value);
      if (!pending) {
        const p: Promise<T> = refresh().finally(() => {
          if (pending === p) pending = null;
        });
        pending = p;
      }
      return pending;
    },
    invalidate() {
      generation += 1;
      entry = null;
      pending = null;
    },
  };
}

/** One cache per key (a track, a leaderboard scope), made on first use; keys are a small fixed set. */
export function keyedCache<T>(make: (key: string) => VersionedCache<T>): (key: string) => VersionedCache<T> {
  const caches = new Map<string, VersionedCache<T>>();
  return (key) => {
    let c = caches.get(key);
    if (!c) caches.set(key, (c = make(key)));
    return c;
  };
}
