"""Tall five-compartment bookshelf holding a deterministic spread of books.

Carcass boards are bmesh boxes softened with a BEVEL modifier; the movable
shelves are one board repeated by an ARRAY modifier; books are drawn from a
seeded numpy generator and stand on (or lie flat on) the shelf surfaces.
"""
import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np

# ---------------------------------------------------------------- parameters
WIDTH = 0.80
DEPTH = 0.30
HEIGHT = 1.80
BOARD = 0.018              # carcass and shelf thickness (m)
BACK_THICKNESS = 0.006
PLINTH_HEIGHT = 0.06
PLINTH_RECESS = 0.02
COMPARTMENTS = 5
EDGE_BEVEL = 0.0015
BOOK_SEED = 11
BOOK_FILL = (0.45, 0.85)   # share of each compartment's width taken by upright books
WOOD_COLOR = (0.50, 0.33, 0.18, 1.0)
BOOK_COLORS = [
    (0.55, 0.08, 0.07, 1.0),
    (0.09, 0.21, 0.40, 1.0),
    (0.14, 0.33, 0.18, 1.0),
    (0.82, 0.68, 0.35, 1.0),
    (0.12, 0.11, 0.12, 1.0),
    (0.86, 0.84, 0.78, 1.0),
]


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def make_material(name, color, roughness):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    mat.diffuse_color = color
    return mat


def add_box(bm, x0, x1, y0, y1, z0, z1, material_index=0):
    """Axis-aligned box from its min/max corners, outward-facing quads."""
    v = [bm.verts.new((x, y, z)) for z in (z0, z1) for y in (y0, y1) for x in (x0, x1)]
    quads = [(0, 2, 3, 1), (4, 5, 7, 6), (0, 1, 5, 4), (2, 6, 7, 3), (0, 4, 6, 2), (1, 3, 7, 5)]
    for quad in quads:
        face = bm.faces.new([v[i] for i in quad])
        face.material_index = material_index


def mesh_object(name, bm, materials):
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    for mat in materials:
        mesh.materials.append(mat)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj


def layout():
    """Heights of the board surfaces that books can stand on, and the clear height above each."""
    floor = PLINTH_HEIGHT + BOARD
    ceiling = HEIGHT - BOARD
    pitch = (ceiling - floor + BOARD) / COMPARTMENTS
    surfaces = [floor + i * pitch for i in range(COMPARTMENTS)]
    return surfaces, pitch - BOARD, pitch


def build_carcass(wood):
    half_w, half_d = 0.5 * WIDTH, 0.5 * DEPTH
    inner = half_w - BOARD
    back_y = half_d - BACK_THICKNESS
    bm = bmesh.new()
    add_box(bm, -half_w, -inner, -half_d, half_d, 0.0, HEIGHT)           # left side
    add_box(bm, inner, half_w, -half_d, half_d, 0.0, HEIGHT)             # right side
    add_box(bm, -inner, inner, -half_d, back_y, HEIGHT - BOARD, HEIGHT)  # top
    add_box(bm, -inner, inner, -half_d, back_y, PLINTH_HEIGHT, PLINTH_HEIGHT + BOARD)  # bottom
    add_box(bm, -inner, inner, -half_d + PLINTH_RECESS, -half_d + PLINTH_RECESS + BOARD,
            0.0, PLINTH_HEIGHT)                                          # kick board
    add_box(bm, -inner, inner, back_y, half_d, PLINTH_HEIGHT, HEIGHT - BOARD)  # back panel
    carcass = mesh_object("BookshelfCarcass", bm, [wood])
    bevel = carcass.modifiers.new("SoftEdges", "BEVEL")
    bevel.width = EDGE_BEVEL
    bevel.segments = 2
    bevel.limit_method = "ANGLE"
    return carcass


def build_shelves(wood, surfaces, pitch):
    inner = 0.5 * WIDTH - BOARD
    bm = bmesh.new()
    top = surfaces[1]
    # 1 mm into each side panel so the shelf visibly rests in its housing.
    add_box(bm, -inner - 0.001, inner + 0.001, -0.5 * DEPTH + 0.004, 0.5 * DEPTH - BACK_THICKNESS,
            top - BOARD, top)
    shelves = mesh_object("BookshelfShelves", bm, [wood])
    repeat = shelves.modifiers.new("ShelfStack", "ARRAY")
    repeat.count = COMPARTMENTS - 1
    repeat.use_relative_offset = False
    repeat.use_constant_offset = True
    repeat.constant_offset_displace = (0.0, 0.0, pitch)
    bevel = shelves.modifiers.new("SoftEdges", "BEVEL")
    bevel.width = EDGE_BEVEL
    bevel.segments = 2
    return shelves


def build_books(materials, surfaces, clear_height):
    rng = np.random.default_rng(BOOK_SEED)
    inner = 0.5 * WIDTH - BOARD
    front = -0.5 * DEPTH
    bm = bmesh.new()
    for row, floor in enumerate(surfaces):
        x = -inner + rng.uniform(0.0, 0.03)
        stop = -inner + 2.0 * inner * rng.uniform(*BOOK_FILL)
        while x < stop:
            thickness = rng.uniform(0.018, 0.045)
            height = min(rng.uniform(0.17, 0.28), clear_height - 0.015)
            depth = rng.uniform(0.15, 0.22)
            y0 = front + rng.uniform(0.012, 0.03)
            add_box(bm, x, x + thickness, y0, y0 + depth, floor, floor + height,
                    int(rng.integers(len(materials))))
            x += thickness + (0.0 if rng.random() < 0.8 else rng.uniform(0.002, 0.008))
        if row % 2 == 0:
            # A flat stack in the free space on every other shelf.
            z = floor
            right_limit = inner - 0.03
            for _ in range(int(rng.integers(2, 5))):
                length = rng.uniform(0.17, 0.24)
                depth = rng.uniform(0.14, 0.2)
                thick = rng.uniform(0.02, 0.04)
                x0 = right_limit - length - rng.uniform(0.0, 0.015)
                y0 = front + 0.03 + rng.uniform(0.0, 0.02)
                add_box(bm, x0, x0 + length, y0, y0 + depth, z, z + thick,
                        int(rng.integers(len(materials))))
                z += thick
    return mesh_object("Books", bm, materials)


def build():
    clear_scene()
    wood = make_material("Oak", WOOD_COLOR, 0.55)
    covers = [make_material(f"BookCover{i}", c, 0.6) for i, c in enumerate(BOOK_COLORS)]
    surfaces, clear_height, pitch = layout()
    build_carcass(wood)
    build_shelves(wood, surfaces, pitch)
    build_books(covers, surfaces, clear_height)


if __name__ == "__main__":
    build()
