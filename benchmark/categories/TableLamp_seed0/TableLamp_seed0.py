"""Table lamp: brass base, stem, socket and bulb from Geometry Nodes, plus a fabric shade.

The lamp body is a node tree whose key sizes are group inputs; the shade is a
separate bmesh shell with a SOLIDIFY modifier. Three spokes run from the socket
to the shade wall, so the two objects are physically joined.
"""
import math

import bpy  # first: the bpy module build only registers bmesh/mathutils once bpy is loaded
import bmesh
import numpy as np

# ---------------------------------------------------------------- parameters
BASE_RADIUS = 0.085
BASE_HEIGHT = 0.028
DOME_HEIGHT = 0.014
STEM_RADIUS = 0.0085
SOCKET_TOP = 0.40          # height of the bulb socket's top face (m)
SOCKET_RADIUS = 0.017
SOCKET_HEIGHT = 0.045
BULB_RADIUS = 0.031
SHADE_BOTTOM_Z = 0.31
SHADE_TOP_Z = 0.53
SHADE_BOTTOM_RADIUS = 0.175
SHADE_TOP_RADIUS = 0.105
SHADE_BELLY = 0.008        # slight outward bow of the shade wall
SHADE_THICKNESS = 0.003
SPOKE_RADIUS = 0.0028
SPOKE_COUNT = 3
SPOKE_DROP = 0.006         # spokes sit this far below the socket top
BRASS = (0.78, 0.56, 0.26, 1.0)
FABRIC = (0.92, 0.86, 0.74, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def material(name, color, roughness, metallic=0.0, emission=0.0, sheen=0.0):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    bsdf.inputs["Sheen Weight"].default_value = sheen
    if emission > 0.0:
        bsdf.inputs["Emission Color"].default_value = color
        bsdf.inputs["Emission Strength"].default_value = emission
    mat.diffuse_color = color
    return mat


def shade_radius_at(z):
    t = (z - SHADE_BOTTOM_Z) / (SHADE_TOP_Z - SHADE_BOTTOM_Z)
    straight = SHADE_BOTTOM_RADIUS + (SHADE_TOP_RADIUS - SHADE_BOTTOM_RADIUS) * t
    return straight + SHADE_BELLY * math.sin(math.pi * t)


def lamp_body_group(brass, bulb_mat):
    group = bpy.data.node_groups.new("LampBody", "GeometryNodeTree")
    iface = group.interface
    iface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    iface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    for name, value in (("Socket Top", SOCKET_TOP), ("Spoke Length", shade_radius_at(SOCKET_TOP - SPOKE_DROP))):
        iface.new_socket(name, in_out="INPUT", socket_type="NodeSocketFloat").default_value = value
    nodes, links = group.nodes, group.links
    gin = nodes.new("NodeGroupInput")
    gout = nodes.new("NodeGroupOutput")

    def placed(geometry_socket, z=0.0, z_socket=None):
        offset = nodes.new("ShaderNodeCombineXYZ")
        if z_socket is not None:
            links.new(z_socket, offset.inputs["Z"])
        else:
            offset.inputs["Z"].default_value = z
        move = nodes.new("GeometryNodeTransform")
        links.new(geometry_socket, move.inputs["Geometry"])
        links.new(offset.outputs["Vector"], move.inputs["Translation"])
        return move.outputs["Geometry"]

    def plus(socket, constant):
        node = nodes.new("ShaderNodeMath")
        node.operation = "ADD"
        links.new(socket, node.inputs[0])
        node.inputs[1].default_value = constant
        return node.outputs[0]

    # Note: the Cone primitive starts at z=0 and grows upward, the Cylinder is centred.
    parts = []
    base = nodes.new("GeometryNodeMeshCone")
    base.inputs["Vertices"].default_value = 64
    base.inputs["Radius Bottom"].default_value = BASE_RADIUS
    base.inputs["Radius Top"].default_value = BASE_RADIUS * 0.82
    base.inputs["Depth"].default_value = BASE_HEIGHT
    parts.append(placed(base.outputs["Mesh"], 0.0))

    dome = nodes.new("GeometryNodeMeshCone")
    dome.inputs["Vertices"].default_value = 64
    dome.inputs["Radius Bottom"].default_value = BASE_RADIUS * 0.82
    dome.inputs["Radius Top"].default_value = STEM_RADIUS * 2.2
    dome.inputs["Depth"].default_value = DOME_HEIGHT
    parts.append(placed(dome.outputs["Mesh"], BASE_HEIGHT))

    stem_bottom = BASE_HEIGHT + DOME_HEIGHT * 0.5
    stem_len = SOCKET_TOP - SOCKET_HEIGHT - stem_bottom + 0.004
    stem = nodes.new("GeometryNodeMeshCylinder")
    stem.inputs["Vertices"].default_value = 24
    stem.inputs["Radius"].default_value = STEM_RADIUS
    stem.inputs["Depth"].default_value = stem_len
    parts.append(placed(stem.outputs["Mesh"], stem_bottom + 0.5 * stem_len))

    socket = nodes.new("GeometryNodeMeshCylinder")
    socket.inputs["Vertices"].default_value = 32
    socket.inputs["Radius"].default_value = SOCKET_RADIUS
    socket.inputs["Depth"].default_value = SOCKET_HEIGHT
    parts.append(placed(socket.outputs["Mesh"], z_socket=plus(gin.outputs["Socket Top"], -0.5 * SOCKET_HEIGHT)))

    # Spokes: cylinders centred on a small vertex circle, each turned to point outward.
    hub = nodes.new("GeometryNodeMeshCircle")
    hub.inputs["Vertices"].default_value = SPOKE_COUNT
    half = nodes.new("ShaderNodeMath")
    half.operation = "MULTIPLY"
    links.new(gin.outputs["Spoke Length"], half.inputs[0])
    half.inputs[1].default_value = 0.5
    links.new(half.outputs[0], hub.inputs["Radius"])
    spoke = nodes.new("GeometryNodeMeshCylinder")
    spoke.inputs["Vertices"].default_value = 10
    spoke.inputs["Radius"].default_value = SPOKE_RADIUS
    links.new(plus(gin.outputs["Spoke Length"], 0.001), spoke.inputs["Depth"])  # ends inside the 3 mm wall
    aim = nodes.new("FunctionNodeAlignRotationToVector")
    aim.axis = "Z"
    links.new(nodes.new("GeometryNodeInputPosition").outputs["Position"], aim.inputs["Vector"])
    spokes = nodes.new("GeometryNodeInstanceOnPoints")
    links.new(hub.outputs["Mesh"], spokes.inputs["Points"])
    links.new(spoke.outputs["Mesh"], spokes.inputs["Instance"])
    links.new(aim.outputs["Rotation"], spokes.inputs["Rotation"])
    realized = nodes.new("GeometryNodeRealizeInstances")
    links.new(spokes.outputs["Instances"], realized.inputs["Geometry"])
    parts.append(placed(realized.outputs["Geometry"], z_socket=plus(gin.outputs["Socket Top"], -SPOKE_DROP)))

    metal = nodes.new("GeometryNodeJoinGeometry")
    for part in reversed(parts):
        links.new(part, metal.inputs["Geometry"])
    metal_mat = nodes.new("GeometryNodeSetMaterial")
    metal_mat.inputs["Material"].default_value = brass
    links.new(metal.outputs["Geometry"], metal_mat.inputs["Geometry"])

    bulb = nodes.new("GeometryNodeMeshUVSphere")
    bulb.inputs["Segments"].default_value = 32
    bulb.inputs["Rings"].default_value = 16
    bulb.inputs["Radius"].default_value = BULB_RADIUS
    bulb_placed = placed(bulb.outputs["Mesh"], z_socket=plus(gin.outputs["Socket Top"], BULB_RADIUS * 0.85))
    bulb_set = nodes.new("GeometryNodeSetMaterial")
    bulb_set.inputs["Material"].default_value = bulb_mat
    links.new(bulb_placed, bulb_set.inputs["Geometry"])

    everything = nodes.new("GeometryNodeJoinGeometry")
    links.new(bulb_set.outputs["Geometry"], everything.inputs["Geometry"])
    links.new(metal_mat.outputs["Geometry"], everything.inputs["Geometry"])
    smooth = nodes.new("GeometryNodeSetShadeSmooth")
    links.new(everything.outputs["Geometry"], smooth.inputs[0])
    links.new(smooth.outputs[0], gout.inputs[0])
    return group


def shade_mesh():
    rows = 18
    segments = 72
    z = np.linspace(SHADE_BOTTOM_Z, SHADE_TOP_Z, rows)
    r = np.array([shade_radius_at(v) for v in z])
    angle = np.linspace(0.0, math.tau, segments, endpoint=False)
    xs = np.outer(r, np.cos(angle))
    ys = np.outer(r, np.sin(angle))
    bm = bmesh.new()
    grid = [[bm.verts.new((xs[i, j], ys[i, j], z[i])) for j in range(segments)] for i in range(rows)]
    for i in range(rows - 1):
        for j in range(segments):
            k = (j + 1) % segments
            bm.faces.new((grid[i][j], grid[i][k], grid[i + 1][k], grid[i + 1][j]))
    mesh = bpy.data.meshes.new("LampShade")
    bm.to_mesh(mesh)
    bm.free()
    for poly in mesh.polygons:
        poly.use_smooth = True
    return mesh


def build():
    clear_scene()
    brass = material("Brass", BRASS, 0.28, metallic=1.0)
    bulb_mat = material("WarmBulb", (1.0, 0.88, 0.66, 1.0), 0.1, emission=4.0)
    fabric = material("ShadeFabric", FABRIC, 0.85, sheen=0.4)

    body_mesh = bpy.data.meshes.new("LampBody")
    body_mesh.materials.append(brass)
    body_mesh.materials.append(bulb_mat)
    body = bpy.data.objects.new("LampBody", body_mesh)
    bpy.context.scene.collection.objects.link(body)
    body.modifiers.new("LampBody", "NODES").node_group = lamp_body_group(brass, bulb_mat)

    mesh = shade_mesh()
    mesh.materials.append(fabric)
    shade = bpy.data.objects.new("LampShade", mesh)
    bpy.context.scene.collection.objects.link(shade)
    shell = shade.modifiers.new("Shell", "SOLIDIFY")
    shell.thickness = SHADE_THICKNESS
    shell.offset = 0.0  # centred on the nominal surface, where the spokes end
    shell.use_even_offset = True
    return body, shade


if __name__ == "__main__":
    build()
