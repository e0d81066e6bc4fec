/**
 * Camera framing shared by every viewer, plus a small bus that keeps two viewers' cameras in step.
 *
 * Models are normalised to a unit bounding sphere at the origin, so a pose (position + orbit
 * target) means the same framing in both viewers and can be copied verbatim.
 */
import { Vector3 } from "three";

/** 50 mm lens on a 36 mm sensor, as the benchmark renders (benchmark-compat §4). */
export const BENCHMARK_FOV_DEG = 39.6;
/** Benchmark camera at r = 1.8·extent, h = 0.6·extent: elevation atan(1/3) ≈ 18.43° (§4). */
const ELEVATION_TANGENT = 1 / 3;
/** The four benchmark views, frames 5/15/25/35 of 40: azimuth from +X toward +Y (§4). */
export const BENCHMARK_AZIMUTHS_DEG = [45, 135, 225, 315] as const;

/**
 * Direction from the origin to the camera for a benchmark azimuth. The benchmark is Z-up; the
 * GLBs are exported Y-up, which maps Blender (x, y, z) to glTF (x, z, -y).
 */
export function viewDirection(azimuthDeg: number): Vector3 {
  const t = (azimuthDeg * Math.PI) / 180;
  return new Vector3(Math.cos(t), ELEVATION_TANGENT, -Math.sin(t)).normalize();
}

/** Distance at which a sphere of `radius` just fits the narrower field of view, with a margin. */
export function fitDistance(fovDeg: number, aspect: number, radius = 1, margin = 1.04): number {
  const halfV = (fovDeg * Math.PI) / 360;
  const halfH = Math.atan(Math.tan(halfV) * (aspect > 0 ? aspect : 1));
  return (radius * margin) / Math.sin(Math.min(halfV, halfH));
}

export type Vec3 = [number, number, number];
export interface CameraPose {
  position: Vec3;
  target: Vec3;
}

type PoseListener = (pose: CameraPose) => void;
type ViewListener = (azimuthDeg: number) => void;

export class CameraLink {
  /** When false, orbiting one viewer leaves the other alone. View presets always apply to both. */
  synced = true;
  private readonly poseListeners = new Map<string, PoseListener>();
  private readonly viewListeners = new Set<ViewListener>();

  /** Register a viewer; it receives poses published by the others. Returns the unsubscribe. */
  join(viewerId: string, onPose: PoseListener): () => void {
    this.poseListeners.set(viewerId, onPose);
    return () => {
      this.poseListeners.delete(viewerId);
    };
  }

  publish(fromViewerId: string, pose: CameraPose): void {
    if (!this.synced) return;
    for (const [id, listener] of this.poseListeners) if (id !== fromViewerId) listener(pose);
  }

  onView(listener: ViewListener): () => void {
    this.viewListeners.add(listener);
    return () => {
      this.viewListeners.delete(listener);
    };
  }

  /** Move every viewer to a benchmark view (azimuth in degrees). */
  goToView(azimuthDeg: number): void {
    for (const listener of this.viewListeners) listener(azimuthDeg);
  }
}
