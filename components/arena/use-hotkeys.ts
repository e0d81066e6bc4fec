"use client";

import { useEffect, useRef } from "react";

/**
 * Single-key shortcuts on the window. Ignored while typing, with modifiers held, on key repeat,
 * or while a modal dialog (e.g. the image lightbox) is open.
 */
export function useHotkeys(handler: (key: string, event: KeyboardEvent) => boolean | void): void {
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || event.metaKey || event.ctrlKey || event.altKey) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest("input, textarea, select, [contenteditable='true']")) return;
      if (document.querySelector("[aria-modal='true']")) return;
      if (latest.current(event.key.toLowerCase(), event) === true) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}
