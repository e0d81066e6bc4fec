"use client";

import { OrbitControls } from "@react-three/drei";
import { useFrame, useThree } from "@react-three/fiber";
import { useCallback, useEffect, useLayoutEffect, useRef } from "react";
import { type PerspectiveCamera, Vector3 } from "three";
import type { OrbitControls as OrbitControlsImpl } from "three-stdlib";
import { type CameraLink, fitDistance, type Vec3, VIEW_PRESETS } from "./camera-link";

/** One full turn every 12 s: slow enough to study the model, quick enough to see every side. */
const TURNTABLE_RAD_PER_SEC = (2 * Math.PI) / 12;
/**
 * How long an orbit glides on after the pointer is released. The canvas renders on demand, so
 * frames are requested for this long and then the rest of the momentum is spent at once: the
 * glide always ends, at the pose it was heading for, instead of stalling and creeping on later
 * (a damped step too small to report would stop requesting frames).
 */
const GLIDE_MS = 700;
const UP = new Vector3(0, 1, 0);

interface Props {
  viewerId: string;
  link?: CameraLink;
  /** Spin the camera about the vertical axis until switched off. */
  turntable?: boolean;
  /** Every camera move, the viewer's own and the ones copied from the other side. */
  onCamera?: (position: Vec3) => void;
  /** The person orbited, zoomed or panned this viewer. */
  onInteract?: () => void;
}

/** Orbit controls starting at the benchmark's first view, optionally linked to another viewer. */
export function CameraRig({ viewerId, link, turntable = false, onCamera, onInteract }: Props) {
  const camera = useThree((s) => s.camera) as PerspectiveCamera;
  const width = useThree((s) => s.size.width);
  const height = useThree((s) => s.size.height);
  const invalidate = useThree((s) => s.invalidate);
  const controls = useRef<OrbitControlsImpl>(null);
  // Set while we move the camera ourselves, so our own "change" events are not re-published.
  const applying = useRef(false);
  // Until the user orbits, a resize (e.g. full screen) re-frames the last preset; after, it must not snap back.
  const touched = useRef(false);
  const preset = useRef<Vec3>(VIEW_PRESETS[0]!.direction);
  // The turntable waits while the person drags, instead of wrestling the camera from them.
  const dragging = useRef(false);
  // When the glide after a drag must be finished (0: no glide under way).
  const glideUntil = useRef(0);

  const report = useCallback(() => {
    onCamera?.([camera.position.x, camera.position.y, camera.position.z]);
  }, [camera, onCamera]);

  const place = useCallback(
    (position: Vector3 | { x: number; y: number; z: number }, target: { x: number; y: number; z: number }) => {
      const c = controls.current;
      applying.current = true;
      if (c) stopGlide(c);
      camera.position.set(position.x, position.y, position.z);
      if (c) {
        c.target.set(target.x, target.y, target.z);
        c.update();
      } else {
        camera.lookAt(target.x, target.y, target.z);
      }
      applying.current = false;
      report();
      invalidate();
    },
    [camera, invalidate, report],
  );

  const goToView = useCallback(
    (direction: Vec3) => {
      const distance = fitDistance(camera.fov, width / Math.max(height, 1));
      place(new Vector3(...direction).multiplyScalar(distance), { x: 0, y: 0, z: 0 });
    },
    [camera, width, height, place],
  );

  useLayoutEffect(() => {
    if (!touched.current) goToView(preset.current);
  }, [goToView]);

  useEffect(() => {
    if (!link) return;
    const leave = link.join(viewerId, (pose) => {
      touched.current = true;
      const [px, py, pz] = pose.position;
      const [tx, ty, tz] = pose.target;
      place({ x: px, y: py, z: pz }, { x: tx, y: ty, z: tz });
    });
    const stopViews = link.onView((direction) => {
      touched.current = false;
      preset.current = direction;
      goToView(direction);
    });
    return () => {
      leave();
      stopViews();
    };
  }, [link, viewerId, place, goToView]);

  const onChange = useCallback(() => {
    report();
    const c = controls.current;
    if (applying.current || !c || !link) return;
    link.publish(viewerId, {
      position: [camera.position.x, camera.position.y, camera.position.z],
      target: [c.target.x, c.target.y, c.target.z],
    });
  }, [camera, link, viewerId, report]);

  // The canvas renders on demand; while the turntable runs, ask for the next frame every frame.
  useEffect(() => {
    if (turntable) invalidate();
  }, [turntable, invalidate]);
  useFrame((_, delta) => {
    if (glideUntil.current) {
      const c = controls.current;
      if (performance.now() < glideUntil.current) invalidate();
      else {
        glideUntil.current = 0;
        if (c) stopGlide(c); // lands on the glide's end pose; "change" publishes it
      }
    }
    if (!turntable) return;
    invalidate();
    const c = controls.current;
    if (!c || dragging.current || (link && !link.drives(viewerId))) return;
    // After an idle stretch the first delta spans the whole pause; cap it so the model doesn't jump.
    const angle = Math.min(delta, 0.1) * TURNTABLE_RAD_PER_SEC;
    camera.position.sub(c.target).applyAxisAngle(UP, angle).add(c.target);
    touched.current = true;
    c.update(); // fires "change", which reports and publishes the new pose
  });

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
        dragging.current = true;
        glideUntil.current = 0;
        onInteract?.();
      }}
      onEnd={() => {
        dragging.current = false;
        glideUntil.current = performance.now() + GLIDE_MS;
        invalidate();
      }}
      onChange={onChange}
    />
  );
}

/**
 * Drop what is left of an orbit's damped glide. Otherwise a preset or a pose from the other
 * viewer lands and the leftover momentum carries the camera on past it. OrbitControls keeps that
 * momentum private; one undamped update spends it all at once (and the caller then overwrites
 * the pose it produced).
 */
function stopGlide(c: OrbitControlsImpl): void {
  const damping = c.enableDamping;
  c.enableDamping = false;
  c.update();
  c.enableDamping = damping;
}
