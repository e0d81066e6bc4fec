/**
 * Failure taxonomy (issue 14, part 2): the group is the benchmark's (fingerprint + ordered
 * patterns, ERR_EXEC only), the detail ours. The messages are the ones bpy 5.0.1 really raises,
 * wrapped in the harness's "<Type>: <msg>\n<traceback>" format.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { benchmarkFingerprint, benchmarkGroup } from "@/blender-runner/client/benchmark-taxonomy";
import { classifyFailure } from "@/blender-runner/client/taxonomy";

function errorText(type: string, msg: string, line = "x = 1"): string {
  return `${type}: ${msg}\nTraceback (most recent call last):\n  File "/job/script.py", line 7, in <module>\n    ${line}\n${type}: ${msg}\n`;
}

const cases: Array<[string, string, string, string]> = [
  // [exception type, message, our own group, detail]
  ["KeyError", `'bpy_prop_collection[key]: key "Subsurface Color" not found'`, "B5-API", "removed-bsdf-socket"],
  ["KeyError", `'bpy_prop_collection[key]: key "Specular" not found'`, "B5-API", "removed-bsdf-socket"],
  ["KeyError", `'bpy_prop_collection[key]: key "Emission" not found'`, "B5-API", "removed-bsdf-socket"],
  ["KeyError", `'bpy_prop_collection[key]: key "Fac" not found'`, "B5-API", "socket-not-found"],
  ["AttributeError", "'Mesh' object has no attribute 'use_auto_smooth'", "B5-API", "use-auto-smooth"],
  ["AttributeError", "'Mesh' object has no attribute 'calc_normals_split'", "B5-API", "removed-normals-api"],
  ["AttributeError", "'Material' object has no attribute 'shadow_method'", "B5-API", "shadow-method"],
  ["AttributeError", "'SceneEEVEE' object has no attribute 'use_bloom'", "B5-API", "legacy-eevee-setting"],
  ["AttributeError", "'GeometryNodeTree' object has no attribute 'inputs'", "B5-API", "node-group-interface"],
  ["AttributeError", "'Scene' object has no attribute 'node_tree'", "B5-API", "compositor-node-tree"],
  [
    "TypeError",
    `bpy_struct: item.attr = val: enum "BLENDER_EEVEE_NEXT" not found in ('BLENDER_EEVEE', 'BLENDER_WORKBENCH', 'CYCLES')`,
    "B5-API",
    "eevee-next",
  ],
  ["TypeError", `Converting py args to operator properties:: keyword "radius" unrecognized`, "B5-API", "operator-keyword"],
  ["TypeError", `Converting py args to operator properties:: keyword "use_auto_smooth" unrecognized`, "B5-API", "use-auto-smooth"],
  ["RuntimeError", "Error: Node type ShaderNodeTexMusgrave undefined", "B5-API", "unknown-node-type"],
  ["RuntimeError", `bpy_struct "GeometryNodeAttributeRandomize" not found`, "B5-API", "unknown-node-type"],
  ["AttributeError", "'module' object has no attribute 'ShaderNodeTexMusgrave'", "B5-API", "unknown-node-type"],
  ["ModuleNotFoundError", "No module named 'bgl'", "B5-API", "removed-module"],
  [
    "TypeError",
    `NodeTreeInterface.new_socket(): error with keyword argument "socket_type" -  enum "NodeSocketFloatFactor" not found in ('NodeSocketFloat', 'NodeSocketInt')`,
    "B5-API",
    "enum-value",
  ],
  ["IndexError", "BMElemSeq[index]: outdated internal index table, run ensure_lookup_table() first", "BMSH", "stale-index-table"],
  ["ReferenceError", "BMesh data of type BMVert has been removed", "BMSH", "removed-bmesh-data"],
  ["ValueError", "faces.new(...): face already exists", "BMSH", "duplicate-face"],
  ["RuntimeError", "Operator bpy.ops.view3d.snap_cursor_to_center.poll() failed, context is incorrect", "CTX", "poll-failed"],
  ["RuntimeError", "Operator bpy.ops.mesh.remove_doubles.poll() failed, context is incorrect", "CTX", "poll-failed"],
  ["AttributeError", "'Context' object has no attribute 'active_object'", "CTX", "context-attribute"],
  ["SyntaxError", "invalid syntax (script.py, line 3)", "OTHER", "syntax-error"],
  ["IndentationError", "unexpected indent (script.py, line 9)", "OTHER", "syntax-error"],
  ["NameError", "name 'mathutils' is not defined", "OTHER", "name-error"],
  ["ModuleNotFoundError", "No module named 'open3d'", "OTHER", "import-error"],
  ["AttributeError", "'NoneType' object has no attribute 'data'", "OTHER", "attribute-error"],
  ["ZeroDivisionError", "division by zero", "OTHER", "zero-division"],
  ["MemoryError", "Unable to allocate 8.00 GiB for an array", "OTHER", "memory"],
  ["SystemExit", "0", "OTHER", "system-exit"],
  ["ValueError", "boom", "OTHER", "value-error"],
  ["RuntimeError", "something else", "OTHER", "runtime-error"],
  ["StopIteration", "", "OTHER", "other"],
];

/** The benchmark's group for each of the cases above (its patterns are narrower than ours). */
const BENCH_B5 = /"Subsurface Color"|"Specular"|'use_auto_smooth'|calc_normals_split|shadow_method|BLENDER_EEVEE_NEXT|"use_auto_smooth"|ShaderNodeTexMusgrave undefined|name 'mathutils'/;
const BENCH_BMSH = /outdated internal index table|BMesh data of type|face already exists/;
const benchOf = (msg: string) => (BENCH_B5.test(msg) ? "B5-API" : BENCH_BMSH.test(msg) ? "BMSH" : "OTHER");

