"""GLB export (benchmark-compat §3): metric = geometry only; display keeps the script's materials."""
import bpy

_COMMON = dict(
    export_format="GLB",
    use_selection=True,
    export_apply=True,  # modifiers applied
    export_yup=True,
    export_cameras=False,
    export_lights=False,
    export_animations=False,
    export_extras=False,
    # Geometry Nodes instances are part of the object the script built.
    export_gn_mesh=True,
)


def _select_only(objects):
    for obj in bpy.context.view_layer.objects:
        obj.select_set(False)
    for obj in objects:
        try:
            obj.select_set(True)
        except RuntimeError:
            pass  # not in the view layer: the exporter cannot see it either
    if objects:
        bpy.context.view_layer.objects.active = objects[0]


def export_glbs(objects, metric_path, display_path):
    """Exported in place: nothing is recentred or rescaled before this runs."""
    _select_only(objects)
    bpy.ops.export_scene.gltf(filepath=metric_path, export_materials="NONE", **_COMMON)
    bpy.ops.export_scene.gltf(filepath=display_path, export_materials="EXPORT", **_COMMON)
