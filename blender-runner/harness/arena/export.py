"""GLB export, as the benchmark's separate export process does it (benchmark-facts §3).

metric.glb (Chamfer): `select_all(DESELECT)` (its poll fails when the script left Edit Mode or
another non-Object mode: ERR_EXPORT there and here), the meshes selected, their mesh data's
materials cleared, then the exporter with its defaults except selection, applied modifiers, Y-up
and no materials. So Geometry-Nodes instances that were not realised are absent
(`export_gn_mesh` stays False) and animations are exported (the default).

display.glb (viewers only, never scored): the same meshes with the script's materials and with
GN instances (they are what the views show), no animations; exported before the materials are
cleared. It is sanitised and compressed on the host.
"""
import bpy

_METRIC = dict(
    export_format="GLB",
    use_selection=True,
    export_apply=True,
    export_yup=True,
    export_materials="NONE",
)

_DISPLAY = dict(
    export_format="GLB",
    use_selection=True,
    export_apply=True,
    export_yup=True,
    export_materials="EXPORT",
    export_cameras=False,
    export_lights=False,
    export_animations=False,
    export_extras=False,
    export_gn_mesh=True,
)


def _select(meshes):
    """Raises (poll) outside Object Mode, like the benchmark's export process."""
    bpy.ops.object.select_all(action="DESELECT")
    for obj in meshes:
        obj.select_set(True)


def export_glbs(meshes, metric_path, display_path):
    """Returns the display export's error text (None when written); raises when the metric GLB
    cannot be made, which is the export step's ERR_EXPORT. Nothing is recentred or rescaled."""
    _select(meshes)
    display_error = None
    try:
        bpy.ops.export_scene.gltf(filepath=display_path, **_DISPLAY)
    except Exception as exc:  # the viewers' copy only; the metric GLB decides the export status
        display_error = "%s: %s" % (type(exc).__name__, exc)
    _select(meshes)
    for obj in meshes:
        obj.data.materials.clear()
    bpy.ops.export_scene.gltf(filepath=metric_path, **_METRIC)
    return display_error
