"use client";

import { Canvas } from "@react-three/fiber";
import { useCallback, useEffect, useRef, useState } from "react";
import { BENCHMARK_FOV_DEG, type CameraLink, fitDistance, type Vec3, viewDirection } from "./camera-link";
import { CameraRig } from "./camera-rig";
import { ShadingKit, type ShadingMode } from "./shading";
import { useGlb } from "./use-glb";
import { ViewerErrorBoundary } from "./viewer-error-boundary";
import { ModelPrimitive, Prewarm, StudioLights } from "./viewer-scene";
import { ErrorOverlay, LoadingOverlay } from "./viewer-overlays";

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
  /** The person orbited, zoomed or panned this viewer. */
  onInteract?: () => void;
  shading?: ShadingMode;
  turntable?: boolean;
  /** The model this viewer will most likely show next (prefetched): its shaders are compiled ahead. */
  warmUrl?: string | null;
  /** Must position the root (e.g. "relative h-80" or "absolute inset-0"); overlays rely on it. */
  className?: string;
}

const INITIAL_POSITION = viewDirection(45).multiplyScalar(fitDistance(BENCHMARK_FOV_DEG, 1)).toArray();

/**
 * Interactive GLB viewer. Renders on demand (no continuous frame loop) so two viewers stay cheap,
 * including on software WebGL. Changing `url` swaps the model inside the same canvas. The root carries `data-loaded="true"` once the model is on screen,
 * `data-error`, `data-shading`, and `data-camera="x,y,z"` (camera position, 3 decimals).
 */
export function ModelViewer({
  url,
  label,
  viewerId,
  link,
  testId,
  onStatusChange,
  onInteract,
  shading = "materials",
  turntable = false,
  warmUrl = null,
  className = "relative",
}: ModelViewerProps) {
  const glb = useGlb(url);
  const [shown, setShown] = useState(false);
  const [renderError, setRenderError] = useState<string | null>(null);
  // The canvas outlives the model: a new URL (the next battle) swaps the model in the same scene,
  // reusing the WebGL context, compiled shaders and the environment map.
  const [forUrl, setForUrl] = useState(url);
  if (forUrl !== url) {
    setForUrl(url);
    setShown(false);
  }
  const [kit] = useState(() => new ShadingKit());
  useEffect(() => () => kit.dispose(), [kit]);

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

  // Written straight to the DOM: the camera moves every frame while orbiting or spinning, and a
  // React state update per frame would re-render the whole viewer for an attribute.
  const root = useRef<HTMLDivElement>(null);
  const onCamera = useCallback((p: Vec3) => {
    root.current?.setAttribute("data-camera", p.map((v) => (Math.round(v * 1000) / 1000).toFixed(3)).join(","));
  }, []);

  return (
    <div
      role="group"
      aria-roledescription="3D viewer"
      aria-label={`${label}: interactive 3D model. Drag to orbit, scroll or pinch to zoom.`}
      aria-busy={status === "loading"}
      ref={root}
      data-testid={testId}
      data-loaded={status === "loaded" ? "true" : "false"}
      data-error={status === "error" ? "true" : "false"}
      data-state={status}
      data-shading={shading}
      className={`viewer-backdrop overflow-hidden ${className}`}
    >
      {/* A broken file leaves the canvas in place (empty) for the next model; a lost context does not. */}
      {!renderError && (
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
            {glb.status === "ready" && <ModelPrimitive model={glb.model} shading={shading} kit={kit} viewerId={viewerId} onShown={onShown} />}
            {warmUrl && warmUrl !== url && <Prewarm url={warmUrl} />}
            <CameraRig viewerId={viewerId} link={link} turntable={turntable} onCamera={onCamera} onInteract={onInteract} />
          </Canvas>
        </ViewerErrorBoundary>
      )}

      {status === "loading" && (
        <LoadingOverlay
          loadedBytes={glb.status === "loading" && !glb.parsing ? glb.loadedBytes : null}
          totalBytes={glb.status === "loading" ? glb.totalBytes : null}
        />
      )}
      {status === "error" && <ErrorOverlay message={errorMessage} />}
      {/* Screen readers hear the outcome once, not every progress tick. */}
      <span className="sr-only" role="status">
        {status === "loaded" ? `${label} loaded.` : status === "error" ? `${label} could not be displayed.` : ""}
      </span>
    </div>
  );
}
