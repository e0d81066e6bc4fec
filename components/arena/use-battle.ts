"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import type { BattleResponse, Track } from "@/lib/contracts";
import { discardPreloaded, preloadGlb } from "@/components/viewer/glb-cache";
import { ArenaApiError, createBattle, isNoBattles, isRateLimited, rateLimitDelayMs } from "./arena-api";

/** How often to ask again while no battle can be formed yet (models still being built). */
export const NO_BATTLES_RETRY_MS = 5000;
/** A prefetched battle this close to expiring is dropped: the voter would need time to judge it. */
const MIN_PREFETCH_LIFE_MS = 2 * 60_000;

export type BattleLoad =
  | { kind: "loading" }
  | { kind: "waiting"; track: Track; message: string; retryAt: number }
  /** 429: too many battles requested; retried by itself once the server's Retry-After passes. */
  | { kind: "limited"; track: Track; message: string; retryAt: number }
  | { kind: "error"; message: string }
  | { kind: "ready"; battle: BattleResponse };

/** The GLB URLs of the battle fetched ahead, per side. */
export interface Upcoming {
  a: string;
  b: string;
}

interface Prefetch {
  track: Track;
  battle: Promise<BattleResponse>;
  controller: AbortController;
  /** The GLB URLs once the battle is known, to free them if the battle is never shown. */
  urls: string[];
}

function dropPrefetch(p: Prefetch | null): void {
  if (!p) return;
  p.controller.abort();
  discardPreloaded(p.urls);
}

/**
 * Fetches one battle per (track, request); `next()` moves on. `prefetch()` (called once the
 * current battle's models are on screen, so they never compete for bandwidth) asks for the next
 * battle and downloads its two models in the background; `next()` then shows it at once.
 */
export function useBattle(track: Track): { state: BattleLoad; next: () => void; prefetch: () => void; upcoming: Upcoming | null } {
  const [request, setRequest] = useState(0);
  const [state, setState] = useState<BattleLoad>({ kind: "loading" });
  const ahead = useRef<Prefetch | null>(null);
  // The prefetched battle's model URLs, so each viewer can ready its renderer for its next model.
  const [upcoming, setUpcoming] = useState<Upcoming | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    // While waiting (models or a rate limit), keep that screen up during the retry instead of flashing "loading".
    setState((prev) => ((prev.kind === "waiting" || prev.kind === "limited") && prev.track === track ? prev : { kind: "loading" }));

    const pre = ahead.current;
    ahead.current = null;
    setUpcoming(null);
    let battle: Promise<BattleResponse>;
    if (pre && pre.track === track) {
      // A prefetch that failed or is about to expire is no loss: ask afresh, as without one.
      battle = pre.battle
        .then((b) => {
          if (Date.parse(b.expiresAt) - Date.now() < MIN_PREFETCH_LIFE_MS) throw new Error("stale");
          return b;
        })
        .catch(() => {
          if (controller.signal.aborted) throw new DOMException("aborted", "AbortError");
          dropPrefetch(pre);
          return createBattle(track, controller.signal);
        });
      controller.signal.addEventListener("abort", () => dropPrefetch(pre));
    } else {
      dropPrefetch(pre);
      battle = createBattle(track, controller.signal);
    }

    battle
      .then((b) => {
        if (!controller.signal.aborted) setState({ kind: "ready", battle: b });
      })
      .catch((err: unknown) => {
        if (controller.signal.aborted) return;
        if (isNoBattles(err)) {
          const message = (err as ArenaApiError).message;
          setState({ kind: "waiting", track, message, retryAt: Date.now() + NO_BATTLES_RETRY_MS });
          retryTimer = setTimeout(() => setRequest((n) => n + 1), NO_BATTLES_RETRY_MS);
          return;
        }
        if (isRateLimited(err)) {
          const delay = rateLimitDelayMs(err);
          setState({ kind: "limited", track, message: err.message, retryAt: Date.now() + delay });
          retryTimer = setTimeout(() => setRequest((n) => n + 1), delay);
          return;
        }
        const message = err instanceof ArenaApiError ? err.message : "Something went wrong while loading a battle.";
        setState({ kind: "error", message });
      });

    return () => {
      controller.abort();
      clearTimeout(retryTimer);
    };
  }, [track, request]);

  // Leaving the page (or the arena) forgets a battle fetched ahead.
  useEffect(
    () => () => {
      dropPrefetch(ahead.current);
      ahead.current = null;
    },
    [],
  );

  const prefetch = useCallback(() => {
    if (ahead.current?.track === track) return;
    dropPrefetch(ahead.current);
    const controller = new AbortController();
    const p: Prefetch = { track, controller, urls: [], battle: createBattle(track, controller.signal) };
    p.battle.then(
      (b) => {
        if (controller.signal.aborted) return;
        p.urls = [b.a.glbUrl, b.b.glbUrl];
        for (const url of p.urls) preloadGlb(url);
        if (ahead.current === p) setUpcoming({ a: b.a.glbUrl, b: b.b.glbUrl });
      },
      () => undefined, // handled when (if) next() uses it
    );
    ahead.current = p;
  }, [track]);

  const next = useCallback(() => setRequest((n) => n + 1), []);
  return { state, next, prefetch, upcoming };
}
