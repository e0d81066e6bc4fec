"""The four views (benchmark-compat §4), rendered after normalising the scene."""
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


def normalise(objects, bbox):
    """Move parentless objects so the box centre sits at the origin; no rescale (§4)."""
    centre = Vector([(a + b) / 2.0 for a, b in zip(bbox["min"], bbox["max"])])
    for obj in bpy.context.scene.objects:
        if obj.parent is None:
            obj.location = obj.location - centre
    bpy.context.view_layer.update()


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
    grey = None
    for obj in objects:
        if any(slot.material is not None for slot in obj.material_slots):
            continue
        grey = grey or _grey_material()
        if obj.material_slots:
            for slot in obj.material_slots:
                slot.material = grey
        else:
            obj.data.materials.append(grey)


def _configure(profile, threads):
    """Returns the renderer record (§4: say which denoiser was used)."""
    import _cycles

    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
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
    return {
        "engine": "CYCLES",
        "device": "CPU",
        "samples": int(profile["samples"]),
        "resolution": res,
        "denoiser": denoiser,
    }


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


def render_views(objects, extent, profile, threads, out_dir):
    scene = bpy.context.scene
    renderer = _configure(profile, threads)
    _world()
    _paint_bare_meshes(objects)
    r, h = 1.8 * extent, 0.6 * extent

    cam_data = bpy.data.cameras.new("ArenaCamera")
    cam_data.lens = 50.0
    cam_data.sensor_width = 36.0
    cam_data.clip_end = 25.0 * extent  # clip_start stays at Blender's default, as §4 fixes only clip_end
    camera = bpy.data.objects.new("ArenaCamera", cam_data)
    scene.collection.objects.link(camera)
    scene.camera = camera

    lights = []
    for name, (fx, fy, fz), watts, size in LIGHTS:
        light = bpy.data.lights.new("Arena_" + name, type="AREA")
        light.energy = watts
        light.size = size * extent
        obj = bpy.data.objects.new("Arena_" + name, light)
        scene.collection.objects.link(obj)
        obj.location = (fx * r, fy * r, fz * h)
        _aim(obj)
        lights.append(obj)

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
    return renderer, views, setup_record(extent, cameras, lights)
