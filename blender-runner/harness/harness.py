"""3DCodeArena harness: run one untrusted Blender script the way 3DCodeBench does
(benchmark-compat §2-§4) and leave out/result.json, two GLBs and four renders in the job folder.

    python harness.py --job DIR                          (bpy module)
    blender -b --factory-startup --python-exit-code 1 --python harness.py -- --job DIR
"""
import argparse
import json
import os
import sys
import time

_T0 = time.time()
# The harness folder is read-only in the sandbox; outside it, leave no __pycache__ in the repo.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bpy  # noqa: E402

# The client starts Blender on `threads` CPUs so its TBB pool is sized to them (a bigger pool
# spins idle workers); now that the pool exists, let the scheduler use every CPU again.
if os.environ.get("ARENA_CPUS") and hasattr(os, "sched_setaffinity"):
    try:
        os.sched_setaffinity(0, [int(c) for c in os.environ["ARENA_CPUS"].split(",")])
    except (OSError, ValueError):
        pass

from arena import execute, export, render, scene_collect, scene_reset, stats  # noqa: E402
from arena.result_file import ResultFile  # noqa: E402


def _parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", required=True)
    return parser.parse_args(argv)


def main():
    job_dir = os.path.abspath(_parse_args().job)
    with open(os.path.join(job_dir, "input.json"), encoding="utf-8") as fh:
        job = json.load(fh)
    out_dir = os.path.join(job_dir, "out")
    os.makedirs(out_dir, exist_ok=True)
    result = ResultFile(out_dir)
    timings = {}
    # The client stamps the spawn time so startup covers sandbox setup plus Blender start.
    spawned_at = job.get("spawnedAt")
    timings["startup"] = round(time.time() - (spawned_at if spawned_at else _T0), 3)
    result.update(blenderVersion=bpy.app.version_string, timings=timings)

    result.phase("script")
    t = time.time()
    scene_reset.reset_scene()
    error = execute.run_script(os.path.join(job_dir, job.get("script", "script.py")))
    timings["script"] = round(time.time() - t, 3)
    if error is not None:
        result.finish("ERR_EXEC", error)
        return

    t = time.time()
    try:
        scene_collect.ensure_object_mode()
        scene_collect.remove_cameras_and_lights()
        meshes = scene_collect.mesh_objects()
    except Exception as exc:  # the script left Blender in a state we cannot read
        result.finish("ERR_EXEC", execute.format_error(exc))
        return
    if not meshes:
        result.finish("ERR_NO_MESH", "the script created no mesh object")
        return

    result.phase("stats")
    try:
        mesh_stats = stats.compute_stats(meshes)
    except Exception as exc:
        result.finish("ERR_EXPORT", "mesh stats failed: " + execute.format_error(exc))
        return
    timings["stats"] = round(time.time() - t, 3)
    result.update(stats=mesh_stats)

    result.phase("export")
    t = time.time()
    try:
        export.export_glbs(meshes, os.path.join(out_dir, "metric.glb"), os.path.join(out_dir, "display.glb"))
    except Exception as exc:
        result.finish("ERR_EXPORT", execute.format_error(exc))
        return
    timings["export"] = round(time.time() - t, 3)

    if not job.get("render", True):
        result.finish("OK")
        return

    result.phase("render")
    t = time.time()
    try:
        render.normalise(meshes, mesh_stats["bbox"])
        renderer, views = render.render_views(
            meshes, mesh_stats["extent"], job["profile"], job.get("threads", 1), os.path.join(out_dir, "renders")
        )
    except Exception as exc:
        timings["render"] = round(time.time() - t, 3)
        result.finish("ERR_RENDER", execute.format_error(exc))
        return
    timings["render"] = round(time.time() - t, 3)
    result.update(renderer=renderer, views=views)
    result.finish("OK")


if __name__ == "__main__":
    try:
        main()
    except BaseException:  # a harness bug, not the script's: no final record -> ERR_NOLOG
        import traceback

        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter teardown: freeing Blender's data can take seconds and adds nothing.
    os._exit(0)
