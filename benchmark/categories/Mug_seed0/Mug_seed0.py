"""Coffee mug: a lathed ceramic body with a swept C-shaped handle.

The body is revolved from a numpy (radius, height) profile with bmesh, the
handle is a tube swept along a half-ellipse whose ends sink into the wall.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np

# ---------------------------------------------------------------- parameters
BODY_RADIUS = 0.041        # outer radius of the cylinder wall (m)
BODY_HEIGHT = 0.096        # height from the table to the rim (m)
WALL_THICKNESS = 0.0045
BASE_THICKNESS = 0.008
FOOT_ROUNDING = 0.004      # soft bevel where the wall meets the table
RIM_BULGE = 0.0012         # rolled lip on top of the wall
HANDLE_SPAN = 0.058        # vertical distance between the two handle roots
HANDLE_REACH = 0.030       # how far the handle sticks out of the wall
HANDLE_CENTER_Z = 0.052
HANDLE_TUBE_W = 0.0065     # half-width of the handle section (along Y)
HANDLE_TUBE_T = 0.0045     # half-thickness of the handle section (radial)
RADIAL_SEGMENTS = 64
HANDLE_SEGMENTS = 40
GLAZE_COLOR = (0.08, 0.26, 0.47, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def glaze_material(name, color):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:  # Blender 5.0 always creates the tree; older builds need use_nodes
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = 0.18
    bsdf.inputs["Coat Weight"].default_value = 0.6
    bsdf.inputs["Coat Roughness"].default_value = 0.05
    mat.diffuse_color = color
    return mat


def body_profile():
    """Closed (r, z) outline, from the bottom pole round the wall to the inner floor pole."""
    foot = np.linspace(0.0, 0.5 * math.pi, 6)
    outer_foot = np.stack([
        BODY_RADIUS - FOOT_ROUNDING + FOOT_ROUNDING * np.sin(foot),
        FOOT_ROUNDING - FOOT_ROUNDING * np.cos(foot),
    ], axis=1)
    wall_z = np.linspace(FOOT_ROUNDING, BODY_HEIGHT, 12)[1:]
    outer_wall = np.stack([np.full_like(wall_z, BODY_RADIUS), wall_z], axis=1)
    lip = np.linspace(0.0, math.pi, 7)[1:-1]
    mid_r = BODY_RADIUS - 0.5 * WALL_THICKNESS
    rim = np.stack([
        mid_r + 0.5 * WALL_THICKNESS * np.cos(lip),
        BODY_HEIGHT + RIM_BULGE * np.sin(lip),
    ], axis=1)
    inner_z = np.linspace(BODY_HEIGHT, BASE_THICKNESS + 0.004, 10)
    inner_wall = np.stack([np.full_like(inner_z, BODY_RADIUS - WALL_THICKNESS), inner_z], axis=1)
    floor = np.array([
        [BODY_RADIUS - WALL_THICKNESS - 0.004, BASE_THICKNESS],
        [0.5 * (BODY_RADIUS - WALL_THICKNESS), BASE_THICKNESS],
    ])
    return np.vstack([outer_foot, outer_wall, rim, inner_wall, floor])


def lathe(name, profile, segments):
    """Revolve an open (r, z) profile about Z; both ends close onto the axis with triangle fans."""
    bm = bmesh.new()
    angles = np.linspace(0.0, math.tau, segments, endpoint=False)
    rings = []
    for r, z in profile:
        rings.append([bm.verts.new((r * math.cos(a), r * math.sin(a), z)) for a in angles])
    for lower, upper in zip(rings[:-1], rings[1:]):
        for i in range(segments):
            j = (i + 1) % segments
            bm.faces.new((lower[i], lower[j], upper[j], upper[i]))
    bottom_pole = bm.verts.new((0.0, 0.0, profile[0][1]))
    top_pole = bm.verts.new((0.0, 0.0, profile[-1][1]))
    for i in range(segments):
        j = (i + 1) % segments
        bm.faces.new((bottom_pole, rings[0][j], rings[0][i]))
        bm.faces.new((top_pole, rings[-1][i], rings[-1][j]))
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    return mesh


def handle_mesh(name):
    """Sweep an elliptical section along a half ellipse lying in the XZ plane."""
    root_x = BODY_RADIUS - 0.5 * WALL_THICKNESS  # roots sit inside the wall, so the parts fuse
    theta = np.linspace(0.5 * math.pi, -0.5 * math.pi, HANDLE_SEGMENTS)
    path = np.stack([
        root_x + HANDLE_REACH * np.cos(theta),
        np.zeros_like(theta),
        HANDLE_CENTER_Z + 0.5 * HANDLE_SPAN * np.sin(theta),
    ], axis=1)
    tangents = np.gradient(path, axis=0)
    tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
    side = np.array([0.0, 1.0, 0.0])
    normals = np.cross(side, tangents)
    section = np.linspace(0.0, math.tau, 16, endpoint=False)

    bm = bmesh.new()
    loops = []
    for point, normal in zip(path, normals):
        ring = []
        for a in section:
            offset = normal * HANDLE_TUBE_T * math.cos(a) + side * HANDLE_TUBE_W * math.sin(a)
            ring.append(bm.verts.new(point + offset))
        loops.append(ring)
    count = len(section)
    for ring_a, ring_b in zip(loops[:-1], loops[1:]):
        for i in range(count):
            j = (i + 1) % count
            bm.faces.new((ring_a[i], ring_a[j], ring_b[j], ring_b[i]))
    bm.faces.new(loops[0])
    bm.faces.new(list(reversed(loops[-1])))
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    return mesh


def add_object(name, mesh, material):
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    mesh.materials.append(material)
    for poly in mesh.polygons:
        poly.use_smooth = True
    return obj


def build():
    clear_scene()
    glaze = glaze_material("MugGlaze", GLAZE_COLOR)

    body = add_object("MugBody", lathe("MugBody", body_profile(), RADIAL_SEGMENTS), glaze)
    smooth = body.modifiers.new("Smooth", "SUBSURF")
    smooth.levels = 1
    smooth.render_levels = 1

    handle = add_object("MugHandle", handle_mesh("MugHandle"), glaze)
    handle_smooth = handle.modifiers.new("Smooth", "SUBSURF")
    handle_smooth.levels = 1
    handle_smooth.render_levels = 1
    return body, handle


if __name__ == "__main__":
    build()
