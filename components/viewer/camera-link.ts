/**
 * Camera framing shared by every viewer, plus a small bus that keeps two viewers' cameras in step.
 *
 * Models are normalised to a unit bounding sphere at the origin, so a pose (position + orbit
 * target) means the same framing in both viewers and can be copied verbatim.
 */
import { Vector3 } from "three";

/** 50 mm lens on a 36 mm sensor, as the benchmark renders (docs/benchmark.md §4). */
export const BENCHMARK_FOV_DEG = 39.6;
/** Benchmark camera at r = 1.8·extent, h = 0.6·extent: elevation atan(1/3) ≈ 18.43° (§4). */
const ELEVATION_TANGENT = 1 / 3;
/** The four benchmark views, frames 5/15/25/35 of 40: azimuth from +X toward +Y (§4). */
export const BENCHMARK_AZIMUTHS_DEG = [45, 135, 225, 315] as const;

/**
 * Direction from the origin to the camera for a benchmark azimuth. The benchmark is Z-up; the
 * GLBs are exported Y-up, which maps Blender (x, y, z) to glTF (x, z, -y).
 */
export function viewDirection(azimuthDeg: number, elevationTangent = ELEVATION_TANGENT): Vector3 {
  const t = (azimuthDeg * Math.PI) / 180;
  return new Vector3(Math.cos(t), elevationTangent, -Math.sin(t)).normalize();
}

export interface ViewPreset {
  /** Stable id, used in test ids (view-preset-<name>). */
  name: string;
  /** Short button label. */
  label: string;
  title: string;
  /** Unit vector from the orbit target to the camera (glTF Y-up). */
  direction: Vec3;
}

const toVec3 = (v: Vector3): Vec3 => [v.x, v.y, v.z];

/**
 * The benchmark's four views first (what the automatic metrics saw), then Blender's front, side
 * and top. Front looks along Blender +Y (camera at -Y, i.e. glTF +Z); side is Blender's "Right"
 * view (camera at +X). Top is tilted by a hair: straight down, the orbit's up vector is undefined.
 */
export const VIEW_PRESETS: readonly ViewPreset[] = [
  ...BENCHMARK_AZIMUTHS_DEG.map((azimuth, i) => ({
    name: String(i + 1),
    label: String(i + 1),
    title: `Benchmark view ${i + 1} (azimuth ${azimuth}°, elevation 18.4°)`,
    direction: toVec3(viewDirection(azimuth)),
  })),
  { name: "front", label: "Front", title: "Front view", direction: [0, 0, 1] },
  { name: "side", label: "Side", title: "Side view (from the right)", direction: [1, 0, 0] },
  { name: "top", label: "Top", title: "Top view", direction: toVec3(new Vector3(0, 1, 1e-3).normalize()) },
];

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
type ViewListener = (direction: Vec3) => void;

export class CameraLink {
  /** When false, orbiting one viewer leaves the other alone. View presets always apply to both. */
  synced = true;
  private readonly poseListeners = new Map<string, PoseListener>();
  private readonly viewListeners = new Set<ViewListener>();
  /** The last pose someone steered to, kept while decoupled so re-syncing can align the others. */
  private latest: { from: string; pose: CameraPose } | null = null;

  /** Turning sync back on brings every viewer to the most recently steered camera. */
  setSynced(synced: boolean): void {
    if (synced === this.synced) return;
    this.synced = synced;
    if (synced && this.latest) this.publish(this.latest.from, this.latest.pose);
  }

  /** Register a viewer; it receives poses published by the others. Returns the unsubscribe. */
  join(viewerId: string, onPose: PoseListener): () => void {
    this.poseListeners.set(viewerId, onPose);
    return () => {
      this.poseListeners.delete(viewerId);
    };
  }

  publish(fromViewerId: string, pose: CameraPose): void {
    this.latest = { from: fromViewerId, pose };
    if (!this.synced) return;
    for (const [id, listener] of this.poseListeners) if (id !== fromViewerId) listener(pose);
  }

  /**
   * Whether this viewer animates its own camera (turntable). While synced only the first viewer
   * still on the link does, and the others follow its published poses; two drivers would fight.
   */
  drives(viewerId: string): boolean {
    if (!this.synced) return true;
    const first = this.poseListeners.keys().next();
    return first.done === true || first.value === viewerId;
  }

  onView(listener: ViewListener): () => void {
    this.viewListeners.add(listener);
    return () => {
      this.viewListeners.delete(listener);
    };
  }

  /** Move every viewer to look at the model from `direction` (unit vector, target to camera). */
  goToView(direction: Vec3): void {
    this.latest = null;
    for (const listener of this.viewListeners) listener(direction);
  }
}
