/**
 * Failure taxonomy (benchmark-compat §2.6). The messages are the ones bpy 5.0.1 really raises,
 * wrapped in the harness's "<Type>: <msg>\n<traceback>" format.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { classifyFailure } from "@/blender-runner/client/taxonomy";

function errorText(type: string, msg: string, line = "x = 1"): string {
  return `${type}: ${msg}\nTraceback (most recent call last):\n  File "/job/script.py", line 7, in <module>\n    ${line}\n${type}: ${msg}\n`;
}

const cases: Array<[string, string, string, string]> = [
  // [exception type, message, group, detail]
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

describe("classifyFailure", () => {
  for (const [type, msg, group, detail] of cases) {
    it(`${type}: ${msg.slice(0, 60)} -> ${group}/${detail}`, () => {
      assert.deepEqual(classifyFailure("ERR_EXEC", errorText(type, msg)), { group, detail });
    });
  }

  it("returns null for OK", () => {
    assert.equal(classifyFailure("OK", null), null);
  });

  it("gives non-exception failures a fixed OTHER class", () => {
    assert.deepEqual(classifyFailure("ERR_NO_MESH", "the script created no mesh object"), { group: "OTHER", detail: "no-mesh" });
    assert.deepEqual(classifyFailure("ERR_RENDER", "RuntimeError: ..."), { group: "OTHER", detail: "render" });
    assert.deepEqual(classifyFailure("ERR_EXPORT", null), { group: "OTHER", detail: "export" });
    assert.deepEqual(classifyFailure("ERR_TIMEOUT", "Wall-clock limit of 5 s exceeded (phase: script)"), { group: "OTHER", detail: "timeout" });
    assert.deepEqual(classifyFailure("ERR_TIMEOUT", "CPU time limit of 3 s exceeded (phase: script)"), { group: "OTHER", detail: "cpu-time" });
    assert.deepEqual(classifyFailure("ERR_NOLOG", "Blender stopped, exit code 139 (signal 11)."), { group: "OTHER", detail: "crash" });
    assert.deepEqual(classifyFailure("ERR_NOLOG", "terminate called after throwing an instance of 'std::bad_alloc'"), { group: "OTHER", detail: "memory" });
  });

  it("does not classify on a mere mention in the quoted source line", () => {
    // The failing line mentions a bmesh table and poll(), but the error is a plain NameError.
    const text = errorText("NameError", "name 'bm' is not defined", "bm.verts.ensure_lookup_table(); bpy.ops.object.poll()");
    assert.deepEqual(classifyFailure("ERR_EXEC", text), { group: "OTHER", detail: "name-error" });
  });

  it("finds API drift in a chained exception", () => {
    const text =
      "RuntimeError: material setup failed\nTraceback (most recent call last):\n  File \"/job/script.py\", line 3, in <module>\n" +
      "KeyError: 'bpy_prop_collection[key]: key \"Subsurface Color\" not found'\n\n" +
      "During handling of the above exception, another exception occurred:\n\nRuntimeError: material setup failed\n";
    assert.deepEqual(classifyFailure("ERR_EXEC", text), { group: "B5-API", detail: "removed-bsdf-socket" });
  });
});
