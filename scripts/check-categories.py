"""Run bundled category scripts in a fresh Blender scene and report what they build.

Usage (from the repo root, with the Blender Python-module venv):

    .venv-blender/bin/python scripts/check-categories.py                 # every benchmark/categories/*_seed0
    .venv-blender/bin/python scripts/check-categories.py Mug Chair       # a few categories by name
    .venv-blender/bin/python scripts/check-categories.py /tmp/a.py --json  # arbitrary scripts, JSON lines

Each script runs the way the benchmark runs it (docs/benchmark.md §2): empty scene,
cursor at the origin, `runpy.run_path(path, run_name="__main__")`, then cameras
and lights are deleted and the MESH objects are collected. For category folders
the prompt files and arena.json are checked against §1 as well. The exit code is
non-zero if anything failed, so this doubles as a pre-commit check for contributors.
"""
import json
import math
import runpy
import sys
import time
import traceback
from pathlib import Path

import bpy
import numpy as np

REPO = Path(__file__).resolve().parent.parent
CATEGORIES = REPO / "benchmark" / "categories"
CONTACT_TOLERANCE = 0.002  # m; parts whose boxes are further apart than this count as floating


def fresh_scene():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for datablocks in (bpy.data.meshes, bpy.data.curves, bpy.data.cameras, bpy.data.lights,
                       bpy.data.materials, bpy.data.node_groups):
        for block in list(datablocks):
            datablocks.remove(block)
    bpy.context.scene.cursor.location = (0.0, 0.0, 0.0)


def evaluated_part(obj, depsgraph):
    """Vertex count, face count and world-space bounding box of an object after modifiers."""
    evaluated = obj.evaluated_get(depsgraph)
    mesh = evaluated.to_mesh()
    try:
        count = len(mesh.vertices)
        coords = np.empty(count * 3, dtype=np.float64)
        mesh.vertices.foreach_get("co", coords)
        coords = coords.reshape(-1, 3)
        faces = len(mesh.polygons)
    finally:
        evaluated.to_mesh_clear()
    if count == 0:
        return 0, 0, None
    matrix = np.array(obj.matrix_world)
    world = coords @ matrix[:3, :3].T + matrix[:3, 3]
    return count, faces, (world.min(axis=0), world.max(axis=0))


def floating_parts(boxes):
    """Names of parts whose bounding box touches no other part (a cheap connectivity check)."""
    if len(boxes) < 2:
        return []
    names = list(boxes)
    linked = {name: set() for name in names}
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            (alo, ahi), (blo, bhi) = boxes[a], boxes[b]
            if np.all(alo <= bhi + CONTACT_TOLERANCE) and np.all(blo <= ahi + CONTACT_TOLERANCE):
                linked[a].add(b)
                linked[b].add(a)
    seen, stack = {names[0]}, [names[0]]
    while stack:
        for other in linked[stack.pop()] - seen:
            seen.add(other)
            stack.append(other)
    return [name for name in names if name not in seen]


def run_script(path):
    fresh_scene()
    result = {"script": str(path), "status": "OK", "error": None}
    started = time.perf_counter()
    try:
        runpy.run_path(str(path), run_name="__main__")
    except BaseException as exc:  # SystemExit counts as a failure too (§2.4)
        result["status"] = "ERR_EXEC"
        result["error"] = f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"
    for obj in [o for o in bpy.data.objects if o.type in {"CAMERA", "LIGHT"}]:
        bpy.data.objects.remove(obj, do_unlink=True)
    meshes = [o for o in bpy.data.objects if o.type == "MESH"]
    depsgraph = bpy.context.evaluated_depsgraph_get()
    parts, boxes = {}, {}
    if result["status"] == "OK":
        for obj in meshes:
            verts, faces, box = evaluated_part(obj, depsgraph)
            parts[obj.name] = verts
            result["faces"] = result.get("faces", 0) + faces
            if box is not None:
                boxes[obj.name] = box
    result["seconds"] = round(time.perf_counter() - started, 2)
    result["meshes"] = len(meshes)
    result["parts"] = parts
    result["vertices"] = sum(parts.values())
    if result["status"] == "OK" and not boxes:
        result["status"] = "ERR_NO_MESH"
    if boxes:
        lo = np.min([b[0] for b in boxes.values()], axis=0)
        hi = np.max([b[1] for b in boxes.values()], axis=0)
        result["size"] = [round(float(v), 4) for v in hi - lo]
        result["min_z"] = round(float(lo[2]), 4)
        result["floating"] = floating_parts(boxes)
    return result


def check_prompts(folder):
    """Problems with the prompt files and arena.json of a category folder (§1)."""
    problems = []
    description = (folder / "prompt_description.txt").read_text().strip() if (folder / "prompt_description.txt").exists() else ""
    words = len(description.split())
    if not description.startswith("A 3D model of"):
        problems.append("description must start with 'A 3D model of'")
    if not 14 <= words <= 101:
        problems.append(f"description has {words} words (14-101)")
    instruction = folder / "prompt_instruction.txt"
    if not instruction.exists() or not instruction.read_text().startswith("Create the 3D object of"):
        problems.append("instruction must start with 'Create the 3D object of'")
    arena = folder / "arena.json"
    if arena.exists():
        meta = json.loads(arena.read_text())
        if not isinstance(meta.get("tags", []), list) or not isinstance(meta.get("timeLimitSec", 60), (int, float)):
            problems.append("arena.json: tags must be a list, timeLimitSec a number")
    return problems


def targets(args):
    if not args:
        return sorted(p for p in CATEGORIES.glob("*_seed*") if p.is_dir())
    found = []
    for arg in args:
        path = Path(arg)
        if path.suffix == ".py" or path.is_dir():
            found.append(path)
        else:
            found.append(CATEGORIES / (arg if "_seed" in arg else f"{arg}_seed0"))
    return found


def main(argv):
    as_json = "--json" in argv
    failures = 0
    for target in targets([a for a in argv if a != "--json"]):
        if target.is_dir():
            result = run_script(target / f"{target.name}.py")
            result["name"] = target.name
            result["prompt_problems"] = check_prompts(target)
        else:
            result = run_script(target)
            result["name"] = target.stem
            result["prompt_problems"] = []
        bad = result["status"] != "OK" or result["prompt_problems"] or result.get("floating")
        failures += bool(bad)
        if as_json:
            print(json.dumps(result), flush=True)
            continue
        size = " x ".join(f"{v:.3f}" for v in result.get("size", [])) or "-"
        print(f"{result['name']:<22} {result['status']:<11} {result['seconds']:>6.2f}s "
              f"meshes={result['meshes']:<2} verts={result['vertices']:<7} size(m)={size}", flush=True)
        for name, count in result["parts"].items():
            print(f"    {name:<24} {count} verts")
        for line in [result["error"]] if result["error"] else []:
            print("    " + line.strip().replace("\n", "\n    "))
        for problem in result["prompt_problems"] + [f"floating part: {n}" for n in result.get("floating", [])]:
            print(f"    ! {problem}")
        if result.get("min_z") is not None and not math.isclose(result["min_z"], 0.0, abs_tol=1e-3):
            print(f"    note: lowest point at z={result['min_z']} (expected to sit on z=0)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
