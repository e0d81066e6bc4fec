"""Wooden dining chair with a raked ladder back and an upholstered seat pad.

Legs and back posts are modelled once and mirrored (MIRROR modifier); the back
leans with a shear applied per vertex; the top rail gets a hand-hold slot cut
with a BOOLEAN modifier that is applied through the evaluated mesh, after which
the cutter is deleted so only furniture remains in the scene.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np

# ---------------------------------------------------------------- parameters
SEAT_WIDTH = 0.44
SEAT_DEPTH = 0.42
SEAT_HEIGHT = 0.45         # top of the wooden seat board (m)
SEAT_THICKNESS = 0.022
CUSHION_THICKNESS = 0.035
OVERALL_HEIGHT = 0.88      # top of the back posts
BACK_RAKE = 0.06           # backward lean of the posts at the top
LEG = 0.034                # square leg section
FOOT_TAPER = 0.75          # leg section at the floor, relative to LEG
APRON_HEIGHT = 0.07
APRON_THICKNESS = 0.02
TOP_RAIL_HEIGHT = 0.10
RAIL_THICKNESS = 0.022
SLAT_COUNT = 3
SLOT_LENGTH = 0.11
SLOT_HEIGHT = 0.028
WOOD_COLOR = (0.28, 0.15, 0.07, 1.0)
FABRIC_COLOR = (0.32, 0.40, 0.30, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def make_material(name, color, roughness, sheen=0.0):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Sheen Weight"].default_value = sheen
    mat.diffuse_color = color
    return mat


def lean(z):
    """Backward offset of the back at height z (zero at and below the seat)."""
    t = (z - SEAT_HEIGHT) / (OVERALL_HEIGHT - SEAT_HEIGHT)
    return BACK_RAKE * min(max(t, 0.0), 1.0)


def add_block(bm, x0, x1, y0, y1, z_levels, shrink=None, shear=False):
    """Square-section prism through several z levels; optional per-level scale and rake shear."""
    cx, cy = 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    rings = []
    for k, z in enumerate(z_levels):
        s = 1.0 if shrink is None else shrink[k]
        dy = lean(z) if shear else 0.0
        corners = [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
        rings.append([bm.verts.new((cx + (x - cx) * s, cy + (y - cy) * s + dy, z)) for x, y in corners])
    for lower, upper in zip(rings[:-1], rings[1:]):
        for i in range(4):
            j = (i + 1) % 4
            bm.faces.new((lower[i], lower[j], upper[j], upper[i]))
    bm.faces.new(list(reversed(rings[0])))
    bm.faces.new(rings[-1])


def finish(name, bm, material, mirror_x=False, bevel=0.002):
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    mesh.materials.append(material)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    if mirror_x:
        mirror = obj.modifiers.new("MirrorX", "MIRROR")
        mirror.use_axis = (True, False, False)
    if bevel > 0.0:
        soft = obj.modifiers.new("Soften", "BEVEL")
        soft.width = bevel
        soft.segments = 2
        soft.limit_method = "ANGLE"
    return obj


def slot_cutter(center_z, center_y):
    """Stadium-shaped prism (hand-hold) built from a numpy outline and extruded along Y."""
    r = 0.5 * SLOT_HEIGHT
    half = 0.5 * SLOT_LENGTH - r
    right = np.linspace(-0.5 * math.pi, 0.5 * math.pi, 10)
    left = right + math.pi
    outline = np.vstack([
        np.stack([half + r * np.cos(right), r * np.sin(right)], axis=1),
        np.stack([-half + r * np.cos(left), r * np.sin(left)], axis=1),
    ])
    bm = bmesh.new()
    verts = [bm.verts.new((x, center_y - 0.06, center_z + z)) for x, z in outline]
    face = bm.faces.new(verts)
    extruded = bmesh.ops.extrude_face_region(bm, geom=[face])
    moved = [g for g in extruded["geom"] if isinstance(g, bmesh.types.BMVert)]
    bmesh.ops.translate(bm, verts=moved, vec=(0.0, 0.12, 0.0))
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new("SlotCutter")
    bm.to_mesh(mesh)
    bm.free()
    cutter = bpy.data.objects.new("SlotCutter", mesh)
    bpy.context.scene.collection.objects.link(cutter)
    return cutter


def apply_modifiers(obj):
    """Bake the modifier stack into the mesh without relying on operator context."""
    evaluated = obj.evaluated_get(bpy.context.evaluated_depsgraph_get())
    baked = bpy.data.meshes.new_from_object(evaluated)
    old = obj.data
    obj.modifiers.clear()
    obj.data = baked
    bpy.data.meshes.remove(old)


def build():
    clear_scene()
    wood = make_material("Walnut", WOOD_COLOR, 0.45)
    fabric = make_material("SeatFabric", FABRIC_COLOR, 0.9, sheen=0.5)

    hx, hy = 0.5 * SEAT_WIDTH, 0.5 * SEAT_DEPTH
    under_seat = SEAT_HEIGHT - SEAT_THICKNESS

    bm = bmesh.new()  # one front leg, mirrored to the other side
    add_block(bm, hx - LEG, hx, -hy, -hy + LEG, [0.0, under_seat], shrink=[FOOT_TAPER, 1.0])
    finish("FrontLegs", bm, wood, mirror_x=True)

    bm = bmesh.new()  # one back post running from the floor to the top of the back
    add_block(bm, hx - LEG, hx, hy - LEG, hy, [0.0, SEAT_HEIGHT, OVERALL_HEIGHT],
              shrink=[FOOT_TAPER, 1.0, 0.9], shear=True)
    finish("BackPosts", bm, wood, mirror_x=True)

    bm = bmesh.new()  # seat board and the four apron rails beneath it
    add_block(bm, -hx - 0.008, hx + 0.008, -hy - 0.012, hy - LEG, [under_seat, SEAT_HEIGHT])
    apron = [under_seat - APRON_HEIGHT, under_seat]
    inset = 0.006
    add_block(bm, -hx + LEG, hx - LEG, -hy + inset, -hy + inset + APRON_THICKNESS, apron)
    add_block(bm, -hx + LEG, hx - LEG, hy - inset - APRON_THICKNESS, hy - inset, apron)
    for sign in (-1.0, 1.0):
        x_out = sign * (hx - inset)
        x_in = x_out - sign * APRON_THICKNESS
        add_block(bm, min(x_out, x_in), max(x_out, x_in), -hy + LEG, hy - LEG, apron)
    finish("SeatFrame", bm, wood)

    bm = bmesh.new()  # ladder back: top rail, lower rail and vertical slats, all raked
    rail_y0, rail_y1 = hy - 0.5 * LEG - 0.5 * RAIL_THICKNESS, hy - 0.5 * LEG + 0.5 * RAIL_THICKNESS
    inner = hx - LEG + 0.004  # rails sink 4 mm into the posts
    top_z = [OVERALL_HEIGHT - 0.02 - TOP_RAIL_HEIGHT, OVERALL_HEIGHT - 0.02]
    low_z = [SEAT_HEIGHT + 0.09, SEAT_HEIGHT + 0.135]
    add_block(bm, -inner, inner, rail_y0, rail_y1, top_z, shear=True)
    add_block(bm, -inner, inner, rail_y0, rail_y1, low_z, shear=True)
    slat_w = 0.045
    for k in range(SLAT_COUNT):
        x = (k - 0.5 * (SLAT_COUNT - 1)) * (2.0 * inner / (SLAT_COUNT + 1))
        add_block(bm, x - 0.5 * slat_w, x + 0.5 * slat_w, rail_y0 + 0.004, rail_y1 - 0.004,
                  [low_z[1] - 0.004, top_z[0] + 0.004], shear=True)
    back = finish("Backrest", bm, wood, bevel=0.0)

    slot_z = 0.5 * (top_z[0] + top_z[1])
    cutter = slot_cutter(slot_z, 0.5 * (rail_y0 + rail_y1) + lean(slot_z))
    cut = back.modifiers.new("HandHold", "BOOLEAN")
    cut.operation = "DIFFERENCE"
    cut.solver = "EXACT"
    cut.use_self = True  # rails and slats overlap inside one mesh; without this the slats vanish
    cut.object = cutter
    apply_modifiers(back)
    cutter_mesh = cutter.data
    bpy.data.objects.remove(cutter, do_unlink=True)
    bpy.data.meshes.remove(cutter_mesh)
    soft = back.modifiers.new("Soften", "BEVEL")
    soft.width = 0.0015
    soft.limit_method = "ANGLE"

    bm = bmesh.new()  # seat pad resting on the board
    add_block(bm, -hx + 0.015, hx - 0.015, -hy + 0.005, hy - LEG - 0.01,
              [SEAT_HEIGHT, SEAT_HEIGHT + CUSHION_THICKNESS])
    pad = finish("SeatPad", bm, fabric, bevel=0.0)
    puff = pad.modifiers.new("Puff", "BEVEL")
    puff.width = 0.012
    puff.segments = 4
    puff.profile = 0.8
    pad.data.shade_smooth()


if __name__ == "__main__":
    build()
