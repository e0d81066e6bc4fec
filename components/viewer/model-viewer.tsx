"use client";

import { Canvas } from "@react-three/fiber";
import { useCallback, useEffect, useRef, useState } from "react";
import { BENCHMARK_FOV_DEG, type CameraLink, fitDistance, viewDirection } from "./camera-link";
import { useGlb } from "./use-glb";
import { ViewerErrorBoundary } from "./viewer-error-boundary";
import { CameraRig, ModelPrimitive, StudioLights } from "./viewer-scene";

export type ViewerStatus = "loading" | "loaded" | "error";

export interface ModelViewerProps {
  url: string;
  /** Accessible name, e.g. "Model A". */
  label: string;
  /** Distinguishes the viewers on a shared CameraLink. */
  viewerId: string;
  link?: CameraLink;
  testId?: string;
  onStatusChange?: (status: ViewerStatus) => void;
  /** Must position the root (e.g. "relative h-80" or "absolute inset-0"); overlays rely on it. */
  className?: string;
}

const INITIAL_POSITION = viewDirection(45).multiplyScalar(fitDistance(BENCHMARK_FOV_DEG, 1)).toArray();

/**
 * Interactive GLB viewer. Renders on demand (no continuous frame loop) so two viewers stay cheap,
 * including on software WebGL. The root carries `data-loaded="true"` once the model is on screen.
 */
export function ModelViewer({ url, label, viewerId, link, testId, onStatusChange, className = "relative" }: ModelViewerProps) {
  const glb = useGlb(url);
  const [shown, setShown] = useState(false);
  const [renderError, setRenderError] = useState<string | null>(null);

  const status: ViewerStatus = renderError || glb.status === "error" ? "error" : shown ? "loaded" : "loading";
  // A broken file is the root cause; the context loss that follows unmounting the canvas is not.
  const errorMessage = glb.status === "error" ? glb.message : renderError;

  const reported = useRef<ViewerStatus | null>(null);
  useEffect(() => {
    if (reported.current === status) return;
    reported.current = status;
    onStatusChange?.(status);
  }, [status, onStatusChange]);

  const onShown = useCallback(() => setShown(true), []);
  const onCanvasError = useCallback((message: string) => setRenderError(message), []);

  return (
    <div
      role="group"
      aria-roledescription="3D viewer"
      aria-label={`${label}: interactive 3D model. Drag to orbit, scroll or pinch to zoom.`}
      aria-busy={status === "loading"}
      data-testid={testId}
      data-loaded={status === "loaded" ? "true" : "false"}
      data-state={status}
      className={`viewer-backdrop overflow-hidden ${className}`}
    >
      {status !== "error" && (
        <ViewerErrorBoundary onError={onCanvasError} fallback={() => null}>
          <Canvas
            className="!absolute inset-0 touch-none"
            frameloop="demand"
            dpr={[1, 2]}
            gl={{ antialias: true, alpha: true, preserveDrawingBuffer: false, powerPreference: "low-power" }}
            camera={{ fov: BENCHMARK_FOV_DEG, near: 0.01, far: 100, position: INITIAL_POSITION }}
            onCreated={({ gl }) => {
              gl.domElement.addEventListener("webglcontextlost", (event) => {
                event.preventDefault();
                setRenderError("The browser dropped the 3D context. Reload the page to try again.");
              });
            }}
          >
            <StudioLights />
            {glb.status === "ready" && <ModelPrimitive model={glb.model} onShown={onShown} />}
            <CameraRig viewerId={viewerId} link={link} />
          </Canvas>
        </ViewerErrorBoundary>
      )}

      {status === "loading" && (
        <LoadingOverlay
          loadedBytes={glb.status === "loading" ? glb.loadedBytes : null}
          totalBytes={glb.status === "loading" ? glb.totalBytes : null}
        />
      )}
      {status === "error" && <ErrorOverlay message={errorMessage} />}
    </div>
  );
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `loadedBytes` is null once the download is done and the model is being parsed and drawn. */
function LoadingOverlay({ loadedBytes, totalBytes }: { loadedBytes: number | null; totalBytes: number | null }) {
  const fraction = loadedBytes !== null && totalBytes ? Math.min(loadedBytes / totalBytes, 1) : null;
  const caption =
    loadedBytes === null
      ? "Preparing model…"
      : fraction !== null
        ? `Loading model… ${Math.round(fraction * 100)}%`
        : loadedBytes > 0
          ? `Loading model… ${formatBytes(loadedBytes)}`
          : "Loading model…";
  return (
    <div className="pointer-events-none absolute inset-0 flex flex-col items-center justify-center gap-3" data-testid="viewer-loading">
      <div
        className="h-1.5 w-40 overflow-hidden rounded-full bg-white/10"
        role="progressbar"
        aria-label="Model download"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={fraction !== null ? Math.round(fraction * 100) : undefined}
      >
        {fraction !== null ? (
          <div className="h-full rounded-full bg-arena-accent transition-[width] duration-150" style={{ width: `${fraction * 100}%` }} />
        ) : (
          <div className="animate-indeterminate h-full w-2/5 rounded-full bg-arena-accent/80" />
        )}
      </div>
      <p className="text-xs text-arena-muted tabular">{caption}</p>
    </div>
  );
}

function ErrorOverlay({ message }: { message: string | null }) {
  return (
    <div className="absolute inset-0 flex flex-col items-center justify-center gap-2 px-6 text-center" data-testid="viewer-error">
      <svg viewBox="0 0 24 24" className="h-8 w-8 text-arena-danger/90" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
        <path d="M12 3 21 19H3z" strokeLinejoin="round" />
        <path d="M12 10v4M12 16.5v.5" strokeLinecap="round" />
      </svg>
      <p className="text-sm font-medium">This model could not be displayed</p>
      {message && <p className="max-w-xs text-xs break-words text-arena-muted">{message}</p>}
    </div>
  );
}
