"""The four views as the benchmark renders them (benchmark-facts §2): its box, its recentring, its
lights and camera added with bpy.ops (poll included), grey only for meshes without a slot."""
import math
import os

import bpy
from mathutils import Vector

WORLD_COLOUR = (0.012, 0.013, 0.021, 1.0)
GREY = (0.72, 0.72, 0.75, 1.0)
GREY_ROUGHNESS = 0.65
FRAMES = (5, 15, 25, 35)
# (name, position as multiples of (r, r, h), watts, size as a multiple of extent): §4.
LIGHTS = (
    ("key", (0.9, -0.7, 1.7), 1200.0, 0.9),
    ("fill", (-0.6, -0.4, 1.0), 400.0, 1.2),
    ("rim", (0.0, 0.9, 1.3), 600.0, 0.7),
)


def benchmark_box(meshes):
    """The benchmark's box (benchmark-facts §2): the world-space min/max over the 8 `bound_box`
    corners of every mesh object. Loose for rotated objects, Geometry-Nodes instances left out,
    an empty mesh counted at its origin. Returns (centre, extent); extent 0 becomes 1.0."""
    bpy.context.view_layer.update()
    corners = [o.matrix_world @ Vector(c) for o in meshes for c in o.bound_box]
    lo = [min(p[i] for p in corners) for i in range(3)]
    hi = [max(p[i] for p in corners) for i in range(3)]
    centre = Vector([(a + b) / 2.0 for a, b in zip(lo, hi)])
    extent = max(b - a for a, b in zip(lo, hi)) or 1.0
    return centre, extent


def normalise(meshes, centre):
    """Move only parentless MESH objects (children, Empties, curves stay where they are), as the
    benchmark does; no rescale. Returns what to undo before the export step."""
    moved = []
    for obj in meshes:
        if obj.parent is None:
            moved.append((obj, obj.location.copy()))
            obj.location = obj.location - centre
    return moved


def _aim(obj, target=Vector((0.0, 0.0, 0.0))):
    obj.rotation_euler = (target - obj.location).to_track_quat("-Z", "Y").to_euler()


def _world():
    scene = bpy.context.scene
    world = scene.world or bpy.data.worlds.new("World")
    scene.world = world
    tree = world.node_tree
    if tree is None:  # a world created from Python before Blender 5 defaults
        world.use_nodes = True
        tree = world.node_tree
    tree.nodes.clear()
    background = tree.nodes.new("ShaderNodeBackground")
    output = tree.nodes.new("ShaderNodeOutputWorld")
    background.inputs["Color"].default_value = WORLD_COLOUR
    background.inputs["Strength"].default_value = 1.0
    tree.links.new(background.outputs["Background"], output.inputs["Surface"])


def _grey_material():
    mat = bpy.data.materials.new("ArenaGrey")
    tree = mat.node_tree
    if tree is None:
        mat.use_nodes = True
        tree = mat.node_tree
    bsdf = next((n for n in tree.nodes if n.type == "BSDF_PRINCIPLED"), None)
    if bsdf is None:
        bsdf = tree.nodes.new("ShaderNodeBsdfPrincipled")
        out = next((n for n in tree.nodes if n.type == "OUTPUT_MATERIAL"), None) or tree.nodes.new(
            "ShaderNodeOutputMaterial"
        )
        tree.links.new(bsdf.outputs["BSDF"], out.inputs["Surface"])
    bsdf.inputs["Base Color"].default_value = GREY
    bsdf.inputs["Roughness"].default_value = GREY_ROUGHNESS
    return mat


def _paint_bare_meshes(objects):
    """Grey only for meshes whose mesh data has no material slot at all (an empty slot counts as
    a material, as in the benchmark). Returns the mesh data blocks painted, to undo later."""
    grey = None
    painted = []
    for obj in objects:
        if len(obj.data.materials) != 0:
            continue
        grey = grey or _grey_material()
        obj.data.materials.append(grey)
        painted.append(obj.data)
    return painted


# EXEC_DEVICE (lib/env.ts) -> Cycles compute device type; "cpu" needs none.
GPU_TYPES = {"cuda": "CUDA", "optix": "OPTIX"}


