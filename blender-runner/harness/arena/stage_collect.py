"""Process 2: opens the scene process 1 saved and does what 3DCodeBench does after the script
(benchmark-compat §2.3-§4): drop cameras and lights, collect meshes, stats, both GLBs, four views.

It never executes model code. It starts (bpy, numpy and scipy imported) before the script has
finished, then waits for the host's "go" on stdin: the host sends it only once every process of
process 1 is dead and a copy of the .blend is in this sandbox's own /job (see local-runner.ts).
Python auto-execution stays off, so drivers and registered text blocks in the file never run.
"""
import os
import sys
import time

import bpy

from . import execute, export, render, scene_collect, stats

SCENE_FILE = "scene.blend"


def _wait_for_go():
    line = sys.stdin.buffer.readline()
    return line.strip() == b"go"


def main(job_dir, job, channel, timings, usage):
    out_dir = os.path.join(job_dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    result = {"status": "RUNNING", "error": None, "stats": None, "renderer": None, "views": [], "setup": None, "timings": timings}

    def finish(status, error=None):
        result.update(status=status, error=error, **usage())
        channel.send("result", **result)

    if not _wait_for_go():
        return  # the host needs no export (process 1 failed) or went away
    channel.send("phase", phase="open")
    t = time.time()
    bpy.context.preferences.filepaths.use_scripts_auto_execute = False
    try:
        bpy.ops.wm.open_mainfile(filepath=os.path.join(job_dir, SCENE_FILE), load_ui=False, use_scripts=False)
    except Exception as exc:
        finish("ERR_EXEC", "the scene the script left could not be opened again: " + execute.format_error(exc))
        return
    timings["open"] = round(time.time() - t, 3)

    t = time.time()
    try:
        scene_collect.ensure_object_mode()
        scene_collect.remove_cameras_and_lights()
        meshes = scene_collect.mesh_objects()
    except Exception as exc:  # the script left Blender in a state we cannot read
        finish("ERR_EXEC", execute.format_error(exc))
        return
    if not meshes:
        finish("ERR_NO_MESH", "the script created no mesh object")
        return

    channel.send("phase", phase="stats")
    try:
        mesh_stats = stats.compute_stats(meshes)
    except Exception as exc:
        finish("ERR_EXPORT", "mesh stats failed: " + execute.format_error(exc))
        return
    timings["stats"] = round(time.time() - t, 3)
    result["stats"] = mesh_stats

    channel.send("phase", phase="export")
    t = time.time()
    try:
        export.export_glbs(meshes, os.path.join(out_dir, "metric.glb"), os.path.join(out_dir, "display.glb"))
    except Exception as exc:
        finish("ERR_EXPORT", execute.format_error(exc))
        return
    timings["export"] = round(time.time() - t, 3)

    if not job.get("render", True):
        finish("OK")
        return

    channel.send("phase", phase="render")
    t = time.time()
    try:
        render.normalise(meshes, mesh_stats["bbox"])
        renderer, views, setup = render.render_views(
            meshes, mesh_stats["extent"], job["profile"], job.get("threads", 1), os.path.join(out_dir, "renders")
        )
    except Exception as exc:
        timings["render"] = round(time.time() - t, 3)
        finish("ERR_RENDER", execute.format_error(exc))
        return
    timings["render"] = round(time.time() - t, 3)
    result.update(renderer=renderer, views=views, setup=setup)
    finish("OK")