describe("classifyFailure", () => {
  for (const [type, msg, ownGroup, detail] of cases) {
    it(`${type}: ${msg.slice(0, 60)} -> ${benchOf(msg)} (ours ${ownGroup}/${detail})`, () => {
      assert.deepEqual(classifyFailure("ERR_EXEC", errorText(type, msg)), { group: benchOf(msg), detail, ownGroup });
    });
  }

  it("returns null for OK", () => {
    assert.equal(classifyFailure("OK", null), null);
  });

  it("gives non-exception failures no benchmark group, only our detail", () => {
    const own = (detail: string) => ({ group: null, detail, ownGroup: "OTHER" });
    assert.deepEqual(classifyFailure("ERR_NO_MESH", "the script created no mesh object"), own("no-mesh"));
    assert.deepEqual(classifyFailure("ERR_RENDER", "RuntimeError: Operator bpy.ops.object.light_add.poll() failed, context is incorrect"), own("render"));
    assert.deepEqual(classifyFailure("ERR_EXPORT", null), own("export"));
    assert.deepEqual(classifyFailure("ERR_TIMEOUT", "Wall-clock limit of 5 s exceeded (phase: script)"), own("timeout"));
    assert.deepEqual(classifyFailure("ERR_TIMEOUT", "CPU time limit of 3 s exceeded (phase: script)"), own("cpu-time"));
    assert.deepEqual(classifyFailure("ERR_NOLOG", "Blender stopped, exit code 139 (signal 11)."), own("crash"));
    assert.deepEqual(classifyFailure("ERR_NOLOG", "terminate called after throwing an instance of 'std::bad_alloc'"), own("memory"));
  });

  it("does not classify on a mere mention in the quoted source line", () => {
    // The failing line mentions a bmesh table and poll(), but the error is a plain NameError.
    const text = errorText("NameError", "name 'bm' is not defined", "bm.verts.ensure_lookup_table(); bpy.ops.object.poll()");
    assert.deepEqual(classifyFailure("ERR_EXEC", text), { group: "OTHER", detail: "name-error", ownGroup: "OTHER" });
  });

  it("finds API drift in a chained exception as detail; the benchmark's group reads the first line only", () => {
    const text =
      "RuntimeError: material setup failed\nTraceback (most recent call last):\n  File \"/job/script.py\", line 3, in <module>\n" +
      "KeyError: 'bpy_prop_collection[key]: key \"Subsurface Color\" not found'\n\n" +
      "During handling of the above exception, another exception occurred:\n\nRuntimeError: material setup failed\n";
    assert.deepEqual(classifyFailure("ERR_EXEC", text), { group: "OTHER", detail: "removed-bsdf-socket", ownGroup: "B5-API" });
  });
});

