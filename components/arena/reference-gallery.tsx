"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { BENCHMARK_AZIMUTHS_DEG } from "@/components/viewer/camera-link";

/**
 * The reference as a strip (its display views, else the four benchmark views Image_005 …
 * Image_035; both face the benchmark's azimuths in order); click one to enlarge.
 */
export function ReferenceGallery({ images }: { images: string[] }) {
  const [open, setOpen] = useState<number | null>(null);
  if (images.length === 0) return null;
  return (
    <>
      <ul
        className="grid gap-2 lg:w-[min(460px,40%)] lg:shrink-0"
        style={{ gridTemplateColumns: `repeat(${Math.min(images.length, 4)}, minmax(0, 1fr))` }}
        data-testid="reference-images"
      >
        {images.map((src, i) => (
          <li key={`${i}:${src}`}>
            <button
              type="button"
              onClick={() => setOpen(i)}
              data-testid={`reference-image-${i}`}
              className="group viewer-backdrop relative block aspect-square w-full overflow-hidden rounded-lg border border-arena-border transition-colors hover:border-arena-accent/60"
              aria-label={`Enlarge reference view ${i + 1}`}
            >
              <RefImage src={src} alt={`Reference view ${i + 1}`} className="h-full w-full object-contain p-1 transition-transform group-hover:scale-[1.04]" />
              <span className="absolute bottom-1 left-1 rounded bg-arena-bg/70 px-1 text-[10px] text-arena-muted tabular">{i + 1}</span>
            </button>
          </li>
        ))}
      </ul>
      {open !== null && <Lightbox images={images} index={open} onIndex={setOpen} onClose={() => setOpen(null)} />}
    </>
  );
}

function RefImage({ src, alt, className }: { src: string; alt: string; className: string }) {
  const [failed, setFailed] = useState(false);
  if (failed) {
    return <span className="flex h-full w-full items-center justify-center text-[10px] text-arena-muted">unavailable</span>;
  }
  // Plain <img>: reference views come from our own storage at arbitrary URLs, already small PNGs.
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={src} alt={alt} className={className} draggable={false} onError={() => setFailed(true)} />;
}

function Lightbox({
  images,
  index,
  onIndex,
  onClose,
}: {
  images: string[];
  index: number;
  onIndex: (i: number) => void;
  onClose: () => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  const count = images.length;
  const go = useCallback((delta: number) => onIndex((index + delta + count) % count), [index, count, onIndex]);

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    return () => previous?.focus?.();
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
      else if (e.key === "ArrowRight") go(1);
      else if (e.key === "ArrowLeft") go(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [go, onClose]);

  const azimuth = BENCHMARK_AZIMUTHS_DEG[index];
  return (
    <div
      role="dialog"
      aria-modal="true"
      aria-label={`Reference view ${index + 1} of ${count}`}
      data-testid="reference-lightbox"
      className="fixed inset-0 z-50 flex flex-col items-center justify-center gap-3 bg-black/85 p-4 backdrop-blur-sm"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div className="viewer-backdrop relative w-full max-w-[min(88vw,72vh)] overflow-hidden rounded-2xl border border-arena-border">
        <RefImage src={images[index]!} alt={`Reference view ${index + 1}`} className="aspect-square h-full w-full object-contain" />
        <button
          ref={closeRef}
          type="button"
          onClick={onClose}
          aria-label="Close"
          className="absolute top-2 right-2 flex h-9 w-9 items-center justify-center rounded-full bg-arena-bg/80 text-lg text-arena-text hover:bg-arena-raised"
        >
          ×
        </button>
      </div>
      <div className="flex items-center gap-3 text-sm text-arena-muted">
        <button type="button" onClick={() => go(-1)} className="rounded-lg px-3 py-1.5 hover:bg-white/10" aria-label="Previous view">
          ←
        </button>
        <span className="tabular">
          View {index + 1} of {count}
          {azimuth !== undefined ? ` · azimuth ${azimuth}°` : ""}
        </span>
        <button type="button" onClick={() => go(1)} className="rounded-lg px-3 py-1.5 hover:bg-white/10" aria-label="Next view">
          →
        </button>
      </div>
    </div>
  );
}
