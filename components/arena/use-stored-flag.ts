"use client";

import { useCallback, useSyncExternalStore } from "react";

/**
 * A boolean preference kept in localStorage, shared by every component that reads the same key
 * and by other tabs. The server render (no storage) and private modes (storage throws) see the
 * default (or `serverValue`, e.g. to keep a first-visit hint out of the server render so returning
 * visitors never see it flash), so hydration never mismatches and a blocked storage never breaks
 * the page.
 */
export function useStoredFlag(key: string, fallback = false, serverValue = fallback): [boolean, (value: boolean) => void] {
  const subscribe = useCallback(
    (onChange: () => void) => {
      const onStorage = (e: StorageEvent) => {
        if (e.key === null || e.key === key) onChange();
      };
      const onLocal = (e: Event) => {
        if ((e as CustomEvent<string>).detail === key) onChange();
      };
      window.addEventListener("storage", onStorage);
      window.addEventListener(LOCAL_EVENT, onLocal);
      return () => {
        window.removeEventListener("storage", onStorage);
        window.removeEventListener(LOCAL_EVENT, onLocal);
      };
    },
    [key],
  );
  const value = useSyncExternalStore(
    subscribe,
    () => read(key, fallback),
    () => serverValue,
  );
  const set = useCallback(
    (next: boolean) => {
      try {
        window.localStorage.setItem(key, next ? "1" : "0");
      } catch {
        /* storage unavailable: the choice lasts until the page closes */
        memory.set(key, next);
      }
      // "storage" only fires in other tabs; tell this one's readers ourselves.
      window.dispatchEvent(new CustomEvent(LOCAL_EVENT, { detail: key }));
    },
    [key],
  );
  return [value, set];
}

const LOCAL_EVENT = "arena:stored-flag";
const memory = new Map<string, boolean>();

function read(key: string, fallback: boolean): boolean {
  try {
    const raw = window.localStorage.getItem(key);
    if (raw !== null) return raw === "1";
  } catch {
    /* fall through to the in-memory value */
  }
  return memory.get(key) ?? fallback;
}
