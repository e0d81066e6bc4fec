"""Display views: renders for people to look at (thumbnails, galleries, the reference shown to
voters), never for a metric or a model's input. The benchmark's four views (render.py) stay as
the benchmark defines them; these are made after the export step, on the script's scene with its
materials, and are written as display_<n>.png next to them.

What differs from the benchmark's views, and why:
- the camera frames the object's bounding sphere (any size fills the frame the same way);
- the exposure is measured on a small probe render and set so the object's mean brightness is a
  mid-tone (the benchmark's fixed lights blow small or white objects out);
- AgX view transform (highlights roll off instead of clipping), denoised (OIDN) when the profile
  says so, transparent film: the host puts them on a neutral background (display-png.ts).
"""
import math
import os

import bpy
from mathutils import Vector

from . import render

# Target mean display value of the object's pixels (0..1): a mid-tone, bright enough for dark
# materials to read, far from white so light ones keep their shading.
TARGET = 0.46
EXPOSURE_LIMIT = 6.0
PROBE_RES = 96
PROBE_SAMPLES = 4
ELEVATION_DEG = 22.0
# Azimuths of the display views, in order; a profile uses the first `views` of them. They
# are the benchmark's (frames 5, 15, 25, 35), so a view and its benchmark twin face the same way.
AZIMUTHS = (45.0, 135.0, 225.0, 315.0)
# (position as multiples of the radius in camera space: right, up, back; watts per radius^2; size).
LIGHTS = (
    ("key", (1.2, 1.4, 1.6), 900.0, 1.4),
    ("fill", (-1.6, 0.4, 1.2), 300.0, 2.0),
    ("rim", (0.2, 1.6, -1.8), 500.0, 1.2),
)
WORLD = (0.30, 0.30, 0.32, 1.0)


def _sphere(meshes):
    centre, _ = render.benchmark_box(meshes)
    corners = [o.matrix_world @ Vector(c) for o in meshes for c in o.bound_box]
    radius = max(((p - centre).length for p in corners), default=0.0)
    return centre, radius if radius > 1e-9 else 1.0


def _settings(profile, threads):
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.render.film_transparent = True
    scene.render.resolution_percentage = 100
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGBA"
    scene.render.image_settings.color_depth = "8"
    scene.render.threads_mode = "FIXED"
    scene.render.threads = max(1, int(threads))
    scene.render.use_persistent_data = True
    # The script's own compositing or sequencer must not decide what people see.
    scene.render.use_compositing = False
    scene.render.use_sequencer = False
    vs = scene.view_settings
    scene.display_settings.display_device = "sRGB"
    vs.view_transform = "AgX"
    vs.look = "None"
    vs.gamma = 1.0
    vs.use_curve_mapping = False
    vs.exposure = 0.0
    try:
        scene.cycles.film_exposure = 1.0
    except AttributeError:
        pass


def _pass(samples, resolution, denoise):
    scene = bpy.context.scene
    scene.cycles.samples = int(samples)
    scene.render.resolution_x = int(resolution)
    scene.render.resolution_y = int(resolution)
    scene.cycles.use_denoising = bool(denoise)
    if denoise:
        scene.cycles.denoiser = "OPENIMAGEDENOISE"


def _mean_object_value(path):
    """Mean display value (Rec. 709 weights) of the pixels the object covers, or None."""
    import numpy as np

    img = bpy.data.images.load(path, check_existing=False)
    try:
        w, h = img.size
        px = np.empty(w * h * 4, dtype=np.float32)
        img.pixels.foreach_get(px)
    finally:
        bpy.data.images.remove(img)
    px = px.reshape(-1, 4)
    mask = px[:, 3] > 0.5
    if int(mask.sum()) < 4:
        return None
    rgb = px[mask, :3]
    return float((rgb @ np.array([0.2126, 0.7152, 0.0722], dtype=np.float32)).mean())


def _to_linear(v):
    return max(v, 1e-4) ** 2.2


def _exposure(camera_at, probe_path):
    """Two probe renders from the first view: the exposure (stops) that brings the object's mean
    to TARGET. AgX is not linear, so the second probe corrects the first estimate."""
    scene = bpy.context.scene
    camera_at(AZIMUTHS[0])
    _pass(PROBE_SAMPLES, PROBE_RES, False)
    exposure = 0.0
    for _ in range(2):
        scene.view_settings.exposure = exposure
        scene.render.filepath = probe_path
        bpy.ops.render.render(write_still=True)
        mean = _mean_object_value(probe_path)
        if mean is None:
            break
        step = math.log2(_to_linear(TARGET) / _to_linear(mean))
        exposure = max(-EXPOSURE_LIMIT, min(EXPOSURE_LIMIT, exposure + step))
        if abs(step) < 0.1:
            break
    try:
        os.remove(probe_path)
    except OSError:
        pass
    return round(exposure, 3)


