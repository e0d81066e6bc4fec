"""MeshStats (blender-runner/client/types.ts) over the evaluated meshes, world space, Z-up.

Geometry Nodes instances of a collected mesh object are included (they are what renders).
"""
import bpy
import numpy as np

try:  # the bpy venv has scipy; a stock Blender binary's bundled Python may not
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree
except ImportError:  # pragma: no cover - exercised only with BLENDER=<binary>
    coo_matrix = connected_components = cKDTree = None

# Above this many parts the exact all-pairs AABB gap is too slow; candidates come from a KD-tree.
_EXACT_GAP_MAX_PARTS = 2500
_KD_NEIGHBOURS = 16


class _LocalMesh:
    """Per-mesh facts in object space, computed once per distinct evaluated mesh."""

    def __init__(self, mesh):
        nv, ne, npoly = len(mesh.vertices), len(mesh.edges), len(mesh.polygons)
        self.verts = np.empty(nv * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", self.verts)
        self.verts = self.verts.reshape(-1, 3)
        edges = np.empty(ne * 2, dtype=np.int64)
        mesh.edges.foreach_get("vertices", edges)
        edges = edges.reshape(-1, 2)
        loop_total = np.empty(npoly, dtype=np.int64)
        mesh.polygons.foreach_get("loop_total", loop_total)
        loop_edges = np.empty(len(mesh.loops), dtype=np.int64)
        mesh.loops.foreach_get("edge_index", loop_edges)
        self.faces = npoly
        self.triangles = int(np.maximum(loop_total - 2, 0).sum())
        faces_per_edge = np.bincount(loop_edges, minlength=ne) if ne else np.zeros(0, dtype=np.int64)
        self.non_manifold = int((faces_per_edge != 2).sum())
        if nv:
            self.n_parts, labels = _components(nv, edges)
            self.order = np.argsort(labels, kind="stable")
            self.starts = np.searchsorted(labels[self.order], np.arange(self.n_parts))
        else:
            self.n_parts = 0
        self.has_material = any(m is not None for m in mesh.materials)

    def world(self, matrix):
        return self.verts @ matrix[:3, :3].T + matrix[:3, 3]

    def part_boxes(self, world_verts):
        ordered = world_verts[self.order]
        return (np.minimum.reduceat(ordered, self.starts, axis=0),
                np.maximum.reduceat(ordered, self.starts, axis=0))


def _components(nv, edges):
    """Connected components (loose parts) of the vertex/edge graph: (count, label per vertex)."""
    if connected_components is not None:
        graph = coo_matrix((np.ones(len(edges), dtype=np.int8), (edges[:, 0], edges[:, 1])), shape=(nv, nv))
        return connected_components(graph, directed=False)
    # Union-find without scipy: min-label propagation with pointer jumping, vectorised.
    labels = np.arange(nv)
    a, b = edges[:, 0], edges[:, 1]
    while True:
        m = np.minimum(labels[a], labels[b])
        new = labels.copy()
        np.minimum.at(new, labels[a], m)
        np.minimum.at(new, labels[b], m)
        while True:  # jump to the root
            jumped = new[new]
            if np.array_equal(jumped, new):
                break
            new = jumped
        if np.array_equal(new, labels):
            break
        labels = new
    _, dense = np.unique(labels, return_inverse=True)
    return int(dense.max()) + 1, dense


def _aabb_gap(lo_a, hi_a, lo_b, hi_b):
    d = np.maximum(0.0, np.maximum(lo_b - hi_a, lo_a - hi_b))
    return np.sqrt((d * d).sum(axis=-1))


def _max_part_gap(lo, hi):
    n = len(lo)
    if n < 2:
        return 0.0
    nearest = np.full(n, np.inf)
    if n <= _EXACT_GAP_MAX_PARTS or cKDTree is None:
        for start in range(0, n, 256):
            stop = min(n, start + 256)
            gaps = _aabb_gap(lo[start:stop, None, :], hi[start:stop, None, :], lo[None], hi[None])
            gaps[np.arange(stop - start), np.arange(start, stop)] = np.inf
            nearest[start:stop] = gaps.min(axis=1)
    else:
        # Approximation: nearest by box centre, exact AABB gap among those candidates.
        centres = (lo + hi) / 2
        _, idx = cKDTree(centres).query(centres, k=min(_KD_NEIGHBOURS + 1, n))
        for j in range(1, idx.shape[1]):
            other = idx[:, j]
            nearest = np.minimum(nearest, _aabb_gap(lo, hi, lo[other], hi[other]))
    return float(nearest.max())


def _mesh_instances(depsgraph, originals):
    """(evaluated mesh, world matrix) for every collected object and its GN mesh instances."""
    for inst in depsgraph.object_instances:
        obj = inst.object
        if obj.type != "MESH":
            continue
        owner = inst.parent if inst.is_instance else obj
        if owner is None or owner.original not in originals:
            continue
        yield obj.data, np.array(inst.matrix_world, dtype=np.float64)


def compute_stats(objects):
    depsgraph = bpy.context.evaluated_depsgraph_get()
    originals = set(objects)
    cache = {}
    vertices = faces = triangles = parts = non_manifold = 0
    part_lo, part_hi = [], []
    lo = np.full(3, np.inf)
    hi = np.full(3, -np.inf)
    has_materials = any(m is not None for o in objects for m in o.data.materials) or any(
        s.material is not None for o in objects for s in o.material_slots
    )
    for mesh, matrix in _mesh_instances(depsgraph, originals):
        key = mesh.as_pointer()
        local = cache.get(key)
        if local is None:
            local = cache[key] = _LocalMesh(mesh)
        has_materials = has_materials or local.has_material
        vertices += len(local.verts)
        faces += local.faces
        triangles += local.triangles
        non_manifold += local.non_manifold
        parts += local.n_parts
        if len(local.verts) == 0:
            continue
        world = local.world(matrix)
        lo = np.minimum(lo, world.min(axis=0))
        hi = np.maximum(hi, world.max(axis=0))
        plo, phi = local.part_boxes(world)
        part_lo.append(plo)
        part_hi.append(phi)
    if not np.isfinite(lo).all():
        lo = hi = np.zeros(3)
    extent = float((hi - lo).max())
    if extent <= 0.0:
        extent = 1.0  # §4
    gap = _max_part_gap(np.concatenate(part_lo), np.concatenate(part_hi)) if part_lo else 0.0
    return {
        "meshObjects": len(objects),
        "vertices": int(vertices),
        "faces": int(faces),
        "triangles": int(triangles),
        "parts": int(parts),
        "nonManifoldEdges": int(non_manifold),
        "bbox": {"min": [float(v) for v in lo], "max": [float(v) for v in hi]},
        "extent": extent,
        "maxPartGapRatio": gap / extent,
        "hasMaterials": bool(has_materials),
    }
