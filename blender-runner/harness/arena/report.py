"""The report channel: line-delimited JSON records on an inherited fd (3), read by the host as
capped bytes while the process runs (blender-runner/client/report-channel.ts).

Nothing here depends on state a script can change by ordinary means: the encoder is our own (a
script may replace `json.dumps`) and the write function is bound when this module is imported,
before any script runs. Each record starts with a newline, so bytes a script wrote to the same fd
without one cannot glue themselves onto a harness record.
"""
import math
import os

CHANNEL_FD = 3
_MAX_TEXT = 64 * 1024  # error texts and the like; the host caps a record at 256 KiB

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _str(s):
    if len(s) > _MAX_TEXT:
        s = s[: _MAX_TEXT // 2] + "\n[... %d characters cut]\n" % (len(s) - _MAX_TEXT) + s[-_MAX_TEXT // 2:]
    out = []
    for ch in s:
        esc = _ESCAPES.get(ch)
        if esc is not None:
            out.append(esc)
        elif ch < " " or "\ud800" <= ch <= "\udfff":  # control characters, lone surrogates
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def encode(value):
    """JSON for None, bool, int, float, str, list/tuple and dicts with str keys."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, float):
        return repr(float(value)) if math.isfinite(value) else "null"
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(encode(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ",".join(_str(str(k)) + ":" + encode(v) for k, v in value.items()) + "}"
    return _str(repr(value))


class Channel:
    def __init__(self, fd=CHANNEL_FD, _write=os.write):
        self._fd = fd
        self._write = _write
        self.broken = False

    def send(self, kind, **fields):
        record = {"t": kind}
        record.update(fields)
        data = ("\n" + encode(record) + "\n").encode("utf-8", "replace")
        try:
            while data:
                n = self._write(self._fd, data)
                data = data[n:]
        except OSError:
            # The host went away (or stopped reading): nothing left to report to.
            self.broken = True
