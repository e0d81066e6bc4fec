"""Progressive result record: the client reads out/result.json after the process exits.

The record is rewritten atomically before each phase ("RUNNING" + phase) and once at the end,
so a Blender that dies mid-way leaves a "RUNNING" record the client reports as ERR_NOLOG.
"""
import json
import os
import resource


def _usage():
    return resource.getrusage(resource.RUSAGE_SELF)


class ResultFile:
    def __init__(self, out_dir):
        self.path = os.path.join(out_dir, "result.json")
        self.record = {
            "status": "RUNNING",
            "phase": "startup",
            "error": None,
            "blenderVersion": None,
            "timings": {},
            "stats": None,
            "renderer": None,
            "views": [],
            "peakRssMiB": None,
            "cpuSeconds": None,
        }

    def update(self, **fields):
        self.record.update(fields)
        usage = _usage()
        self.record["peakRssMiB"] = round(usage.ru_maxrss / 1024.0, 1)  # ru_maxrss is KiB on Linux
        self.record["cpuSeconds"] = round(usage.ru_utime + usage.ru_stime, 3)
        tmp = self.path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(self.record, fh, indent=1)
        os.replace(tmp, self.path)

    def phase(self, name):
        self.update(status="RUNNING", phase=name)

    def finish(self, status, error=None):
        self.update(status=status, phase="done", error=error)
