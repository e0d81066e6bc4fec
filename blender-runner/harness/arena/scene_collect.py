"""What the script left behind: drop its cameras and lights, collect its meshes (§2.3)."""
import bpy


def ensure_object_mode():
    obj = bpy.context.view_layer.objects.active
    if obj is not None and obj.mode != "OBJECT":
        bpy.ops.object.mode_set(mode="OBJECT")


def remove_cameras_and_lights():
    doomed = [o for o in bpy.data.objects if o.type in {"CAMERA", "LIGHT"}]
    for obj in doomed:
        bpy.data.objects.remove(obj, do_unlink=True)


def mesh_objects():
    return [o for o in bpy.context.scene.objects if o.type == "MESH"]
