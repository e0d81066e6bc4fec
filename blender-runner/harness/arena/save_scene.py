"""Process 1's last step: the scene the script built, saved as a .blend for process 2.

Before saving, every bpy.app.handlers list is emptied so no script code runs during the save
(save_pre/save_post, depsgraph updates) and none can be attached to the file: handlers are Python
functions, never part of a .blend. Images that exist only in memory (generated and painted, or
loaded from files process 2 will not see: /tmp and this job folder are not in its sandbox) are
packed into the file.
"""
import hashlib
import os
import stat
import time

import bpy

_PACKABLE = {"FILE", "GENERATED", "SEQUENCE", "TILED"}


def _clear_handlers():
    for name in dir(bpy.app.handlers):
        handlers = getattr(bpy.app.handlers, name, None)
        if isinstance(handlers, list):
            handlers.clear()


def _pack_images():
    for image in bpy.data.images:
        if image.packed_file is not None or image.source not in _PACKABLE:
            continue
        # An untouched generated image is rebuilt from its settings when the file is opened.
        if image.source == "GENERATED" and not image.is_dirty:
            continue
        try:
            image.pack()
        except RuntimeError:
            pass  # no pixels to pack (a missing file): it is missing in process 2 as well
    try:
        bpy.ops.file.pack_all()  # fonts, sounds, volumes loaded from files
    except RuntimeError:
        pass


def _sha256(path):
    """Of the file Blender just wrote. A thread of the script could swap it meanwhile (for a FIFO
    or a symlink): never follow or block on it; the host checks the file it copies anyway."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("the saved scene is not a regular file")
        digest = hashlib.sha256()
        for block in iter(lambda: os.read(fd, 1 << 20), b""):
            digest.update(block)
        return digest.hexdigest()
    finally:
        os.close(fd)


def save(path):
    """Returns the saved file's facts for the report channel."""
    t = time.time()
    _clear_handlers()
    _pack_images()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    bpy.ops.wm.save_as_mainfile(filepath=path, check_existing=False, copy=True, compress=False)
    return {"bytes": os.path.getsize(path), "sha256": _sha256(path), "seconds": round(time.time() - t, 3)}
