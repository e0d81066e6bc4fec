"use client";

import { useCallback, useEffect, useState } from "react";
import type { BattleResponse, Track } from "@/lib/contracts";
import { ArenaApiError, createBattle, isNoBattles, isRateLimited, rateLimitDelayMs } from "./arena-api";

/** How often to ask again while no battle can be formed yet (models still being built). */
export const NO_BATTLES_RETRY_MS = 5000;

export type BattleLoad =
  | { kind: "loading" }
  | { kind: "waiting"; track: Track; message: string; retryAt: number }
  /** 429: too many battles requested; retried by itself once the server's Retry-After passes. */
  | { kind: "limited"; track: Track; message: string; retryAt: number }
  | { kind: "error"; message: string }
  | { kind: "ready"; battle: BattleResponse };

/** Fetches one battle per (track, request); `next()` asks for a fresh one. */
export function useBattle(track: Track): { state: BattleLoad; next: () => void } {
  const [request, setRequest] = useState(0);
  const [state, setState] = useState<BattleLoad>({ kind: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    // While waiting (models or a rate limit), keep that screen up during the retry instead of flashing "loading".
    setState((prev) => ((prev.kind === "waiting" || prev.kind === "limited") && prev.track === track ? prev : { kind: "loading" }));

    createBattle(track, controller.signal)
      .then((battle) => setState({ kind: "ready", battle }))
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

  const next = useCallback(() => setRequest((n) => n + 1), []);
  return { state, next };
}
