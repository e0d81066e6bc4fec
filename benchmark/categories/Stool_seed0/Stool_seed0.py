"""Round four-legged stool with a footrest ring, built as a Geometry Nodes tree.

The dimensions are exposed as group inputs (interface.new_socket) and set on the
modifier, so the same node group can be re-used with other proportions.
"""
import math

import bpy

# ---------------------------------------------------------------- parameters
SEAT_HEIGHT = 0.46         # floor to top of seat (m)
SEAT_RADIUS = 0.17
SEAT_THICKNESS = 0.035
LEG_COUNT = 4
LEG_RADIUS = 0.015
LEG_CIRCLE_RADIUS = 0.125  # legs stand on this circle, well inside the seat edge
RING_HEIGHT = 0.17         # centre height of the footrest ring
RING_TUBE_RADIUS = 0.009
SEAT_EDGE_BEVEL = 0.006
WOOD_COLOR = (0.42, 0.24, 0.11, 1.0)
METAL_COLOR = (0.05, 0.05, 0.055, 1.0)


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups, bpy.data.curves):
        for block in list(datablocks):
            datablocks.remove(block)


def principled(name, color, roughness, metallic=0.0):
    mat = bpy.data.materials.new(name)
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    mat.diffuse_color = color
    return mat


class Tree:
    """Tiny helper that keeps node creation and linking readable."""

    def __init__(self, group):
        self.group = group
        self.nodes = group.nodes
        self.links = group.links

    def node(self, kind, location, **inputs):
        node = self.nodes.new(kind)
        node.location = location
        for key, value in inputs.items():
            node.inputs[key.replace("_", " ")].default_value = value
        return node

    def math(self, operation, a, b, location):
        node = self.node("ShaderNodeMath", location)
        node.operation = operation
        self.feed(a, node.inputs[0])
        self.feed(b, node.inputs[1])
        return node.outputs[0]

    def feed(self, value, socket):
        if isinstance(value, bpy.types.NodeSocket):
            self.links.new(value, socket)
        else:
            socket.default_value = value

    def lift(self, geometry, z, location):
        offset = self.node("ShaderNodeCombineXYZ", (location[0], location[1] - 160))
        self.feed(z, offset.inputs["Z"])
        move = self.node("GeometryNodeTransform", location)
        self.links.new(geometry, move.inputs["Geometry"])
        self.links.new(offset.outputs["Vector"], move.inputs["Translation"])
        return move.outputs["Geometry"]


