"""Ribbed, gently twisted ceramic vase.

A shape-preserving spline through a handful of (height, radius) control points
gives the silhouette; vertical ribs and a slow twist are added on a numpy grid.
The open shell gets its wall and floor from SOLIDIFY and is smoothed by SUBSURF.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np
from scipy.interpolate import PchipInterpolator

# ---------------------------------------------------------------- parameters
HEIGHT = 0.30
FOOT_RADIUS = 0.052
BELLY_RADIUS = 0.088
BELLY_AT = 0.36            # fraction of the height where the body is widest
NECK_RADIUS = 0.038
NECK_AT = 0.80
LIP_RADIUS = 0.050
WALL_THICKNESS = 0.006
RIB_COUNT = 14
RIB_DEPTH = 0.045          # rib amplitude relative to the local radius
TWIST = 0.55               # radians of twist from foot to lip
ROWS = 44
COLUMNS = 96
GLAZE = (0.10, 0.36, 0.34, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def glaze_material():
    mat = bpy.data.materials.new("VaseGlaze")
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = GLAZE
    bsdf.inputs["Roughness"].default_value = 0.3
    bsdf.inputs["Coat Weight"].default_value = 0.8
    bsdf.inputs["Coat Roughness"].default_value = 0.08
    mat.diffuse_color = GLAZE
    return mat


def silhouette():
    control_t = np.array([0.0, 0.08, BELLY_AT, 0.62, NECK_AT, 0.93, 1.0])
    control_r = np.array([
        FOOT_RADIUS,
        FOOT_RADIUS * 1.12,
        BELLY_RADIUS,
        0.5 * (BELLY_RADIUS + NECK_RADIUS),
        NECK_RADIUS,
        0.5 * (NECK_RADIUS + LIP_RADIUS) * 1.04,
        LIP_RADIUS,
    ])
    order = np.argsort(control_t)  # keep the knots increasing even if the parameters are edited
    return PchipInterpolator(control_t[order], control_r[order])


def surface_points():
    t = np.linspace(0.0, 1.0, ROWS)
    theta = np.linspace(0.0, math.tau, COLUMNS, endpoint=False)
    tt, th = np.meshgrid(t, theta, indexing="ij")
    base = silhouette()(tt)
    # Ribs fade out towards the foot and lip so both edges stay round.
    envelope = np.clip(np.sin(math.pi * np.clip(tt * 1.05, 0.0, 1.0)), 0.0, None) ** 0.7
    radius = base * (1.0 + RIB_DEPTH * envelope * np.cos(RIB_COUNT * (th + TWIST * tt)))
    xyz = np.stack([radius * np.cos(th), radius * np.sin(th), HEIGHT * tt], axis=-1)
    return xyz


def vase_mesh():
    points = surface_points()
    bm = bmesh.new()
    grid = [[bm.verts.new(p) for p in row] for row in points]
    for lower, upper in zip(grid[:-1], grid[1:]):
        for j in range(COLUMNS):
            k = (j + 1) % COLUMNS
            bm.faces.new((lower[j], lower[k], upper[k], upper[j]))
    # Flat floor: a fan to a centre vertex at z = 0; the top stays open.
    centre = bm.verts.new((0.0, 0.0, 0.0))
    for j in range(COLUMNS):
        bm.faces.new((centre, grid[0][(j + 1) % COLUMNS], grid[0][j]))
    # Winding above already faces outward; recalc_face_normals would guess on this open shell.
    mesh = bpy.data.meshes.new("Vase")
    bm.to_mesh(mesh)
    bm.free()
    mesh.shade_smooth()
    return mesh


def build():
    clear_scene()
    mesh = vase_mesh()
    mesh.materials.append(glaze_material())
    vase = bpy.data.objects.new("Vase", mesh)
    bpy.context.scene.collection.objects.link(vase)

    wall = vase.modifiers.new("Wall", "SOLIDIFY")
    wall.thickness = WALL_THICKNESS
    wall.offset = -1.0  # grow inward so the outside keeps the designed silhouette
    wall.use_even_offset = True
    wall.use_rim = True

    smooth = vase.modifiers.new("Smooth", "SUBSURF")
    smooth.levels = 1
    smooth.render_levels = 2
    return vase


if __name__ == "__main__":
    build()
