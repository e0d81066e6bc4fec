"use client";

import { Environment, Lightformer } from "@react-three/drei";
import { useFrame, useThree } from "@react-three/fiber";
import { useEffect, useRef } from "react";
import { type Group, type Material, type Mesh, Texture } from "three";
import { peekGlb } from "./glb-cache";
import { applyShading, type ShadingKit, type ShadingMode } from "./shading";

/**
 * Performance marks around a model swap (`viewer-a:in-scene`, `viewer-a:first-frame`,
 * `viewer-a:drawn`), read by `npm run bench:arena` to say where the time after "Next" goes.
 * Old ones are cleared so a long session does not pile them up.
 */
function mark(viewerId: string, step: string): void {
  const name = `viewer-${viewerId}:${step}`;
  performance.clearMarks(name);
  performance.mark(name);
}

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
export function ModelPrimitive({
  model,
  shading,
  kit,
  viewerId,
  onShown,
}: {
  model: Group;
  shading: ShadingMode;
  kit: ShadingKit;
  viewerId: string;
  onShown: () => void;
}) {
  const invalidate = useThree((s) => s.invalidate);
  const scene = useThree((s) => s.scene);
  const framed = useRef<Group | null>(null);
  useFrame(() => {
    if (framed.current === model) return;
    framed.current = model;
    mark(viewerId, "first-frame");
  });

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
      mark(viewerId, "drawn");
      // Right after three's render call (React state changes do not belong inside it).
      queueMicrotask(() => {
        if (!cancelled) onShown();
      });
    };
    for (const mesh of meshes) mesh.onAfterRender = shown;
    // Nothing to draw (an empty scene): the first frame is all there is to wait for.
    if (meshes.length === 0) frame = requestAnimationFrame(shown);
    mark(viewerId, "in-scene");
    invalidate();
    return () => {
      cancelled = true;
      done = true;
      for (const mesh of meshes) mesh.onAfterRender = noop;
      cancelAnimationFrame(frame);
    };
  }, [model, invalidate, onShown, viewerId]);
  return <primitive object={model} />;
}

const noop = () => undefined;

/**
 * Readies this viewer's renderer for the model it will show next (prefetched while the voter looks
 * at the current one): compiles and links its shader programs against this scene's lights and
 * environment and uploads its textures. Otherwise all of that happens in the first frame after "Next", which on
 * software WebGL takes seconds. Programs are shared by material configuration, so the swap then
 * finds them ready. The model stays the cache's until a viewer takes it; nothing here changes it.
 */
export function Prewarm({ url }: { url: string }) {
  const gl = useThree((s) => s.gl);
  const scene = useThree((s) => s.scene);
  const camera = useThree((s) => s.camera);
  useEffect(() => {
    const pending = peekGlb(url);
    if (!pending) return;
    let live = true;
    pending.then(
      (model) => {
        // Taken or dropped meanwhile (then disposed): nothing left to warm.
        if (!live || peekGlb(url) !== pending) return;
        const materials = gl.compile(model, camera, scene);
        // compile() only queues the work: the browser compiles and links a shader when it is
        // first asked about it, which three does in the first frame that uses it (profiled: seconds
        // of getShaderInfoLog after "Next" on software WebGL). Asking now pays that while the
        // voter looks at the current battle.
        for (const material of materials) {
          const program = (gl.properties.get(material) as { currentProgram?: { getUniforms: () => unknown } }).currentProgram;
          program?.getUniforms();
        }
        for (const texture of texturesOf(model)) gl.initTexture(texture);
      },
      () => undefined, // a failed prefetch shows its error if and when the viewer takes it
    );
    return () => {
      live = false;
    };
  }, [url, gl, scene, camera]);
  return null;
}

function texturesOf(model: Group): Set<Texture> {
  const textures = new Set<Texture>();
  model.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    for (const material of (Array.isArray(mesh.material) ? mesh.material : [mesh.material]) as Material[]) {
      for (const value of Object.values(material)) if (value instanceof Texture) textures.add(value);
    }
  });
  return textures;
}
