"""Process 1: empty scene, audit hook, the untrusted script as __main__, the scene saved as a .blend.

The only facts reported (report.py, fd 3) are whether the script raised (+ the §2.5 error text),
timings, the Blender version, audit events and the saved file's size and sha256. Every one of
them is something a script could also choose by ordinary means (catch its own exception, raise a
made-up one), so a forged record gains nothing; status, stats, GLBs and views come from process 2.
"""
import os
import time

from . import audit, execute, save_scene, scene_reset

SCENE_FILE = "out/scene.blend"


def main(job_dir, job, channel, harness_dir):
    channel.send("phase", phase="script")
    scene_reset.reset_scene()
    auditor = audit.install(channel, job_dir, harness_dir)
    t = time.time()
    error = execute.run_script(os.path.join(job_dir, job.get("script", "script.py")))
    seconds = round(time.time() - t, 3)
    audit.after_script(auditor)
    channel.send("script", error=error, seconds=seconds)
    if error is not None:
        channel.send("end")
        return
    channel.send("phase", phase="save")
    try:
        saved = save_scene.save(os.path.join(job_dir, SCENE_FILE))
    except Exception as exc:  # a scene Blender cannot write (disk budget, file-size limit, ...)
        channel.send("saveFailed", error=execute.format_error(exc))
        channel.send("end")
        return
    channel.send("saved", file=SCENE_FILE, **saved)
    channel.send("end")