def stool_node_group(seat_mat, frame_mat):
    group = bpy.data.node_groups.new("StoolGenerator", "GeometryNodeTree")
    group.interface.new_socket("Geometry", in_out="INPUT", socket_type="NodeSocketGeometry")
    group.interface.new_socket("Geometry", in_out="OUTPUT", socket_type="NodeSocketGeometry")
    float_inputs = {
        "Seat Height": SEAT_HEIGHT,
        "Seat Radius": SEAT_RADIUS,
        "Seat Thickness": SEAT_THICKNESS,
        "Leg Radius": LEG_RADIUS,
        "Leg Circle": LEG_CIRCLE_RADIUS,
        "Ring Height": RING_HEIGHT,
    }
    for name, value in float_inputs.items():
        socket = group.interface.new_socket(name, in_out="INPUT", socket_type="NodeSocketFloat")
        socket.default_value = value
        socket.min_value = 0.0
    count = group.interface.new_socket("Leg Count", in_out="INPUT", socket_type="NodeSocketInt")
    count.default_value = LEG_COUNT
    count.min_value = 3

    t = Tree(group)
    gin = t.node("NodeGroupInput", (-900, 0)).outputs
    gout = t.node("NodeGroupOutput", (900, 0))

    # Seat: a disc whose top face lies exactly at Seat Height.
    seat = t.node("GeometryNodeMeshCylinder", (-500, 400), Vertices=64)
    t.links.new(gin["Seat Radius"], seat.inputs["Radius"])
    t.links.new(gin["Seat Thickness"], seat.inputs["Depth"])
    half_seat = t.math("MULTIPLY", gin["Seat Thickness"], 0.5, (-700, 300))
    seat_z = t.math("SUBTRACT", gin["Seat Height"], half_seat, (-500, 250))
    seat_geo = t.lift(seat.outputs["Mesh"], seat_z, (-250, 400))
    seat_set = t.node("GeometryNodeSetMaterial", (0, 400), Material=seat_mat)
    t.links.new(seat_geo, seat_set.inputs["Geometry"])

    # Legs: cylinders instanced on a vertex circle, running from the floor into the seat.
    leg_len = t.math("SUBTRACT", gin["Seat Height"], half_seat, (-700, 0))
    leg = t.node("GeometryNodeMeshCylinder", (-500, 0), Vertices=20)
    t.links.new(gin["Leg Radius"], leg.inputs["Radius"])
    t.links.new(leg_len, leg.inputs["Depth"])
    leg_up = t.lift(leg.outputs["Mesh"], t.math("MULTIPLY", leg_len, 0.5, (-500, -180)), (-300, 0))
    feet = t.node("GeometryNodeMeshCircle", (-500, -300))
    t.links.new(gin["Leg Count"], feet.inputs["Vertices"])
    t.links.new(gin["Leg Circle"], feet.inputs["Radius"])
    legs = t.node("GeometryNodeInstanceOnPoints", (-100, -100))
    t.links.new(feet.outputs["Mesh"], legs.inputs["Points"])
    t.links.new(leg_up, legs.inputs["Instance"])
    legs_real = t.node("GeometryNodeRealizeInstances", (100, -100))
    t.links.new(legs.outputs["Instances"], legs_real.inputs["Geometry"])

    # Footrest: a tube swept along the leg circle, so it passes through every leg.
    path = t.node("GeometryNodeCurvePrimitiveCircle", (-500, -500), Resolution=96)
    t.links.new(gin["Leg Circle"], path.inputs["Radius"])
    section = t.node("GeometryNodeCurvePrimitiveCircle", (-500, -700), Resolution=12, Radius=RING_TUBE_RADIUS)
    ring = t.node("GeometryNodeCurveToMesh", (-250, -550))
    t.links.new(path.outputs["Curve"], ring.inputs["Curve"])
    t.links.new(section.outputs["Curve"], ring.inputs["Profile Curve"])
    ring_geo = t.lift(ring.outputs["Mesh"], gin["Ring Height"], (0, -550))

    frame = t.node("GeometryNodeJoinGeometry", (300, -250))
    t.links.new(ring_geo, frame.inputs["Geometry"])
    t.links.new(legs_real.outputs["Geometry"], frame.inputs["Geometry"])
    frame_set = t.node("GeometryNodeSetMaterial", (500, -250), Material=frame_mat)
    t.links.new(frame.outputs["Geometry"], frame_set.inputs["Geometry"])

    join = t.node("GeometryNodeJoinGeometry", (650, 0))
    t.links.new(frame_set.outputs["Geometry"], join.inputs["Geometry"])
    t.links.new(seat_set.outputs["Geometry"], join.inputs["Geometry"])
    smooth = t.node("GeometryNodeSetShadeSmooth", (780, 0))
    t.links.new(join.outputs["Geometry"], smooth.inputs[0])
    t.links.new(smooth.outputs[0], gout.inputs[0])
    return group


def build():
    clear_scene()
    wood = principled("StoolWood", WOOD_COLOR, 0.45)
    steel = principled("StoolSteel", METAL_COLOR, 0.3, metallic=1.0)

    mesh = bpy.data.meshes.new("Stool")
    mesh.materials.append(wood)
    mesh.materials.append(steel)
    stool = bpy.data.objects.new("Stool", mesh)
    bpy.context.scene.collection.objects.link(stool)

    nodes = stool.modifiers.new("StoolGenerator", "NODES")
    nodes.node_group = stool_node_group(wood, steel)
    # Modifier inputs are keyed by socket identifier ("Socket_3"), not by display name.
    overrides = {"Seat Height": SEAT_HEIGHT, "Leg Count": LEG_COUNT}
    for item in nodes.node_group.interface.items_tree:
        if item.item_type == "SOCKET" and item.in_out == "INPUT" and item.name in overrides:
            nodes[item.identifier] = overrides[item.name]

    edge = stool.modifiers.new("SeatEdge", "BEVEL")
    edge.width = SEAT_EDGE_BEVEL
    edge.segments = 3
    edge.limit_method = "ANGLE"
    edge.angle_limit = math.radians(50.0)
    return stool


if __name__ == "__main__":
    build()