/** Representative error texts for every group, as the benchmark classifies them (benchmark-facts §5). */
const BENCHMARK_TABLE: Array<[string, string]> = [
  // B5-API
  [`KeyError: 'bpy_prop_collection[key]: key "Subsurface" not found'`, "B5-API"],
  [`KeyError: 'bpy_prop_collection[key]: key "Clearcoat Roughness" not found'`, "B5-API"],
  [`AttributeError: 'Object' object has no attribute 'shade_smooth'`, "B5-API"],
  [`AttributeError: 'Material' object has no attribute 'blend_method'`, "B5-API"],
  [`AttributeError: 'SubsurfModifier' object has no attribute 'quality_level'`, "B5-API"],
  [`AttributeError: 'ParticleSettings' object has no attribute 'child_nbr'`, "B5-API"],
  [`AttributeError: 'BMLayerAccessEdge' object has no attribute 'crease'`, "B5-API"],
  [`TypeError: bpy_struct: item.attr = val: enum "SUBDIVISION" not found in ('SUBSURF', 'NODES')`, "B5-API"],
  [`TypeError: create_cone: keyword "diameter1" is invalid for this operator`, "B5-API"],
  [`TypeError: subdivide_edges: keyword "number_cuts" is invalid for this operator`, "B5-API"],
  [`TypeError: Converting py args to operator properties:: keyword "subdivisions" unrecognized`, "B5-API"],
  [`AttributeError: BMeshOpsModule: operator "recalc_normals" doesn't exist`, "B5-API"],
  [`ImportError: cannot import name 'Noise' from 'mathutils' (unknown location)`, "B5-API"],
  [`NameError: name 'mathutils' is not defined`, "B5-API"],
  [`RuntimeError: Error: Node type ShaderNodeTexMusgrave undefined`, "B5-API"],
  [`RuntimeError: Error: Node type GeometryNodeAttributeRandomize undefined`, "B5-API"],
  [`TypeError: ObjectModifiers.new(): error with keyword argument "type" -  enum "SUBDIVISION_SURFACE" not found in ('DATA_TRANSFER')`, "B5-API"],
  [`TypeError: BlendDataTextures.new(): error with keyword argument "type" -  enum "NOISE_X" not found`, "B5-API"],
  // BMSH
  [`IndexError: BMElemSeq[index]: outdated internal index table, run ensure_lookup_table() first`, "BMSH"],
  [`ReferenceError: BMesh data of type BMFace has been removed`, "BMSH"],
  [`ReferenceError: StructRNA of type Object has been removed`, "BMSH"],
  [`ValueError: faces.new(...): face already exists`, "BMSH"],
  [`ValueError: faces.new(...): found the same (BMVert) used multiple times`, "BMSH"],
  [`KeyError: 'faces'`, "BMSH"],
  // CTX: in practice only the old context-override call style
  [`ValueError: 1-2 args execution context is supported`, "CTX"],
  // OTHER, including Blender 5's real poll message (no space before "poll()") and "Emission"
  [`RuntimeError: Operator bpy.ops.object.mode_set.poll() failed, context is incorrect`, "OTHER"],
  [`KeyError: 'bpy_prop_collection[key]: key "Emission" not found'`, "OTHER"],
  [`TypeError: Converting py args to operator properties:: keyword "radius1" unrecognized`, "OTHER"],
  [`NameError: name 'bm' is not defined`, "OTHER"],
  [`SyntaxError: invalid syntax (script.py, line 3)`, "OTHER"],
  [`keyerror: 'faces'`, "OTHER"], // case-sensitive
  ["", "OTHER"],
];

describe("the benchmark's taxonomy (fingerprint + ordered patterns)", () => {
  for (const [head, group] of BENCHMARK_TABLE) {
    it(`${head.slice(0, 70) || "(empty)"} -> ${group}`, () => {
      const text = head ? `${head}\nTraceback (most recent call last):\n  File "/job/script.py", line 4, in <module>\n    x()\n${head}\n` : "";
      assert.equal(benchmarkGroup(text), group);
    });
  }

  it("fingerprints the first line that is not a Traceback or File line, frame paths stripped, 200 characters", () => {
    const text = `Traceback (most recent call last):\n  File "/opt/core/render.py", line 88, in _run\n\n  File "/job/s.py", line 2, in f (from File "/job/s.py", line 9)\nValueError: ${"x".repeat(300)}\n`;
    const fp = benchmarkFingerprint(text);
    assert.equal(fp.length, 200);
    assert.ok(fp.startsWith("ValueError: xxx"));
    assert.equal(benchmarkFingerprint(`oops in File "/a/b.py", line 3 here\nmore`), "oops in File <...> here");
    assert.equal(benchmarkFingerprint("Traceback\nFile x"), "Traceback");
  });
});