def _select_device(requested):
    """Point Cycles at the requested device. Returns (device used, note): a GPU that Blender cannot
    see is not an error of the script, so the views are rendered on the CPU instead and the run
    records both what was asked and what was used (docs/deploy.md "GPU nodes")."""
    scene = bpy.context.scene
    kind = GPU_TYPES.get(requested)
    if kind is None:
        scene.cycles.device = "CPU"
        return "cpu", None
    prefs = bpy.context.preferences.addons["cycles"].preferences
    try:
        prefs.compute_device_type = kind
        prefs.refresh_devices()
        gpus = [d for d in prefs.get_devices_for_type(kind) if d.type == kind]
    except Exception as exc:  # a Blender build without this backend
        gpus, why = [], "%s: %s" % (type(exc).__name__, exc)
    else:
        why = "Blender found no %s device" % kind
    if not gpus:
        scene.cycles.device = "CPU"
        return "cpu", "EXEC_DEVICE=%s: %s; rendered on the CPU" % (requested, why)
    for d in prefs.devices:
        d.use = d.type == kind
    scene.cycles.device = "GPU"
    return requested, None


def _configure(profile, threads, requested_device="cpu"):
    """Returns the renderer record (§4: say which denoiser was used, and on which device)."""
    import _cycles

    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    device, device_note = _select_device(requested_device)
    scene.cycles.samples = int(profile["samples"])
    denoiser = None
    if profile.get("denoise") and getattr(_cycles, "with_openimagedenoise", False):
        scene.cycles.use_denoising = True
        scene.cycles.denoiser = "OPENIMAGEDENOISE"
        # Unset = Blender's defaults (ACCURATE, HIGH), as the benchmark renders; cheaper
        # profiles may lower them (OIDN dominates a small CPU render).
        if profile.get("denoisePrefilter"):
            scene.cycles.denoising_prefilter = profile["denoisePrefilter"]
        if profile.get("denoiseQuality"):
            scene.cycles.denoising_quality = profile["denoiseQuality"]
        denoiser = "OPENIMAGEDENOISE"
    else:
        scene.cycles.use_denoising = False
    res = int(profile["resolution"])
    scene.render.resolution_x = res
    scene.render.resolution_y = res
    scene.render.resolution_percentage = 100
    scene.render.film_transparent = True
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGBA"
    scene.render.image_settings.color_depth = "8"
    scene.render.threads_mode = "FIXED"
    scene.render.threads = max(1, int(threads))
    # Only the camera moves between the four renders: keep the synced scene and BVH.
    scene.render.use_persistent_data = True
    record = {
        "engine": "CYCLES",
        "device": device,
        "samples": int(profile["samples"]),
        "resolution": res,
        "denoiser": denoiser,
    }
    if device_note:
        record["requestedDevice"] = requested_device
        record["deviceNote"] = device_note
    return record


def _matrix(obj):
    return [[round(v, 6) for v in row] for row in obj.matrix_world]


def _forward(obj):
    """Unit vector along the object's local -Z (where cameras and area lights point)."""
    d = obj.matrix_world.to_3x3() @ Vector((0.0, 0.0, -1.0))
    return [round(v, 6) for v in d.normalized()]


def _light_record(obj):
    return {
        "name": obj.name,
        "type": obj.data.type,
        "location": [round(v, 6) for v in obj.matrix_world.translation],
        "forward": _forward(obj),
        "energy": obj.data.energy,
        "shape": obj.data.shape,
        "size": round(obj.data.size, 6),
    }


def _camera_record(frame, camera):
    data = camera.data
    return {
        "frame": frame,
        "location": [round(v, 6) for v in camera.matrix_world.translation],
        "forward": _forward(camera),
        "up": [round(v, 6) for v in (camera.matrix_world.to_3x3() @ Vector((0.0, 1.0, 0.0))).normalized()],
        "matrixWorld": _matrix(camera),
        "type": data.type,
        "lens": data.lens,
        "sensorWidth": data.sensor_width,
        "sensorFit": data.sensor_fit,
        "angleDeg": round(math.degrees(data.angle), 6),
        "clipStart": data.clip_start,
        "clipEnd": round(data.clip_end, 6),
    }


def _scene_box():
    """World bounding box over the mesh objects as rendered (after normalise)."""
    lo, hi = [math.inf] * 3, [-math.inf] * 3
    for obj in bpy.context.scene.objects:
        if obj.type != "MESH":
            continue
        for corner in obj.bound_box:
            p = obj.matrix_world @ Vector(corner)
            for i in range(3):
                lo[i], hi[i] = min(lo[i], p[i]), max(hi[i], p[i])
    return {"min": [round(v, 6) for v in lo], "max": [round(v, 6) for v in hi]}


