"use client";

import { Environment, Lightformer } from "@react-three/drei";
import { useThree } from "@react-three/fiber";
import { useEffect } from "react";
import type { Group, Mesh } from "three";
import { applyShading, type ShadingKit, type ShadingMode } from "./shading";

/**
 * Offline studio lighting. The three lights follow the benchmark's key / fill / rim rig
 * (docs/benchmark.md §4), converted from Blender Z-up to glTF Y-up; a local Lightformer environment
 * gives metals something to reflect without downloading an HDRI.
 */
export function StudioLights() {
  return (
    <>
      <hemisphereLight args={["#dfe6ff", "#2a2f3a", 0.45]} />
      <directionalLight position={[1.62, 1.02, 1.26]} intensity={1.7} />
      <directionalLight position={[-1.08, 0.6, 0.72]} intensity={0.55} />
      <directionalLight position={[0, 0.78, -1.62]} intensity={0.85} />
      <Environment resolution={64} frames={1} environmentIntensity={0.4}>
        <Lightformer form="rect" intensity={2} position={[3, 4, 3]} scale={[4, 4, 1]} target={[0, 0, 0]} />
        <Lightformer form="rect" intensity={0.8} position={[-4, 1, 2]} scale={[3, 6, 1]} target={[0, 0, 0]} />
        <Lightformer form="rect" intensity={1.2} position={[0, 2, -4]} scale={[6, 2, 1]} target={[0, 0, 0]} />
        <Lightformer form="rect" intensity={0.35} position={[0, -4, 0]} scale={[8, 8, 1]} target={[0, 0, 0]} />
      </Environment>
    </>
  );
}

/**
 * Mounts the prepared model, shaded as asked, and reports once a frame containing it has been
 * drawn: the first mesh's onAfterRender, not a guess in animation frames (on software WebGL the
 * first frame with new shaders can take far longer than one).
 */
export function ModelPrimitive({ model, shading, kit, onShown }: { model: Group; shading: ShadingMode; kit: ShadingKit; onShown: () => void }) {
  const invalidate = useThree((s) => s.invalidate);
  const scene = useThree((s) => s.scene);

  useEffect(() => {
    const undo = applyShading(scene, model, shading, kit);
    invalidate();
    return () => {
      undo();
      invalidate();
    };
  }, [scene, model, shading, kit, invalidate]);

  useEffect(() => {
    const meshes: Mesh[] = [];
    model.traverse((o) => {
      if ((o as Mesh).isMesh) meshes.push(o as Mesh);
    });
    let done = false;
    let cancelled = false;
    let frame = 0;
    const shown = () => {
      if (done) return;
      done = true;
      for (const mesh of meshes) mesh.onAfterRender = noop;
      // Right after three's render call (React state changes do not belong inside it).
      queueMicrotask(() => {
        if (!cancelled) onShown();
      });
    };
    for (const mesh of meshes) mesh.onAfterRender = shown;
    // Nothing to draw (an empty scene): the first frame is all there is to wait for.
    if (meshes.length === 0) frame = requestAnimationFrame(shown);
    invalidate();
    return () => {
      cancelled = true;
      done = true;
      for (const mesh of meshes) mesh.onAfterRender = noop;
      cancelAnimationFrame(frame);
    };
  }, [model, invalidate, onShown]);
  return <primitive object={model} />;
}

const noop = () => undefined;
