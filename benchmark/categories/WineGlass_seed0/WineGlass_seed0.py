"""Stemmed wine glass revolved from a single closed numpy profile.

The profile runs from the centre of the foot, out along the foot, up the stem,
round the outside of the tulip bowl, over the rim and back down the inside of
the bowl to its centre, so the glass is one watertight lathe with real wall
thickness. A SUBSURF modifier rounds the silhouette.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np

# ---------------------------------------------------------------- parameters
FOOT_RADIUS = 0.037
FOOT_THICKNESS = 0.0035
STEM_RADIUS = 0.0034
STEM_TOP = 0.085           # where the stem flares into the bowl (m)
BOWL_MAX_RADIUS = 0.043
BOWL_MAX_AT = 0.35         # fraction of the bowl height where it is widest
RIM_RADIUS = 0.034
TOTAL_HEIGHT = 0.205
WALL = 0.0016
RADIAL_SEGMENTS = 72


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def glass_material():
    mat = bpy.data.materials.new("ClearGlass")
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (0.94, 0.97, 0.98, 1.0)
    bsdf.inputs["Roughness"].default_value = 0.02
    bsdf.inputs["IOR"].default_value = 1.5
    bsdf.inputs["Transmission Weight"].default_value = 1.0
    mat.diffuse_color = (0.85, 0.92, 0.95, 0.35)
    return mat


def bowl_radius(t):
    """Tulip outline: rises from the stem, bulges at BOWL_MAX_AT, narrows to the rim."""
    t = np.asarray(t)
    rise = np.clip(np.sin(0.5 * math.pi * np.clip(t / BOWL_MAX_AT, 0.0, 1.0)), 0.0, None) ** 0.6
    past_max = np.clip((t - BOWL_MAX_AT) / (1.0 - BOWL_MAX_AT), 0.0, 1.0)
    taper = 1.0 - (1.0 - RIM_RADIUS / BOWL_MAX_RADIUS) * past_max ** 1.6
    return np.maximum(STEM_RADIUS * 1.6, BOWL_MAX_RADIUS * rise * taper)


def profile():
    foot_r = np.linspace(0.0, FOOT_RADIUS, 8)[1:]
    foot_bottom = np.stack([foot_r, np.zeros_like(foot_r)], axis=1)
    edge = np.array([[FOOT_RADIUS, FOOT_THICKNESS * 0.6], [FOOT_RADIUS - 0.001, FOOT_THICKNESS]])
    # The top of the foot sweeps up into the stem as a shallow cone.
    s = np.linspace(0.0, 1.0, 8)[1:]
    foot_top = np.stack([
        FOOT_RADIUS - 0.001 - (FOOT_RADIUS - 0.001 - STEM_RADIUS) * (1.0 - np.clip(1.0 - s, 0.0, None) ** 2.5),
        FOOT_THICKNESS + 0.008 * s ** 2.0,
    ], axis=1)
    stem_z = np.linspace(FOOT_THICKNESS + 0.008, STEM_TOP, 9)[1:]
    stem = np.stack([STEM_RADIUS * (1.0 + 0.12 * np.sin(math.pi * (stem_z / STEM_TOP))), stem_z], axis=1)

    bowl_height = TOTAL_HEIGHT - STEM_TOP
    t_out = np.linspace(0.0, 1.0, 28)[1:]
    outer = np.stack([bowl_radius(t_out), STEM_TOP + bowl_height * t_out], axis=1)
    rim = np.array([[RIM_RADIUS - 0.5 * WALL, TOTAL_HEIGHT + 0.0006]])
    t_in = np.linspace(1.0, 0.06, 26)
    inner_r = np.maximum(bowl_radius(t_in) - WALL * 1.2, 0.0)
    inner = np.stack([inner_r, STEM_TOP + bowl_height * t_in + WALL], axis=1)
    return np.vstack([foot_bottom, edge, foot_top, stem, outer, rim, inner])


def revolve(points, segments):
    """Lathe an (r, z) polyline about Z. Ends that lie off-axis are closed with a pole fan."""
    bm = bmesh.new()
    cos_a = np.cos(np.linspace(0.0, math.tau, segments, endpoint=False))
    sin_a = np.sin(np.linspace(0.0, math.tau, segments, endpoint=False))
    rings = [[bm.verts.new((r * c, r * s, z)) for c, s in zip(cos_a, sin_a)] for r, z in points]
    for lower, upper in zip(rings[:-1], rings[1:]):
        for i in range(segments):
            j = (i + 1) % segments
            bm.faces.new((lower[i], lower[j], upper[j], upper[i]))
    for ring, z, flip in ((rings[0], 0.0, True), (rings[-1], points[-1][1], False)):
        pole = bm.verts.new((0.0, 0.0, z))
        for i in range(segments):
            a, b = ring[i], ring[(i + 1) % segments]
            bm.faces.new((pole, b, a) if flip else (pole, a, b))
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new("WineGlass")
    bm.to_mesh(mesh)
    bm.free()
    return mesh


def build():
    clear_scene()
    mesh = revolve(profile(), RADIAL_SEGMENTS)
    mesh.materials.append(glass_material())
    mesh.shade_smooth()
    glass = bpy.data.objects.new("WineGlass", mesh)
    bpy.context.scene.collection.objects.link(glass)
    smooth = glass.modifiers.new("Smooth", "SUBSURF")
    smooth.levels = 1
    smooth.render_levels = 2
    return glass


if __name__ == "__main__":
    build()