def setup_record(extent, cameras, lights):
    """The poses the four views were rendered from, for checks and admins (RunResult.renderSetup)."""
    scene = bpy.context.scene
    background = next((n for n in scene.world.node_tree.nodes if n.type == "BACKGROUND"), None)
    record = {
        "extent": extent,
        "cameras": cameras,
        "lights": [_light_record(obj) for obj in lights],
        # Everything in the scene that renders or lights: only the arena's own camera and lights
        # may be left once the script's were removed (§2.3).
        "sceneObjects": sorted((obj.name, obj.type) for obj in scene.objects if obj.type in ("CAMERA", "LIGHT")),
        "sceneBox": _scene_box(),
        "world": {
            "color": list(background.inputs["Color"].default_value) if background else None,
            "strength": background.inputs["Strength"].default_value if background else None,
        },
        "film": {
            "transparent": scene.render.film_transparent,
            "resolution": [scene.render.resolution_x, scene.render.resolution_y],
            "colorMode": scene.render.image_settings.color_mode,
        },
    }
    return record


class SceneChanges:
    """What rendering changed in the script's scene, undone before the GLBs are exported (the
    benchmark exports from a fresh run of the script, never from a recentred, painted scene)."""

    def __init__(self):
        self.moved = []
        self.painted = []
        self.added = []

    def undo(self):
        for obj, location in self.moved:
            obj.location = location
        for mesh in self.painted:
            if len(mesh.materials):
                mesh.materials.pop()
        for obj in self.added:
            try:
                bpy.data.objects.remove(obj, do_unlink=True)
            except ReferenceError:
                pass
        bpy.context.view_layer.update()


def _added_object(op, name, **kwargs):
    """bpy.ops.object.<op>, as the benchmark adds its lights and camera: the operator's poll fails
    when the script left a mode other than Object Mode (e.g. Edit Mode), which is ERR_RENDER there
    and here. The new object goes into the active collection."""
    getattr(bpy.ops.object, op)(**kwargs)
    obj = bpy.context.active_object
    obj.name = name
    return obj


def render_views(meshes, profile, threads, out_dir, changes, device="cpu"):
    """The benchmark's _setup_scene + _render_views (benchmark-facts §2), in its order: box,
    recentring, world, lights, grey material, camera, settings, four views. Every change to the
    script's scene is recorded in `changes`, also when a step raises."""
    scene = bpy.context.scene
    centre, extent = benchmark_box(meshes)
    changes.moved = normalise(meshes, centre)
    r, h = 1.8 * extent, 0.6 * extent
    _world()
    lights = []
    for name, (fx, fy, fz), watts, size in LIGHTS:
        obj = _added_object("light_add", "Arena_" + name, type="AREA", location=(fx * r, fy * r, fz * h))
        changes.added.append(obj)
        obj.data.name = "Arena_" + name
        obj.data.energy = watts
        obj.data.size = size * extent
        _aim(obj)
        lights.append(obj)
    changes.painted = _paint_bare_meshes(meshes)
    camera = _added_object("camera_add", "ArenaCamera", location=(r, 0.0, h))
    changes.added.append(camera)
    camera.data.lens = 50.0
    camera.data.clip_end = 25.0 * extent  # clip_start keeps Blender's default (0.1), as there
    scene.camera = camera
    renderer = _configure(profile, threads, device)

    os.makedirs(out_dir, exist_ok=True)
    views = []
    cameras = []
    for frame in FRAMES:
        t = 2.0 * math.pi * frame / 40.0
        camera.location = (r * math.cos(t), r * math.sin(t), h)
        _aim(camera)
        name = "Image_%03d.png" % frame
        scene.render.filepath = os.path.join(out_dir, name)
        bpy.ops.render.render(write_still=True)
        cameras.append(_camera_record(frame, camera))
        if not os.path.isfile(scene.render.filepath):
            raise RuntimeError("render produced no file for " + name)
        views.append({
            "name": name,
            "azimuthDeg": round(math.degrees(t), 4),
            "elevationDeg": round(math.degrees(math.atan2(h, r)), 4),
        })
    setup = setup_record(extent, cameras, lights)
    setup["box"] = {"centre": [round(v, 6) for v in centre], "extent": extent, "rule": "bound_box corners of MESH objects"}
    return renderer, views, setup
