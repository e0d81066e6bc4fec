"""3DCodeArena harness: one untrusted Blender script the way 3DCodeBench does (docs/benchmark.md §2–§4), split over two sandboxed processes so that nothing the script can reach produces its result.

    python harness.py --job DIR --stage run|collect                          (bpy module)
    blender -b --factory-startup --disable-autoexec --python-exit-code 1 \\
        --python harness.py -- --job DIR --stage run|collect

--stage run      (process 1) empty scene, audit hook, the script as __main__, scene saved as a .blend
--stage collect  (process 2) opens that .blend without running any of its Python, then stats,
                 the two GLBs and the four views
Both report on fd 3 (arena/report.py); neither writes a result file.
"""
import os
import sys
import time

_T0 = time.time()
# The harness folder is read-only in the sandbox; outside it, leave no __pycache__ in the repo.
sys.dont_write_bytecode = True


def _close_inherited_fds(keep):
    """Only the report channel (and stdio) may cross into the sandbox: a worker started from a
    shell or a supervisor can hold other inheritable fds, which bwrap passes on. Done before
    `import bpy`, so no descriptor of Blender's own exists yet (bpy module only; the client sets
    ARENA_CLOSE_FDS)."""
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass  # the listing's own descriptor


if os.environ.get("ARENA_CLOSE_FDS") == "1":
    _close_inherited_fds({0, 1, 2, 3})

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402

import bpy  # noqa: E402

# The client starts Blender on `threads` CPUs so its TBB pool is sized to them (a bigger pool
# spins idle workers); now that the pool exists, let the scheduler use every CPU again.
if os.environ.get("ARENA_CPUS") and hasattr(os, "sched_setaffinity"):
    try:
        os.sched_setaffinity(0, [int(c) for c in os.environ["ARENA_CPUS"].split(",")])
    except (OSError, ValueError):
        pass

from arena.report import Channel  # noqa: E402

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))


def _parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else sys.argv[1:]
    parser = argparse.ArgumentParser()
    parser.add_argument("--job", required=True)
    parser.add_argument("--stage", required=True, choices=["run", "collect"])
    return parser.parse_args(argv)


def _usage():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    # ru_maxrss is KiB on Linux.
    return {"peakRssMiB": round(usage.ru_maxrss / 1024.0, 1), "cpuSeconds": round(usage.ru_utime + usage.ru_stime, 3)}


def main():
    args = _parse_args()
    job_dir = os.path.abspath(args.job)
    with open(os.path.join(job_dir, "input.json"), encoding="utf-8") as fh:
        job = json.load(fh)
    channel = Channel()
    # The client stamps the spawn time so startup covers sandbox setup plus Blender start.
    spawned_at = job.get("spawnedAt")
    timings = {"startup": round(time.time() - (spawned_at if spawned_at else _T0), 3)}
    if args.stage == "run":
        from arena import stage_run

        channel.send("ready", blenderVersion=bpy.app.version_string, startup=timings["startup"])
        stage_run.main(job_dir, job, channel, HARNESS_DIR)
    else:
        from arena import stage_collect

        channel.send("ready", blenderVersion=bpy.app.version_string, startup=timings["startup"])
        stage_collect.main(job_dir, job, channel, timings, _usage)


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
    # Skip interpreter teardown: freeing Blender's data can take seconds and adds nothing; and in
    # process 1, threads the script started die here instead of running on.
    os._exit(0)
