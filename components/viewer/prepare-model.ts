/** Turns a parsed glTF into something both viewers frame identically, and frees it afterwards. */
import { Box3, Group, Material, Mesh, MeshStandardMaterial, Object3D, Texture, Vector3 } from "three";
import type { GLTF } from "three/examples/jsm/loaders/GLTFLoader.js";

/**
 * glTF's default material (used when a primitive has none) is white and fully metallic, which
 * renders near-black without an environment. Use the benchmark's grey instead (§4: base colour
 * 0.72, 0.72, 0.75 linear; roughness 0.65).
 */
function replaceDefaultMaterials(gltf: GLTF): void {
  let grey: MeshStandardMaterial | null = null;
  gltf.scene.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    const materials = Array.isArray(mesh.material) ? mesh.material : [mesh.material];
    const replaced = materials.map((material) => {
      if (gltf.parser.associations.has(material)) return material;
      grey ??= new MeshStandardMaterial({ roughness: 0.65, metalness: 0 });
      grey.color.setRGB(0.72, 0.72, 0.75);
      return grey;
    });
    mesh.material = Array.isArray(mesh.material) ? replaced : replaced[0]!;
  });
}

/**
 * Centre the model on the origin and scale it to a unit bounding sphere, so both sides of a
 * battle get the same framing whatever units the script used.
 */
export function prepareModel(gltf: GLTF): Group {
  replaceDefaultMaterials(gltf);
  const scene = gltf.scene;
  scene.updateMatrixWorld(true);
  const box = new Box3().setFromObject(scene, true);
  const center = box.isEmpty() ? new Vector3() : box.getCenter(new Vector3());
  const radius = maxDistanceFrom(scene, center);
  const scale = radius > 1e-9 ? 1 / radius : 1;

  const offset = new Group();
  offset.position.copy(center).multiplyScalar(-1);
  offset.add(scene);
  const root = new Group();
  root.name = "normalised-model";
  root.scale.setScalar(scale);
  root.add(offset);
  return root;
}

/**
 * Radius of the smallest sphere about `center` holding every vertex. Tighter than the bounding
 * box's sphere (up to 1.7x for a cube), so models fill the frame like the benchmark's renders.
 */
function maxDistanceFrom(root: Object3D, center: Vector3): number {
  const v = new Vector3();
  let maxSq = 0;
  root.traverse((object) => {
    const mesh = object as Mesh;
    const position = mesh.isMesh ? mesh.geometry?.getAttribute("position") : undefined;
    if (!position) return;
    for (let i = 0; i < position.count; i++) {
      v.fromBufferAttribute(position, i).applyMatrix4(mesh.matrixWorld);
      maxSq = Math.max(maxSq, v.distanceToSquared(center));
    }
  });
  return Math.sqrt(maxSq);
}

export function disposeObject(root: Object3D): void {
  const materials = new Set<Material>();
  root.traverse((object) => {
    const mesh = object as Mesh;
    if (!mesh.isMesh) return;
    mesh.geometry?.dispose();
    for (const material of Array.isArray(mesh.material) ? mesh.material : [mesh.material]) materials.add(material);
  });
  for (const material of materials) {
    for (const value of Object.values(material)) if (value instanceof Texture) value.dispose();
    material.dispose();
  }
}
