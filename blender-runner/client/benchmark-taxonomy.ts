/**
 * The benchmark's own failure taxonomy (metrics/failure_taxonomy.py in 3DCodeBench, described in
 * benchmark-facts §5): only ERR_EXEC is classified; the error text is reduced to a fingerprint and
 * matched, case-sensitively, against ordered pattern lists: B5-API, then BMSH, then CTX; the first
 * match wins, otherwise OTHER. The patterns are written here from that description; they are
 * deliberately as narrow as the benchmark's (e.g. Blender 5's "...light_add.poll() failed" is
 * OTHER there, because its CTX pattern wants a space before "poll()").
 */
import type { FailureGroup } from "./types";

const FILE_FRAME = /File ".*?\.py", line \d+/g;
const FINGERPRINT_MAX = 200;

/**
 * The first line that, stripped, is non-empty and starts with neither "Traceback" nor "File ",
 * with frame paths replaced by `File <...>`, cut to 200 characters; else the text's first line.
 */
export function benchmarkFingerprint(errorText: string | null): string {
  if (!errorText) return "";
  for (const raw of errorText.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("Traceback") || line.startsWith("File ")) continue;
    return line.replace(FILE_FRAME, "File <...>").slice(0, FINGERPRINT_MAX);
  }
  return (errorText.split(/\r\n|\r|\n/)[0] ?? "").slice(0, FINGERPRINT_MAX);
}

const MODIFIERS = "Bevel|SimpleDeform|Subsurf|Solidify|Mirror|Array|Bisect|Decimate|Smooth|Wave|Cast|Hook|Lattice|MeshDeform|SurfaceDeform|VolumeToMesh|VolumeDisplace|Particle|ParticleSystem";
const BSDF = "Specular|Subsurface|Subsurface Color|Transmission|Sheen|Sheen Tint|Clearcoat|Clearcoat Roughness|Anisotropic|Specular Tint";
const BMESH_OPS = "create_cylinder|recalc_normals|subdivide|delete|remove_doubles|spin|connect_verts|bridge_loops|extrude_face_region|extrude_edge_only|smooth_vert";

export const BENCHMARK_PATTERNS: Record<Exclude<FailureGroup, "OTHER">, RegExp[]> = {
  "B5-API": [
    new RegExp(`KeyError:.*key "(${BSDF})" not found`),
    /AttributeError:.*'Mesh' object has no attribute '(use_auto_smooth|calc_normals|calc_normals_split|calc_loop_triangles|auto_smooth_angle)'/,
    /AttributeError:.*'Object' object has no attribute '(shade_smooth|use_auto_smooth)'/,
    /AttributeError:.*'Material' object has no attribute '(shadow_method|blend_method|use_screen_refraction|use_sss_translucency)'/,
    new RegExp(`AttributeError:.*'(${MODIFIERS})Modifier' object has no attribute`),
    /AttributeError:.*'BevelModifier' object has no attribute '(clamp_overlap|amount|angle|width|miter_outer|miter_inner)'/,
    /AttributeError:.*'ParticleSettings' object has no attribute/,
    /AttributeError:.*'BMLayerAccessEdge' object has no attribute 'crease'/,
    /AttributeError:.*'NoiseTexture' object has no attribute 'noise_scale'/,
    /enum "(BLENDER_EEVEE_NEXT|FAST|SUBSURFACE|SUBDIVISION_SURFACE|SUBDIVISION|SMOOTH_BY_ANGLE|ARC|WAVE|PLANAR)" not found/,
    /enum.*not found in \('GREASE_PENCIL/,
    /TypeError:.*(create_cone|create_cylinder|create_uvsphere|create_icosphere|create_grid|create_circle|create_torus): keyword/,
    /TypeError:.*subdivide_edges: keyword "number_cuts"/,
    /TypeError:.*(bevel|spin|extrude|inset|loop_cut): keyword/,
    /TypeError: Converting py args to operator properties:: keyword "(use_auto_smooth|subdivisions|smoothness)" unrecognized/,
    new RegExp(`AttributeError: BMeshOpsModule: operator "(${BMESH_OPS})" doesn't exist`),
    /ImportError: cannot import name '(Noise|noise)' from 'mathutils'/,
    /NameError: name 'mathutils' is not defined/,
    /RuntimeError: Error: Node type ShaderNodeTex(Musgrave|Brick|Checker|Magic|Wave|Gradient) undefined/,
    /RuntimeError: Error: Node type GeometryNode\w+ undefined/,
    /TypeError: ObjectModifiers\.new\(\): error with keyword argument "type"/,
    /TypeError: BlendDataTextures\.new\(\): error with keyword argument "type"/,
  ],
  BMSH: [
    /IndexError: BMElemSeq\[index\]: outdated internal index table/,
    /ReferenceError: BMesh data of type \w+ has been removed/,
    /ReferenceError: StructRNA of type \w+ has been removed/,
    /ValueError: faces\.new\(\.\.\.\): face already exists/,
    /ValueError: faces\.new\(\.\.\.\): found the same \(BMVert\) used multiple times/,
    /KeyError: '(geom|verts|edges|faces|loops)'/,
  ],
  CTX: [/ValueError: 1-2 args execution context is supported/, /RuntimeError: Operator bpy\.ops\.\S+ poll\(\) failed/],
};

const ORDER = ["B5-API", "BMSH", "CTX"] as const;

/** The benchmark's group for a fingerprint: the first matching list in order B5-API, BMSH, CTX. */
export function benchmarkGroupOf(fingerprint: string): FailureGroup {
  for (const group of ORDER) if (BENCHMARK_PATTERNS[group].some((re) => re.test(fingerprint))) return group;
  return "OTHER";
}

export function benchmarkGroup(errorText: string | null): FailureGroup {
  return benchmarkGroupOf(benchmarkFingerprint(errorText));
}
