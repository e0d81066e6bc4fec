/**
 * Failure taxonomy. The group (B5-API / BMSH / CTX / OTHER) is the benchmark's own, over ERR_EXEC
 * only (benchmark-taxonomy.ts); the `detail` is our finer class, kept for every failed status.
 * Detail rules are tried in order; the first match wins, so the specific Blender 4 -> 5 patterns
 * come before generic Python error types. `ownGroup` is the group our broader rules would give.
 */
import { benchmarkGroup } from "./benchmark-taxonomy";
import type { ExecStatus, FailureClass, FailureGroup } from "./types";

interface Rule {
  group: FailureGroup;
  detail: string;
  test: RegExp;
}

/** Principled BSDF inputs renamed or removed in Blender 4.0+ (e.g. "Subsurface Color", "Specular"). */
const REMOVED_BSDF_SOCKETS = [
  "Subsurface Color",
  "Subsurface Radius",
  "Subsurface IOR",
  "Subsurface Anisotropy",
  "Specular",
  "Specular Tint",
  "Transmission",
  "Transmission Roughness",
  "Emission",
  "Emission Color",
  "Clearcoat",
  "Clearcoat Roughness",
  "Clearcoat Normal",
  "Sheen",
  "Sheen Tint",
].map((s) => s.replace(/ /g, "\\s"));

/** Attributes Blender 4.0-5.0 removed (checked against bpy 5.0.1), as "'<Type>' object has no attribute '<name>'". */
const REMOVED_ATTRIBUTES: Array<[string, string, string]> = [
  // [owner type regex, attribute regex, detail]
  ["Mesh", "use_auto_smooth|auto_smooth_angle", "use-auto-smooth"],
  ["Mesh", "calc_normals|calc_normals_split|create_normals_split|free_normals_split", "removed-normals-api"],
  ["Mesh|Object", "face_maps", "removed-face-maps"],
  ["Material", "shadow_method", "shadow-method"],
  ["SceneEEVEE", "use_bloom\\w*|bloom_\\w+|use_ssr\\w*|ssr_\\w+|use_gtao\\w*|gtao_\\w+|use_soft_shadows|shadow_cube_size|shadow_cascade_size|use_volumetric_\\w+", "legacy-eevee-setting"],
  ["\\w*NodeTree", "inputs|outputs", "node-group-interface"],
  ["Scene", "node_tree", "compositor-node-tree"],
];

const RULES: Rule[] = [
  // --- B5-API: Blender 4 -> 5 API drift ---
  {
    group: "B5-API",
    detail: "removed-bsdf-socket",
    test: new RegExp(`key\\s+"(?:${REMOVED_BSDF_SOCKETS.join("|")})"\\s+not\\s+found`),
  },
  ...REMOVED_ATTRIBUTES.map(([owner, attr, detail]): Rule => ({
    group: "B5-API",
    detail,
    test: new RegExp(`'(?:${owner})' object has no attribute '(?:${attr})'`),
  })),
  // Also when the script only mentions the name (e.g. a keyword or a setattr string).
  { group: "B5-API", detail: "use-auto-smooth", test: /use_auto_smooth|auto_smooth_angle/ },
  { group: "B5-API", detail: "shadow-method", test: /shadow_method/ },
  { group: "B5-API", detail: "eevee-next", test: /BLENDER_EEVEE_NEXT/ },
  // "Converting py args to operator properties:: keyword "radius" unrecognized"
  { group: "B5-API", detail: "operator-keyword", test: /operator properties:*\s*keyword "\w+" unrecognized|keyword "\w+" unrecognized/ },
  // "Error: Node type ShaderNodeTexMusgrave undefined"; a removed bpy.types.<Node> class.
  {
    group: "B5-API",
    detail: "unknown-node-type",
    test: /Node type \w+ undefined|bpy_struct "?\w*"? not found|'module' object has no attribute '(?:ShaderNode|GeometryNode|FunctionNode|CompositorNode|NodeSocket)\w*'/,
  },
  { group: "B5-API", detail: "removed-module", test: /No module named '(?:bgl|bge)'/ },
  // Other socket names that moved between versions ("bpy_prop_collection[key]: key "Fac" not found").
  { group: "B5-API", detail: "socket-not-found", test: /bpy_prop_collection\[key\]: key "[^"]+" not found/ },
  // Renamed enum items: modifiers, socket subtypes (NodeSocketFloatFactor), engines, blend modes.
  { group: "B5-API", detail: "enum-value", test: /enum "[^"]*" not found in \(/ },

  // --- BMSH: bmesh misuse ---
  { group: "BMSH", detail: "stale-index-table", test: /outdated internal index table/ },
  { group: "BMSH", detail: "removed-bmesh-data", test: /BMesh data of type \w+ has been removed/ },
  { group: "BMSH", detail: "duplicate-face", test: /face already exists|edge already exists/ },
  { group: "BMSH", detail: "bmesh-other", test: /BMesh (?:used outside|has been freed|data of type)|bmesh\.ops\.\w+\(\)|BMElemSeq|BMVert|BMEdge|BMFace|BMLoop/ },

  // --- CTX: operator context ---
  { group: "CTX", detail: "poll-failed", test: /poll\(\) failed/ },
  { group: "CTX", detail: "context-incorrect", test: /context is incorrect|incorrect context/ },
  { group: "CTX", detail: "context-attribute", test: /'Context' object has no attribute/ },

  // --- OTHER: ordinary Python errors (matched on the exception line only) ---
  { group: "OTHER", detail: "memory", test: /^MemoryError|std::bad_alloc|Cannot allocate memory|out of memory/im },
  // Sandbox limits the script ran into (blender-runner/README.md, "The sandbox").
  { group: "OTHER", detail: "disk-limit", test: /^DiskLimitExceeded\b/ },
  { group: "OTHER", detail: "file-size-limit", test: /^OSError: \[Errno 27\] File too large/ },
  { group: "OTHER", detail: "syntax-error", test: /^(?:SyntaxError|IndentationError|TabError)\b/ },
  { group: "OTHER", detail: "import-error", test: /^(?:ImportError|ModuleNotFoundError)\b/ },
  { group: "OTHER", detail: "name-error", test: /^(?:NameError|UnboundLocalError)\b/ },
  { group: "OTHER", detail: "attribute-error", test: /^AttributeError\b/ },
  { group: "OTHER", detail: "key-error", test: /^KeyError\b/ },
  { group: "OTHER", detail: "index-error", test: /^IndexError\b/ },
  { group: "OTHER", detail: "type-error", test: /^TypeError\b/ },
  { group: "OTHER", detail: "value-error", test: /^ValueError\b/ },
  { group: "OTHER", detail: "zero-division", test: /^ZeroDivisionError\b/ },
  { group: "OTHER", detail: "recursion", test: /^RecursionError\b/ },
  { group: "OTHER", detail: "system-exit", test: /^SystemExit\b/ },
  { group: "OTHER", detail: "runtime-error", test: /^RuntimeError\b/ },
];

