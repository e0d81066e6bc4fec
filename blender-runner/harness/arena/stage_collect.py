"""Process 2: opens the scene process 1 saved and does what 3DCodeBench does after the script
(benchmark-facts §1-§3): drop cameras and lights, collect meshes, the four views (they decide the
status), then, on the script's scene as it was, our mesh stats and the two GLBs (the export step
has a status of its own, as the benchmark's export process has).

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

    # The benchmark's order: the status comes from the render path alone (cameras and lights
    # removed, meshes collected, box, lights, views); the metric GLB is a separate step whose
    # failure does not change it. No mode switch: a script left in Edit Mode fails at light_add.
    try:
        scene_collect.remove_cameras_and_lights()
        meshes = scene_collect.mesh_objects()
    except Exception as exc:  # the script left Blender in a state we cannot read
        finish("ERR_EXEC", execute.format_error(exc))
        return
    if not meshes:
        result["export"] = {"status": "ERR_NO_MESH", "error": None, "displayError": None}
        finish("ERR_NO_MESH", "Script ran but produced no mesh objects")
        return

    status, error = "OK", None
    changes = render.SceneChanges()
    if job.get("render", True):
        channel.send("phase", phase="render")
        t = time.time()
        try:
            renderer, views, setup = render.render_views(
                meshes, job["profile"], job.get("threads", 1), os.path.join(out_dir, "renders"), changes,
                job.get("device", "cpu"),
            )
            result.update(renderer=renderer, views=views, setup=setup)
        except Exception as exc:
            status, error = "ERR_RENDER", execute.format_error(exc)
        timings["render"] = round(time.time() - t, 3)
        # The status is decided here: a limit or crash in the steps below does not change it.
        channel.send("rendered", status=status, error=error, renderer=result["renderer"], views=result["views"], setup=result["setup"])
    try:
        changes.undo()
    except Exception:
        pass  # the export step then reports what it finds

    # Our own mesh facts (not a benchmark step): informative, never a status.
    channel.send("phase", phase="stats")
    t = time.time()
    try:
        result["stats"] = stats.compute_stats(meshes)
    except Exception as exc:
        result["statsError"] = execute.format_error(exc)
    timings["stats"] = round(time.time() - t, 3)
    channel.send("phase", phase="export")
    t = time.time()
    try:
        display_error = export.export_glbs(meshes, os.path.join(out_dir, "metric.glb"), os.path.join(out_dir, "display.glb"))
        result["export"] = {"status": "OK", "error": None, "displayError": display_error}
    except Exception as exc:
        result["export"] = {"status": "ERR_EXPORT", "error": execute.format_error(exc), "displayError": None}
    timings["export"] = round(time.time() - t, 3)

    finish(status, error)
