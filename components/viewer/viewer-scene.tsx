"use client";

import { Environment, Lightformer, OrbitControls } from "@react-three/drei";
import { useThree } from "@react-three/fiber";
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import type { Group, PerspectiveCamera } from "three";
import type { OrbitControls as OrbitControlsImpl } from "three-stdlib";
import { BENCHMARK_AZIMUTHS_DEG, type CameraLink, fitDistance, viewDirection } from "./camera-link";

/**
 * Offline studio lighting. The three lights follow the benchmark's key / fill / rim rig
 * (benchmark-compat §4), converted from Blender Z-up to glTF Y-up; a local Lightformer environment
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

/** Mounts the prepared model and reports once a frame containing it has been drawn. */
export function ModelPrimitive({ model, onShown }: { model: Group; onShown: () => void }) {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => {
    invalidate();
    let inner = 0;
    // Two animation frames: the demand-driven render happens on the first one.
    const outer = requestAnimationFrame(() => {
      inner = requestAnimationFrame(onShown);
    });
    return () => {
      cancelAnimationFrame(outer);
      cancelAnimationFrame(inner);
    };
  }, [model, invalidate, onShown]);
  return <primitive object={model} />;
}

/** Orbit controls starting at the benchmark's first view, optionally linked to another viewer. */
export function CameraRig({ viewerId, link }: { viewerId: string; link?: CameraLink }) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const width = useThree((s) => s.size.width);
  const height = useThree((s) => s.size.height);
  const invalidate = useThree((s) => s.invalidate);
  const controls = useRef<OrbitControlsImpl>(null);
  // Set while we move the camera ourselves, so our own "change" events are not re-published.
  const applying = useRef(false);
  // Once the user has orbited, a resize must not snap the camera back.
  const touched = useRef(false);

  const place = useCallback(
    (position: { x: number; y: number; z: number }, target: { x: number; y: number; z: number }) => {
      const c = controls.current;
      applying.current = true;
      camera.position.set(position.x, position.y, position.z);
      if (c) {
        c.target.set(target.x, target.y, target.z);
        c.update();
      } else {
        camera.lookAt(target.x, target.y, target.z);
      }
      applying.current = false;
      invalidate();
    },
    [camera, invalidate],
  );

  const goToView = useCallback(
    (azimuthDeg: number) => {
      const distance = fitDistance(camera.fov, width / Math.max(height, 1));
      place(viewDirection(azimuthDeg).multiplyScalar(distance), { x: 0, y: 0, z: 0 });
    },
    [camera, width, height, place],
  );

  useLayoutEffect(() => {
    if (!touched.current) goToView(BENCHMARK_AZIMUTHS_DEG[0]);
  }, [goToView]);

  useEffect(() => {
    if (!link) return;
    const leave = link.join(viewerId, (pose) => {
      touched.current = true;
      const [px, py, pz] = pose.position;
      const [tx, ty, tz] = pose.target;
      place({ x: px, y: py, z: pz }, { x: tx, y: ty, z: tz });
    });
    const stopViews = link.onView((azimuthDeg) => {
      touched.current = false;
      goToView(azimuthDeg);
    });
    return () => {
      leave();
      stopViews();
    };
  }, [link, viewerId, place, goToView]);

  const onChange = useCallback(() => {
    const c = controls.current;
    if (applying.current || !c || !link) return;
    link.publish(viewerId, {
      position: [camera.position.x, camera.position.y, camera.position.z],
      target: [c.target.x, c.target.y, c.target.z],
    });
  }, [camera, link, viewerId]);

  return (
    <OrbitControls
      ref={controls}
      makeDefault
      enableDamping
      dampingFactor={0.15}
      minDistance={0.8}
      maxDistance={12}
      onStart={() => {
        touched.current = true;
      }}
      onChange={onChange}
    />
  );
}
