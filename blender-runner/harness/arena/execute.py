"""Run the untrusted script as __main__ and turn any failure into §2.5 error text."""
import os
import runpy
import sys
import traceback

_HARNESS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _script_frames_only(exc):
    """Drop the harness/runpy frames above the script so the traceback starts at the script."""
    tb = exc.__traceback__
    script_tb = tb
    while script_tb is not None:
        name = script_tb.tb_frame.f_code.co_filename
        module = script_tb.tb_frame.f_globals.get("__name__")
        if not (module == "runpy" or name.startswith(_HARNESS_DIR + os.sep)):
            return script_tb
        script_tb = script_tb.tb_next
    # SyntaxError and friends are raised while compiling: no script frame exists.
    return None


def format_error(exc):
    """"<Type>: <msg>\\n<full traceback>" (docs/benchmark.md §2)."""
    tb = _script_frames_only(exc)
    lines = traceback.format_exception(type(exc), exc, tb)
    return "%s: %s\n%s" % (type(exc).__name__, exc, "".join(lines))


def benchmark_argv(path):
    """What sys.argv holds for a script in the benchmark's render process (benchmark-facts §1): Blender's
    own command line, with the runner's flags after "--" (a script that reads its arguments after
    "--" sees the same list there and here)."""
    return [
        "blender", "--background", "--python", "core/render.py", "--",
        "--blender-render", "--script", path, "--output-dir", "renders",
        "--samples", "64", "--resolution", "512", "--engine", "CYCLES",
    ]


def run_script(path):
    """Returns None on success, the error text otherwise. SystemExit counts as a failure (§2.4)."""
    saved_argv = sys.argv
    sys.argv = benchmark_argv(path)
    # As in the benchmark (runpy from Blender's Python): the script's folder is not added to
    # sys.path; the harness folder is not visible either.
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HARNESS_DIR]
    # `import arena` must not hand the script the harness's live modules (the harness keeps its
    # own references; they come back afterwards). In-process code can still reach them through
    # gc, so this is hygiene, not a boundary: the sandbox is the boundary.
    hidden = {name: sys.modules.pop(name) for name in list(sys.modules) if name == "arena" or name.startswith("arena.")}
    try:
        runpy.run_path(path, run_name="__main__")
        return None
    except BaseException as exc:  # noqa: B036 - SystemExit/KeyboardInterrupt are ERR_EXEC too
        return format_error(exc)
    finally:
        sys.modules.update(hidden)
        sys.argv = saved_argv
        sys.stdout.flush()
        sys.stderr.flush()
