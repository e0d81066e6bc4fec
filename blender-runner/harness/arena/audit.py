"""Tamper evidence for process 1 (PEP 578 audit hook + a check for replaced functions).

Nothing a script does here can change its status, stats, GLBs or views: those come from process 2,
which never runs model code. This only makes attempts to reach the harness visible to admins:

- `gc.get_objects/get_referrers/get_referents`, `sys._getframe`, `sys._current_frames`,
  `sys.settrace/setprofile` and every `ctypes.*` event, counted only when the Python frame that
  triggered it is the script's own code (a file under /job, or code the script compiled at run
  time; for ctypes, the first frame outside the ctypes package), because logging, typing,
  collections.namedtuple, enum, numpy and scipy make some of these calls internally;
  `sys._getframe` also counts, whoever called it, when the frame it hands out belongs to the
  harness or runpy;
- `open` for writing outside /job and /tmp (both are the script's own scratch space: TMPDIR is
  /tmp; /dev/null and stdout/stderr are harmless sinks too) or into /job/out, the harness's
  output folder, whoever the caller (pathlib and friends write on a script's behalf, and nothing
  else writes there while the script runs);
- functions of modules the harness uses (json, os, sys, io, runpy, traceback, hashlib, gc,
  builtins) replaced or deleted by the time the script returns;
- a canary event the harness raises after the script: a hook the script silenced misses it.

Each record is written to the report channel as it happens, before the audited call returns to
the script, so a script cannot take back what it already did. Known gap (PEP 578 says as much):
`frame.f_back` is not audited, so a script that obtains its own frame from a library helper can
walk to the harness's frames unseen; that still reaches nothing the run's outcome depends on.
"""
import ctypes  # noqa: F401 - imported before the hook, so its import-time events are ours
import os
import sys
import threading

_WATCHED = frozenset({
    "gc.get_objects",
    "gc.get_referrers",
    "gc.get_referents",
    "sys._getframe",
    "sys._current_frames",
    "sys.settrace",
    "sys.setprofile",
})
_PATCH_MODULES = ("json", "os", "sys", "io", "runpy", "traceback", "hashlib", "gc", "builtins")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
_MAX_RECORDS = 100
_HARMLESS_SINKS = frozenset({"/dev/null", "/dev/stdout", "/dev/stderr", "/proc/self/fd/1", "/proc/self/fd/2"})
CANARY = "arena.canary"


def _write_mode(mode, flags):
    if isinstance(flags, int) and flags & _WRITE_FLAGS:
        return True
    return isinstance(mode, str) and any(c in mode for c in "wax+")


class Auditor:
    def __init__(self, channel, job_dir, harness_dir):
        self._channel = channel
        self._job = job_dir.rstrip("/") + "/"
        self._out = os.path.join(job_dir, "out").rstrip("/") + "/"
        self._harness = harness_dir.rstrip("/") + "/"
        self._runpy = sys.modules["runpy"].__file__
        self._ctypes = os.path.dirname(sys.modules["ctypes"].__file__) + "/"
        self.runtime_files = set()
        self.canary_seen = False
        self._seen = set()
        self._count = 0
        self._busy = set()
        self._snapshot = {}

    # -- records ---------------------------------------------------------------------------
    def _record(self, event, site, detail=""):
        key = (event, site, detail)
        if key in self._seen:
            return
        self._seen.add(key)
        self._count += 1
        if self._count > _MAX_RECORDS:
            if self._count == _MAX_RECORDS + 1:
                self._channel.send("audit", event="audit.overflow", site="", detail="more events were not recorded")
            return
        self._channel.send("audit", event=event, site=site, detail=str(detail)[:300])

    # -- frames ----------------------------------------------------------------------------
    def _is_script(self, filename):
        return filename.startswith(self._job) or filename in self.runtime_files

    @staticmethod
    def _site(frame):
        return "%s:%d" % (frame.f_code.co_filename, frame.f_lineno)

    def _script_site(self, frame):
        """The nearest frame of the script's own code on the stack, else None."""
        while frame is not None:
            if self._is_script(frame.f_code.co_filename):
                return self._site(frame)
            frame = frame.f_back
        return None

    # -- the hook --------------------------------------------------------------------------
    def hook(self, event, args):
        if event != CANARY and event != "open" and event != "compile" and event not in _WATCHED and not event.startswith("ctypes."):
            return
        tid = threading.get_ident()
        if tid in self._busy:
            return  # our own frame inspection raises events too
        self._busy.add(tid)
        try:
            self._handle(event, args)
        except BaseException:  # noqa: B036 - an audit hook must never break the audited call
            pass
        finally:
            self._busy.discard(tid)

    def _handle(self, event, args):
        if event == CANARY:
            self.canary_seen = True
            return
        caller = sys._getframe(2)  # 0: _handle, 1: hook, 2: the frame that made the audited call
        if event == "open":
            path, mode, flags = args
            if isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
            if not isinstance(path, str) or not _write_mode(mode, flags):
                return
            full = os.path.normpath(os.path.join(os.getcwd(), path))
            if full in _HARMLESS_SINKS:
                return  # e.g. silencing bpy.ops output, subprocess.DEVNULL
            if not (full + "/").startswith(self._out) and ((full + "/").startswith(self._job) or (full + "/").startswith("/tmp/")):
                return
            self._record("open.write", self._script_site(caller) or self._site(caller), full)
            return
        if event.startswith("ctypes."):
            # ctypes' own Python wrappers (CDLL, string_at, ...) sit between the caller and the
            # event: the first frame outside the package decides.
            while caller is not None and caller.f_code.co_filename.startswith(self._ctypes):
                caller = caller.f_back
            if caller is None:
                return
        filename = caller.f_code.co_filename
        if event == "compile":
            if self._is_script(filename) and len(args) > 1 and isinstance(args[1], str):
                # Code the script compiles at run time is the script's code too.
                self.runtime_files.add(args[1])
            return
        if event == "sys._getframe" and args:
            handed = args[0].f_code.co_filename
            if handed.startswith(self._harness) or handed == self._runpy:
                self._record(event, self._script_site(caller) or self._site(caller), "frame of " + handed)
                return
        if self._is_script(filename):
            self._record(event, self._site(caller), "")

    # -- replaced functions ----------------------------------------------------------------
    def snapshot(self):
        for name in _PATCH_MODULES:
            module = sys.modules.get(name)
            if module is None:
                continue
            for attr, value in vars(module).items():
                if callable(value):
                    self._snapshot[(name, attr)] = value

    def check_patches(self):
        for (name, attr), value in self._snapshot.items():
            module = sys.modules.get(name)
            now = getattr(module, attr, None) if module is not None else None
            if now is not value:
                self._record("patched", "", "%s.%s %s" % (name, attr, "deleted" if now is None else "replaced"))
        if sys.modules.get("runpy") is None:
            self._record("patched", "", "runpy removed from sys.modules")


def install(channel, job_dir, harness_dir):
    auditor = Auditor(channel, job_dir, harness_dir)
    auditor.snapshot()
    # PEP 578: once added, a hook cannot be removed for the life of the interpreter.
    sys.addaudithook(auditor.hook)
    return auditor


def after_script(auditor):
    """Checks that need the script to have finished: replaced functions and a silenced hook."""
    sys.audit(CANARY)
    if not auditor.canary_seen:
        auditor._record("audit.silenced", "", "the audit hook did not see the harness's canary event")
    auditor.check_patches()