/** Failures that are not exceptions in the script get a fixed OTHER class. */
const STATUS_DETAIL: Partial<Record<ExecStatus, string>> = {
  ERR_NO_MESH: "no-mesh",
  ERR_RENDER: "render",
  ERR_EXPORT: "export",
  ERR_TIMEOUT: "timeout",
  ERR_NOLOG: "crash",
};

/** The exception line is the first line of §2.5 error text; the rest is the traceback. */
function firstLine(errorText: string): string {
  const nl = errorText.indexOf("\n");
  return nl === -1 ? errorText : errorText.slice(0, nl);
}

/**
 * Unindented lines only: exception messages (including chained ones), not the traceback's
 * "File ..." lines or the script source it quotes, which would match on a mere mention.
 */
function messageLines(errorText: string): string {
  return errorText
    .split("\n")
    .filter((line) => line.length > 0 && !/^\s/.test(line))
    .join("\n");
}

/** Our broader rules: every unindented line, poll failures as CTX, any status (the finer detail). */
export function ownClass(status: ExecStatus, errorText: string | null): { group: FailureGroup; detail: string } | null {
  if (status === "OK") return null;
  const text = errorText ?? "";
  if (status !== "ERR_EXEC") {
    // A process that died on a memory limit is worth telling apart from other crashes.
    if (status === "ERR_NOLOG" && /std::bad_alloc|MemoryError|Cannot allocate memory|out of memory/i.test(text)) {
      return { group: "OTHER", detail: "memory" };
    }
    if (/^DiskLimitExceeded\b/.test(text)) return { group: "OTHER", detail: "disk-limit" };
    if (/^MemoryLimitExceeded\b/.test(text)) return { group: "OTHER", detail: "memory" };
    if (status === "ERR_TIMEOUT" && /CPU time limit/i.test(text)) return { group: "OTHER", detail: "cpu-time" };
    return { group: "OTHER", detail: STATUS_DETAIL[status] ?? "other" };
  }
  const head = firstLine(text);
  const messages = messageLines(text);
  for (const rule of RULES) {
    // Generic Python classes describe the final exception only; drift patterns may sit in a
    // chained exception ("During handling of the above exception ...").
    const haystack = rule.group === "OTHER" ? head : messages;
    if (rule.test.test(haystack)) return { group: rule.group, detail: rule.detail };
  }
  return { group: "OTHER", detail: "other" };
}

/**
 * The stored class: group = the benchmark's (ERR_EXEC only, else null), detail = ours.
 */
export function classifyFailure(status: ExecStatus, errorText: string | null): FailureClass | null {
  const own = ownClass(status, errorText);
  if (!own) return null;
  return { group: status === "ERR_EXEC" ? benchmarkGroup(errorText) : null, detail: own.detail, ownGroup: own.group };
}
