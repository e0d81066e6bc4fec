"use client";

import { type RefObject, useCallback, useEffect, useState } from "react";

/**
 * Full screen for one element. Uses the Fullscreen API where the browser allows it on ordinary
 * elements; elsewhere (iPhone Safari only allows it on video) the caller fills the viewport with
 * CSS instead, which `mode: "css"` asks for. Esc leaves either way. Removing the element (the
 * next battle) ends native full screen by itself.
 */
export function useFullscreen(ref: RefObject<HTMLElement | null>) {
  const [mode, setMode] = useState<"off" | "native" | "css">("off");

  useEffect(() => {
    const onChange = () => {
      setMode((m) => (document.fullscreenElement === ref.current && ref.current ? "native" : m === "native" ? "off" : m));
    };
    document.addEventListener("fullscreenchange", onChange);
    return () => document.removeEventListener("fullscreenchange", onChange);
  }, [ref]);

  const exit = useCallback(() => {
    if (document.fullscreenElement === ref.current && ref.current) void document.exitFullscreen().catch(() => {});
    setMode("off");
  }, [ref]);

  const enter = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    if (document.fullscreenEnabled && typeof el.requestFullscreen === "function") {
      el.requestFullscreen({ navigationUI: "hide" }).then(
        () => setMode("native"),
        () => setMode("css"),
      );
    } else {
      setMode("css");
    }
  }, [ref]);

  // Browsers leave native full screen on Esc themselves, but not always (headless, some kiosks),
  // and the CSS fallback needs us in any case. Esc inside a dialog belongs to the dialog.
  useEffect(() => {
    if (mode === "off") return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || document.querySelector("[aria-modal='true']")) return;
      e.preventDefault();
      exit();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [mode, exit]);

  return { active: mode !== "off", mode, enter, exit, toggle: mode === "off" ? enter : exit };
}
