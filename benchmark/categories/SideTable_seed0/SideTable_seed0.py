"""Bedside / side table: oak top, painted tapered legs, one drawer and a lower shelf.

Boards and legs are bmesh boxes (legs taper towards the floor), corner
positions come from a numpy sign table, edges are softened with BEVEL, and the
drawer knob is a bmesh UV sphere on a short cone neck.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np
from mathutils import Matrix

# ---------------------------------------------------------------- parameters
TOP_WIDTH = 0.50
TOP_DEPTH = 0.42
TABLE_HEIGHT = 0.58        # floor to the top surface (m)
TOP_THICKNESS = 0.025
TOP_OVERHANG = 0.02        # top edge beyond the outer faces of the legs
LEG_TOP = 0.04             # leg section under the top
LEG_FOOT = 0.026           # leg section at the floor
APRON_HEIGHT = 0.11
APRON_THICKNESS = 0.018
SHELF_HEIGHT = 0.14        # top surface of the lower shelf
SHELF_THICKNESS = 0.018
DRAWER_PROUD = 0.004       # drawer front stands this far in front of the apron
KNOB_RADIUS = 0.013
OAK = (0.58, 0.39, 0.22, 1.0)
PAINT = (0.86, 0.85, 0.80, 1.0)
BRASS = (0.80, 0.60, 0.30, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def make_material(name, color, roughness, metallic=0.0):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    mat.diffuse_color = color
    return mat


def box(bm, center, size, bottom_scale=1.0):
    """Box from centre and size; the bottom face can be scaled in XY to make a taper."""
    cube = bmesh.ops.create_cube(bm, size=1.0)
    verts = cube["verts"]
    for v in verts:
        if v.co.z < 0.0:
            v.co.x *= bottom_scale
            v.co.y *= bottom_scale
    bmesh.ops.transform(bm, matrix=Matrix.Diagonal((*size, 1.0)), verts=verts)
    bmesh.ops.translate(bm, vec=center, verts=verts)


def to_object(name, bm, material, bevel_width):
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    if bevel_width > 0.0:
        bevel = obj.modifiers.new("Soften", "BEVEL")
        bevel.width = bevel_width
        bevel.segments = 3
        bevel.limit_method = "ANGLE"
        bevel.harden_normals = False
    return obj


def build():
    clear_scene()
    oak = make_material("Oak", OAK, 0.5)
    paint = make_material("Paint", PAINT, 0.4)
    brass = make_material("Brass", BRASS, 0.25, metallic=1.0)

    under_top = TABLE_HEIGHT - TOP_THICKNESS
    frame_x = 0.5 * TOP_WIDTH - TOP_OVERHANG   # outer faces of the legs
    frame_y = 0.5 * TOP_DEPTH - TOP_OVERHANG
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=float)

    bm = bmesh.new()
    box(bm, (0.0, 0.0, under_top + 0.5 * TOP_THICKNESS), (TOP_WIDTH, TOP_DEPTH, TOP_THICKNESS))
    top = to_object("TableTop", bm, oak, 0.004)

    bm = bmesh.new()
    leg_center = corners * np.array([frame_x - 0.5 * LEG_TOP, frame_y - 0.5 * LEG_TOP])
    for x, y in leg_center:
        box(bm, (x, y, 0.5 * under_top), (LEG_TOP, LEG_TOP, under_top), bottom_scale=LEG_FOOT / LEG_TOP)
    apron_z = under_top - 0.5 * APRON_HEIGHT
    span_x = 2.0 * (frame_x - LEG_TOP) + 0.004   # 2 mm into each leg
    span_y = 2.0 * (frame_y - LEG_TOP) + 0.004
    inset = 0.004
    for sign in (-1.0, 1.0):
        box(bm, (0.0, sign * (frame_y - inset - 0.5 * APRON_THICKNESS), apron_z),
            (span_x, APRON_THICKNESS, APRON_HEIGHT))
        box(bm, (sign * (frame_x - inset - 0.5 * APRON_THICKNESS), 0.0, apron_z),
            (APRON_THICKNESS, span_y, APRON_HEIGHT))
    # The lower shelf runs between the legs; its ends sit in the tapered legs.
    shelf_z = SHELF_HEIGHT - 0.5 * SHELF_THICKNESS
    taper_here = LEG_FOOT + (LEG_TOP - LEG_FOOT) * (shelf_z / under_top)
    shelf_x = 2.0 * (frame_x - 0.5 * LEG_TOP) - taper_here + 0.006
    shelf_y = 2.0 * (frame_y - 0.5 * LEG_TOP) + taper_here - 0.004
    to_object("Frame", bm, paint, 0.0015)

    bm = bmesh.new()
    box(bm, (0.0, 0.0, shelf_z), (shelf_x, shelf_y, SHELF_THICKNESS))
    to_object("LowerShelf", bm, oak, 0.002)

    # Drawer front: a panel fixed to the front apron, slightly proud of it.
    bm = bmesh.new()
    front_y = -(frame_y - inset)
    panel_depth = 0.012
    box(bm, (0.0, front_y - DRAWER_PROUD + 0.5 * panel_depth, apron_z),
        (span_x - 0.03, panel_depth, APRON_HEIGHT - 0.02))
    to_object("DrawerFront", bm, oak, 0.002)

    bm = bmesh.new()
    face_y = front_y - DRAWER_PROUD
    neck_len = 0.012
    neck = bmesh.ops.create_cone(bm, cap_ends=True, segments=20, radius1=0.006, radius2=0.0045,
                                 depth=neck_len + 0.002)
    bmesh.ops.rotate(bm, verts=neck["verts"], cent=(0.0, 0.0, 0.0), matrix=Matrix.Rotation(math.radians(90.0), 3, "X"))
    bmesh.ops.translate(bm, verts=neck["verts"], vec=(0.0, face_y - 0.5 * neck_len + 0.001, apron_z))
    ball = bmesh.ops.create_uvsphere(bm, u_segments=24, v_segments=12, radius=KNOB_RADIUS)
    bmesh.ops.translate(bm, verts=ball["verts"], vec=(0.0, face_y - neck_len - 0.8 * KNOB_RADIUS, apron_z))
    knob = to_object("DrawerKnob", bm, brass, 0.0)
    knob.data.shade_smooth()
    return top


if __name__ == "__main__":
    build()
