/**
 * Shading modes for judging geometry apart from colour. Clay and normals use the scene's
 * overrideMaterial, so the model's own materials are never swapped out (nothing to restore or
 * leak); the wireframe overlay adds line meshes that share each mesh's geometry.
 */
import { Material, Mesh, MeshBasicMaterial, MeshNormalMaterial, MeshStandardMaterial, type Object3D, type Scene } from "three";

export const SHADING_MODES = ["materials", "clay", "wireframe", "normals"] as const;
export type ShadingMode = (typeof SHADING_MODES)[number];

export const SHADING_LABELS: Record<ShadingMode, { label: string; title: string }> = {
  materials: { label: "Materials", title: "Materials as the model authored them" },
  clay: { label: "Clay", title: "Uniform grey: compare shape without colour" },
  wireframe: { label: "Wire", title: "Materials with the triangle wireframe on top" },
  normals: { label: "Normals", title: "Surface normals as colours: reveals flipped or faceted faces" },
};

/** Materials one viewer needs for every mode; created once per canvas and disposed with it. */
export class ShadingKit {
  // Matte and neutral, like a sculptor's clay render: no colour, gloss or metal to judge, only
  // form. Deliberately not prepare-model's default-material grey, so models without materials
  // still visibly switch into clay mode.
  readonly clay = new MeshStandardMaterial({ roughness: 0.95, metalness: 0 });
  readonly normals = new MeshNormalMaterial();
  readonly wire = new MeshBasicMaterial({ color: 0x6ea8fe, wireframe: true, transparent: true, opacity: 0.55, depthWrite: false });

  constructor() {
    this.clay.color.setRGB(0.55, 0.55, 0.55);
  }

  dispose(): void {
    this.clay.dispose();
    this.normals.dispose();
    this.wire.dispose();
  }
}

/** Applies `mode` to `model` in `scene`; returns the undo, to call before switching again. */
export function applyShading(scene: Scene, model: Object3D, mode: ShadingMode, kit: ShadingKit): () => void {
  if (mode === "clay" || mode === "normals") {
    scene.overrideMaterial = mode === "clay" ? kit.clay : kit.normals;
    return () => {
      scene.overrideMaterial = null;
    };
  }
  if (mode === "wireframe") return addWireOverlay(model, kit.wire);
  return () => {};
}

interface OffsetState {
  polygonOffset: boolean;
  factor: number;
  units: number;
}

function addWireOverlay(model: Object3D, wire: Material): () => void {
  const meshes: Mesh[] = [];
  model.traverse((object) => {
    if ((object as Mesh).isMesh) meshes.push(object as Mesh);
  });
  // Lines and the faces under them rasterise at the same depth; pushing the faces back a little
  // (polygon offset applies to faces only) keeps the lines from flickering in and out.
  const saved = new Map<Material, OffsetState>();
  const overlays: Mesh[] = [];
  for (const mesh of meshes) {
    for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) {
      if (saved.has(material)) continue;
      saved.set(material, { polygonOffset: material.polygonOffset, factor: material.polygonOffsetFactor, units: material.polygonOffsetUnits });
      material.polygonOffset = true;
      material.polygonOffsetFactor = 1;
      material.polygonOffsetUnits = 1;
    }
    const overlay = new Mesh(mesh.geometry, wire);
    overlay.name = "wireframe-overlay";
    overlay.renderOrder = 1;
    overlay.raycast = () => {};
    mesh.add(overlay);
    overlays.push(overlay);
  }
  return () => {
    for (const overlay of overlays) overlay.removeFromParent();
    for (const [material, s] of saved) {
      material.polygonOffset = s.polygonOffset;
      material.polygonOffsetFactor = s.factor;
      material.polygonOffsetUnits = s.units;
    }
  };
}