def render_display(meshes, profile, threads, out_dir):
    """Renders profile["views"] display views; returns (renderer, views). The scene is changed
    for good (lights, camera, world, settings): this is the last thing process 2 does."""
    scene = bpy.context.scene
    render._paint_bare_meshes(meshes)
    centre, radius = _sphere(meshes)
    world = bpy.data.worlds.new("ArenaDisplayWorld")
    world.use_nodes = True
    tree = world.node_tree
    tree.nodes.clear()
    bg = tree.nodes.new("ShaderNodeBackground")
    out = tree.nodes.new("ShaderNodeOutputWorld")
    bg.inputs["Color"].default_value = WORLD
    bg.inputs["Strength"].default_value = 1.0
    tree.links.new(bg.outputs["Background"], out.inputs["Surface"])
    scene.world = world

    cam_data = bpy.data.cameras.new("ArenaDisplayCamera")
    cam_data.lens = 50.0
    cam_data.sensor_width = 36.0
    cam_data.sensor_fit = "AUTO"
    camera = bpy.data.objects.new("ArenaDisplayCamera", cam_data)
    scene.collection.objects.link(camera)
    scene.camera = camera
    half_fov = cam_data.angle / 2.0
    distance = radius / math.sin(half_fov) * 1.08
    cam_data.clip_start = max(distance - radius * 1.5, distance * 0.001)
    cam_data.clip_end = distance + radius * 3.0

    lights = []
    for name, _pos, watts, size in LIGHTS:
        data = bpy.data.lights.new("ArenaDisplay_" + name, type="AREA")
        data.energy = watts * radius * radius
        data.size = size * radius
        obj = bpy.data.objects.new("ArenaDisplay_" + name, data)
        scene.collection.objects.link(obj)
        lights.append((obj, _pos))

    elevation = math.radians(ELEVATION_DEG)

    def camera_at(azimuth_deg):
        """Camera on the sphere around the centre; lights follow it (same look from every side)."""
        az = math.radians(azimuth_deg)
        back = Vector((math.cos(az) * math.cos(elevation), math.sin(az) * math.cos(elevation), math.sin(elevation)))
        camera.location = centre + back * distance
        camera.rotation_euler = (-back).to_track_quat("-Z", "Y").to_euler()
        bpy.context.view_layer.update()
        right = camera.matrix_world.to_3x3() @ Vector((1.0, 0.0, 0.0))
        up = camera.matrix_world.to_3x3() @ Vector((0.0, 1.0, 0.0))
        for obj, (fr, fu, fb) in lights:
            obj.location = centre + (right * fr + up * fu + back * fb) * radius
            obj.rotation_euler = (centre - obj.location).to_track_quat("-Z", "Y").to_euler()
        bpy.context.view_layer.update()

    _settings(profile, threads)
    os.makedirs(out_dir, exist_ok=True)
    exposure = _exposure(camera_at, os.path.join(out_dir, "probe.png"))

    import _cycles

    denoise = bool(profile.get("denoise")) and getattr(_cycles, "with_openimagedenoise", False)
    _pass(profile["samples"], profile["resolution"], denoise)
    scene.view_settings.exposure = exposure
    views = []
    for i, azimuth in enumerate(AZIMUTHS[: int(profile["views"])]):
        camera_at(azimuth)
        name = "display_%d.png" % i
        scene.render.filepath = os.path.join(out_dir, name)
        bpy.ops.render.render(write_still=True)
        if not os.path.isfile(scene.render.filepath):
            raise RuntimeError("render produced no file for " + name)
        views.append({"name": name, "azimuthDeg": azimuth, "elevationDeg": ELEVATION_DEG})
    renderer = {
        "engine": "CYCLES",
        "device": "cpu",
        "samples": int(profile["samples"]),
        "resolution": int(profile["resolution"]),
        "denoiser": "OPENIMAGEDENOISE" if denoise else None,
        "exposure": exposure,
        "viewTransform": "AgX",
    }
    return renderer, views
