"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";

interface Props {
  intervalMs?: number;
  /**
   * A tiny endpoint answering `{ version }`. When given, the page re-renders only when the version
   * differs from `version` (what it was rendered at) instead of on every tick: an idle tab then costs
   * one small request per interval, not a page render plus the prefetches of every link on it.
   */
  versionUrl?: string;
  version?: string | null;
}

/**
 * Keeps a server page live. Paused while the tab is hidden; checks at once when it comes back.
 */
export function AutoRefresh({ intervalMs = 5000, versionUrl, version = null }: Props) {
  const router = useRouter();
  const seen = useRef(version);
  useEffect(() => {
    seen.current = version;
  }, [version]);

  useEffect(() => {
    let busy = false;
    const tick = async () => {
      if (document.visibilityState !== "visible" || busy) return;
      if (!versionUrl) return router.refresh();
      busy = true;
      try {
        const res = await fetch(versionUrl, { cache: "no-store" });
        if (!res.ok) return; // a bad scope or a brief outage: the page already says what it can
        const { version: now } = (await res.json()) as { version?: string };
        if (typeof now === "string" && now !== seen.current) {
          seen.current = now;
          router.refresh();
        }
      } catch {
        // Offline for a moment: try again on the next tick.
      } finally {
        busy = false;
      }
    };
    const id = setInterval(() => void tick(), intervalMs);
    const onVisible = () => void tick();
    document.addEventListener("visibilitychange", onVisible);
    return () => {
      clearInterval(id);
      document.removeEventListener("visibilitychange", onVisible);
    };
  }, [router, intervalMs, versionUrl]);

  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-arena-muted" title={`Checks for new ratings every ${intervalMs / 1000} s`}>
      <span className="relative flex h-2 w-2" aria-hidden="true">
        <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-arena-win/60" />
        <span className="relative inline-flex h-2 w-2 rounded-full bg-arena-win" />
      </span>
      Live
    </span>
  );
}
