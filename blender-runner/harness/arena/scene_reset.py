"""Empty scene before the script runs (docs/benchmark.md §2)."""
import bpy


def _clear(collection):
    items = list(collection)
    if items:
        bpy.data.batch_remove(items)


def reset_scene():
    if bpy.context.object is not None and bpy.context.object.mode != "OBJECT":
        bpy.ops.object.mode_set(mode="OBJECT")
    # Objects first so the data blocks below have no users left.
    _clear(bpy.data.objects)
    for collection in (
        bpy.data.meshes,
        bpy.data.curves,
        bpy.data.cameras,
        bpy.data.lights,
        bpy.data.materials,
        bpy.data.node_groups,
    ):
        _clear(collection)
    bpy.context.scene.cursor.location = (0.0, 0.0, 0.0)
    bpy.context.scene.cursor.rotation_euler = (0.0, 0.0, 0.0)
