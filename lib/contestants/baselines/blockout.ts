/**
 * "Block-out" baseline contestant: no model, only the prompt text. It reads the overall
 * dimensions and a few shape keywords and emits a Blender 5.0 script that builds a crude
 * stand-in (lathe stack, top-plus-legs, shelf frame or plain box). It sets the floor any
 * real model should beat, and it is deterministic: same text, same script.
 * The emitted code keeps to the imports allowed by docs/benchmark.md §6 (bpy, bmesh, mathutils, math).
 */

export interface BlockoutInput {
  name: string;
  instruction: string;
  description: string;
}

export interface Dimensions {
  width: number;
  depth: number;
  height: number;
}

export type BlockoutShape = "goblet" | "mug" | "lamp" | "vase" | "cylinder" | "chair" | "stool" | "table" | "shelf" | "box";

const UNIT_TO_METRES: Array<[RegExp, number]> = [
  [/^(mm|millimet(er|re)s?)$/i, 0.001],
  [/^(cm|centimet(er|re)s?)$/i, 0.01],
  [/^(m|met(er|re)s?)$/i, 1],
];
const NUM = String.raw`(\d+(?:\.\d+)?|\.\d+)`;
const UNIT = String.raw`(millimet(?:er|re)s?|centimet(?:er|re)s?|met(?:er|re)s?|mm|cm|m)(?![a-z])`;
const AXIS_OF: Record<string, keyof Dimensions | "diameter"> = {
  width: "width", wide: "width", breadth: "width", length: "width", long: "width",
  depth: "depth", deep: "depth",
  height: "height", tall: "height", high: "height",
  diameter: "diameter", across: "diameter",
};
const AXIS_BEFORE = new RegExp(String.raw`\b(width|breadth|length|depth|height|diameter)\b[^\d\n;]{0,24}?${NUM}\s*${UNIT}`, "gi");
const AXIS_AFTER = new RegExp(String.raw`${NUM}\s*${UNIT}\s+(?:in\s+)?(wide|long|deep|tall|high|diameter|across)\b`, "gi");
const TRIPLE = new RegExp(String.raw`${NUM}\s*(?:${UNIT})?\s*[x×]\s*${NUM}\s*(?:${UNIT})?\s*[x×]\s*${NUM}\s*${UNIT}`, "gi");
/** Sentences or lines like "Overall dimensions: width 0.45 m, ..." win over part sizes. */
const OVERALL = /overall|dimensions|bounding box|in total|total size|measures/i;

function toMetres(value: string, unit: string | undefined): number {
  const scale = UNIT_TO_METRES.find(([pattern]) => pattern.test(unit ?? "m"))?.[1] ?? 1;
  return Number(value) * scale;
}

function collect(text: string): Array<[keyof Dimensions | "diameter", number]> {
  const found: Array<[keyof Dimensions | "diameter", number]> = [];
  for (const m of text.matchAll(AXIS_BEFORE)) found.push([AXIS_OF[m[1]!.toLowerCase()]!, toMetres(m[2]!, m[3])]);
  for (const m of text.matchAll(AXIS_AFTER)) found.push([AXIS_OF[m[3]!.toLowerCase()]!, toMetres(m[1]!, m[2])]);
  for (const m of text.matchAll(TRIPLE)) {
    const last = m[6];
    found.push(["width", toMetres(m[1]!, m[2] ?? last)], ["depth", toMetres(m[3]!, m[4] ?? last)], ["height", toMetres(m[5]!, last)]);
  }
  return found.filter(([, v]) => Number.isFinite(v) && v > 0);
}

/**
 * Overall width/depth/height (metres) stated in the text. Values from an "overall
 * dimensions" sentence win; otherwise the largest mention per axis is taken, since an
 * object is at least as big as any of its parts. A diameter fills width and depth.
 */
export function parseDimensions(text: string): Partial<Dimensions> {
  const segments = text.split(/\n|(?<=\.)\s+(?=[A-Z])/);
  const overall = collect(segments.filter((s) => OVERALL.test(s)).join("\n"));
  const anywhere = collect(text);
  const result: Partial<Dimensions> = {};
  for (const axis of ["width", "depth", "height"] as const) {
    const pick = (list: typeof anywhere, key: keyof Dimensions | "diameter") =>
      list.filter(([a]) => a === key).map(([, v]) => v);
    const first = pick(overall, axis)[0];
    const fromDiameter = axis !== "height" ? pick(overall, "diameter")[0] : undefined;
    const largest = Math.max(...pick(anywhere, axis), ...(axis !== "height" ? pick(anywhere, "diameter") : []));
    const value = first ?? fromDiameter ?? (Number.isFinite(largest) ? largest : undefined);
    if (value !== undefined) result[axis] = value;
  }
  return result;
}

const SHAPE_WORDS: Array<[BlockoutShape, RegExp]> = [
  ["shelf", /shelf|shelves|bookcase|shelving|cabinet|cupboard|wardrobe|dresser/i],
  ["lamp", /lamp|lantern|sconce/i],
  ["goblet", /glass|goblet|chalice|champagne|flute/i],
  ["mug", /\b(mug|cup|teacup|tankard)s?\b/i],
  ["vase", /vase|bottle|jar|urn|pitcher|jug|amphora/i],
  ["chair", /chair|armchair|throne/i],
  ["stool", /stool|ottoman|pouf/i],
  ["table", /table|desk|bench|nightstand|console|\blegs?\b/i],
  ["cylinder", /\b(round|cylindrical|cylinder|circular|bowl|pot|can|candle|drum|barrel)\b/i],
];

/** Shape family, decided by the name's head noun first ("TableLamp" is a lamp), then the name, then the text. */
export function classifyShape(input: BlockoutInput): BlockoutShape {
  const words = input.name.replace(/_seed\d+$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").split(/[\s_-]+/).filter(Boolean);
  for (const candidate of [words[words.length - 1] ?? "", words.join(" ")]) {
    const hit = SHAPE_WORDS.find(([, re]) => re.test(candidate));
    if (hit) return hit[0];
  }
  const text = `${input.instruction}\n${input.description}`;
  let best: BlockoutShape = "box";
  let bestCount = 0;
  for (const [shape, re] of SHAPE_WORDS) {
    const count = text.match(new RegExp(re.source, "gi"))?.length ?? 0;
    if (count > bestCount) [best, bestCount] = [shape, count];
  }
  return best;
}

const DEFAULTS: Record<BlockoutShape, Dimensions> = {
  goblet: { width: 0.08, depth: 0.08, height: 0.2 },
  mug: { width: 0.11, depth: 0.08, height: 0.1 },
  lamp: { width: 0.35, depth: 0.35, height: 0.55 },
  vase: { width: 0.18, depth: 0.18, height: 0.3 },
  cylinder: { width: 0.3, depth: 0.3, height: 0.3 },
  chair: { width: 0.45, depth: 0.5, height: 0.9 },
  stool: { width: 0.35, depth: 0.35, height: 0.46 },
  table: { width: 1.0, depth: 0.6, height: 0.75 },
  shelf: { width: 0.8, depth: 0.3, height: 1.8 },
  box: { width: 0.5, depth: 0.5, height: 0.5 },
};

const COLOURS: Array<[RegExp, string]> = [
  [/\b(glass|transparent|clear)\b/i, "(0.9, 0.95, 0.97, 1.0), 0.05, transmission=1.0"],
  [/\b(brass|gold|golden|bronze)\b/i, "(0.8, 0.6, 0.3, 1.0), 0.3, metallic=1.0"],
  [/\b(walnut|mahogany|dark wood)\b/i, "(0.28, 0.15, 0.07, 1.0), 0.5"],
  [/\b(oak|wood|wooden|timber|pine|birch)\b/i, "(0.55, 0.38, 0.22, 1.0), 0.5"],
  [/\b(red|crimson|burgundy)\b/i, "(0.55, 0.08, 0.07, 1.0), 0.4"],
  [/\b(blue|navy|cobalt)\b/i, "(0.1, 0.22, 0.45, 1.0), 0.3"],
  [/\b(teal|turquoise|cyan)\b/i, "(0.1, 0.36, 0.34, 1.0), 0.3"],
  [/\b(green|sage|olive)\b/i, "(0.3, 0.42, 0.3, 1.0), 0.5"],
  [/\b(yellow|mustard)\b/i, "(0.8, 0.65, 0.2, 1.0), 0.5"],
  [/\b(black|charcoal)\b/i, "(0.05, 0.05, 0.05, 1.0), 0.4"],
  [/\b(white|cream|ivory|off-white)\b/i, "(0.88, 0.86, 0.8, 1.0), 0.5"],
  [/\b(steel|metal|chrome|silver|aluminium|aluminum)\b/i, "(0.7, 0.7, 0.72, 1.0), 0.3, metallic=1.0"],
  [/\b(brown|leather)\b/i, "(0.4, 0.25, 0.12, 1.0), 0.5"],
];

/** Material arguments from the colour word that appears earliest in the description. */
function colourArgs(text: string): string {
  let best: [number, string] = [Infinity, "(0.72, 0.72, 0.75, 1.0), 0.6"];
  for (const [re, args] of COLOURS) {
    const at = text.search(re);
    if (at >= 0 && at < best[0]) best = [at, args];
  }
  return best[1];
}

/** Shelf compartments: "five compartments/tiers/levels", else internal "four shelves" + 1, else by height. */
function compartmentCount(text: string, height: number): number {
  const words: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8 };
  const count = (re: RegExp) => {
    const m = text.match(re);
    const n = m ? (words[m[1]!.toLowerCase()] ?? Number(m[1])) : NaN;
    return Number.isInteger(n) && n >= 1 && n <= 12 ? n : undefined;
  };
  const compartments = count(/\b(\d+|two|three|four|five|six|seven|eight)\s+(?:\w+\s+){0,2}(?:compartments|tiers|levels|cubbies)\b/i);
  const shelves = count(/\b(\d+|two|three|four|five|six|seven|eight)\s+(?:\w+\s+){0,3}shelves\b/i);
  return compartments ?? (shelves !== undefined ? shelves + 1 : Math.max(2, Math.round(height / 0.35)));
}

/** Python number literal that always carries a decimal point (so it reads as a float). */
function py(n: number): string {
  const s = String(Number(n.toFixed(4)));
  return s.includes(".") ? s : `${s}.0`;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

const PRELUDE = `import math

import bpy
import bmesh
from mathutils import Matrix


def clear_scene():
    for obj in list(bpy.data.objects):
        bpy.data.objects.remove(obj, do_unlink=True)
    for blocks in (bpy.data.meshes, bpy.data.materials, bpy.data.node_groups):
        for block in list(blocks):
            blocks.remove(block)


def box(bm, center, size):
    verts = bmesh.ops.create_cube(bm, size=1.0)["verts"]
    bmesh.ops.transform(bm, matrix=Matrix.Diagonal((size[0], size[1], size[2], 1.0)), verts=verts)
    bmesh.ops.translate(bm, vec=center, verts=verts)


def cylinder(bm, x, y, z0, z1, r0, r1, segments=32):
    verts = bmesh.ops.create_cone(bm, cap_ends=True, segments=segments, radius1=r0, radius2=r1, depth=z1 - z0)["verts"]
    bmesh.ops.translate(bm, vec=(x, y, 0.5 * (z0 + z1)), verts=verts)


def lathe(bm, profile, segments=48, closed=False):
    """Revolve (radius, z) points about Z; a zero radius at either end closes it with a fan."""
    angles = [2.0 * math.pi * i / segments for i in range(segments)]
    rings = [[bm.verts.new((0.0, 0.0, z))] if r <= 0.0 else
             [bm.verts.new((r * math.cos(a), r * math.sin(a), z)) for a in angles] for r, z in profile]
    pairs = list(zip(rings[:-1], rings[1:])) + ([(rings[-1], rings[0])] if closed else [])
    for lower, upper in pairs:
        for i in range(segments):
            j = (i + 1) % segments
            if len(lower) == 1 and len(upper) > 1:
                bm.faces.new((lower[0], upper[j], upper[i]))
            elif len(upper) == 1 and len(lower) > 1:
                bm.faces.new((lower[i], lower[j], upper[0]))
            elif len(lower) > 1:
                bm.faces.new((lower[i], lower[j], upper[j], upper[i]))


def finish(name, bm, color, roughness, metallic=0.0, transmission=0.0):
    bmesh.ops.recalc_face_normals(bm, faces=bm.faces[:])
    mesh = bpy.data.meshes.new(name)
    bm.to_mesh(mesh)
    bm.free()
    mat = bpy.data.materials.new(name + "Material")
    if mat.node_tree is None:
        mat.use_nodes = True
    bsdf = mat.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = color
    bsdf.inputs["Roughness"].default_value = roughness
    bsdf.inputs["Metallic"].default_value = metallic
    bsdf.inputs["Transmission Weight"].default_value = transmission
    mesh.materials.append(mat)
    obj = bpy.data.objects.new(name, mesh)
    bpy.context.scene.collection.objects.link(obj)
    return obj
`;

/** Python statements (using WIDTH, DEPTH, HEIGHT, R and bm) that build each shape family. */
const BODIES: Record<BlockoutShape, (text: string, d: Dimensions) => string> = {
  goblet: () => `lathe(bm, [(0.0, 0.0), (R * 0.85, 0.0), (R * 0.85, HEIGHT * 0.03), (R * 0.1, HEIGHT * 0.06),
                (R * 0.08, HEIGHT * 0.42), (R * 0.6, HEIGHT * 0.48), (R, HEIGHT * 0.7), (R * 0.85, HEIGHT),
                (0.0, HEIGHT * 0.97)])`,
  mug: (_t, d) => {
    const body = d.width > d.depth * 1.15 ? "DEPTH * 0.5" : "R";
    return `BODY = ${body}
REACH = min(WIDTH - 2.0 * BODY, BODY * 0.8) if WIDTH > 2.0 * BODY else BODY * 0.6
lathe(bm, [(0.0, 0.0), (BODY, 0.0), (BODY, HEIGHT), (BODY * 0.9, HEIGHT), (BODY * 0.9, HEIGHT * 0.08), (0.0, HEIGHT * 0.08)])
BAR = HEIGHT * 0.1
box(bm, (BODY + 0.5 * REACH - 0.002, 0.0, HEIGHT * 0.78), (REACH, BAR * 0.8, BAR))
box(bm, (BODY + 0.5 * REACH - 0.002, 0.0, HEIGHT * 0.28), (REACH, BAR * 0.8, BAR))
box(bm, (BODY + REACH - 0.5 * BAR, 0.0, HEIGHT * 0.53), (BAR, BAR * 0.85, HEIGHT * 0.58))`;
  },
  lamp: () => `cylinder(bm, 0.0, 0.0, 0.0, HEIGHT * 0.06, R * 0.5, R * 0.45)
cylinder(bm, 0.0, 0.0, HEIGHT * 0.05, HEIGHT * 0.92, R * 0.04, R * 0.04, 16)
SHADE_BOTTOM = HEIGHT * 0.55
lathe(bm, [(R, SHADE_BOTTOM), (R * 0.6, HEIGHT), (R * 0.6 - 0.004, HEIGHT), (R - 0.004, SHADE_BOTTOM)], 48, closed=True)
BAR_Z = HEIGHT * 0.9
BAR_R = R + (R * 0.6 - R) * (BAR_Z - SHADE_BOTTOM) / (HEIGHT - SHADE_BOTTOM)
box(bm, (0.0, 0.0, BAR_Z), (2.0 * BAR_R - 0.002, R * 0.04, R * 0.04))`,
  vase: () => `lathe(bm, [(0.0, 0.0), (R * 0.6, 0.0), (R * 0.9, HEIGHT * 0.15), (R, HEIGHT * 0.4), (R * 0.75, HEIGHT * 0.65),
                (R * 0.45, HEIGHT * 0.85), (R * 0.55, HEIGHT), (0.0, HEIGHT)])`,
  cylinder: () => `cylinder(bm, 0.0, 0.0, 0.0, HEIGHT, R, R, 48)`,
  chair: () => `SEAT_HEIGHT = min(0.46, HEIGHT * 0.52) if HEIGHT > 0.6 else HEIGHT * 0.55
SEAT = max(0.015, HEIGHT * 0.03)
LEG = max(0.015, min(WIDTH, DEPTH) * 0.08)
box(bm, (0.0, 0.0, SEAT_HEIGHT - 0.5 * SEAT), (WIDTH, DEPTH, SEAT))
for sx in (-1.0, 1.0):
    for sy in (-1.0, 1.0):
        box(bm, (sx * (0.5 * WIDTH - 0.5 * LEG), sy * (0.5 * DEPTH - 0.5 * LEG), 0.5 * (SEAT_HEIGHT - SEAT) + 0.001),
            (LEG, LEG, SEAT_HEIGHT - SEAT + 0.002))
box(bm, (0.0, 0.5 * DEPTH - 0.5 * LEG, 0.5 * (SEAT_HEIGHT - 0.001 + HEIGHT)), (WIDTH, LEG, HEIGHT - SEAT_HEIGHT + 0.001))`,
  stool: (text) => {
    const round = /\b(round|circular|disc|disk|cylindrical)\b/i.test(text);
    const seat = round
      ? "cylinder(bm, 0.0, 0.0, HEIGHT - SEAT, HEIGHT, R, R, 48)"
      : "box(bm, (0.0, 0.0, HEIGHT - 0.5 * SEAT), (WIDTH, DEPTH, SEAT))";
    return `SEAT = max(0.02, HEIGHT * 0.07)
LEG = max(0.015, min(WIDTH, DEPTH) * 0.08)
${seat}
INSET = ${round ? "R * 0.7 / math.sqrt(2.0)" : "0.5 * min(WIDTH, DEPTH) - 0.5 * LEG"}
for sx in (-1.0, 1.0):
    for sy in (-1.0, 1.0):
        box(bm, (sx * INSET, sy * INSET, 0.5 * (HEIGHT - SEAT) + 0.001), (LEG, LEG, HEIGHT - SEAT + 0.002))`;
  },
  table: () => `TOP = min(0.05, max(0.015, HEIGHT * 0.045))
LEG = min(0.07, max(0.02, min(WIDTH, DEPTH) * 0.07))
box(bm, (0.0, 0.0, HEIGHT - 0.5 * TOP), (WIDTH, DEPTH, TOP))
for sx in (-1.0, 1.0):
    for sy in (-1.0, 1.0):
        box(bm, (sx * (0.5 * WIDTH - LEG), sy * (0.5 * DEPTH - LEG), 0.5 * (HEIGHT - TOP) + 0.001),
            (LEG, LEG, HEIGHT - TOP + 0.002))`,
  shelf: (text, d) => `BOARD = max(0.012, min(0.03, WIDTH * 0.025))
COMPARTMENTS = ${compartmentCount(text, d.height)}
box(bm, (-0.5 * WIDTH + 0.5 * BOARD, 0.0, 0.5 * HEIGHT), (BOARD, DEPTH, HEIGHT))
box(bm, (0.5 * WIDTH - 0.5 * BOARD, 0.0, 0.5 * HEIGHT), (BOARD, DEPTH, HEIGHT))
box(bm, (0.0, 0.5 * DEPTH - 0.5 * BOARD, 0.5 * HEIGHT), (WIDTH - BOARD, BOARD, HEIGHT))
PITCH = (HEIGHT - BOARD) / COMPARTMENTS
for k in range(COMPARTMENTS + 1):
    box(bm, (0.0, 0.0, 0.5 * BOARD + k * PITCH), (WIDTH - BOARD, DEPTH, BOARD))`,
  box: () => `box(bm, (0.0, 0.0, 0.5 * HEIGHT), (WIDTH, DEPTH, HEIGHT))`,
};

/** Blender 5.0 script for a crude block-out of the described object, from the prompt text alone. */
export function blockoutCode(input: BlockoutInput): string {
  const text = `${input.instruction}\n${input.description}`;
  const shape = classifyShape(input);
  const stated = { ...parseDimensions(input.description), ...parseDimensions(input.instruction) };
  const fallback = DEFAULTS[shape];
  const roundish = ["goblet", "mug", "lamp", "vase", "cylinder", "stool"].includes(shape);
  const width = clamp(stated.width ?? (roundish ? stated.depth : undefined) ?? fallback.width, 0.01, 20);
  const depth = clamp(stated.depth ?? (roundish ? stated.width : undefined) ?? fallback.depth, 0.01, 20);
  const height = clamp(stated.height ?? fallback.height, 0.01, 20);
  const dims = { width, depth, height };
  const label = input.name.replace(/[^\w -]/g, "").slice(0, 80) || "object";
  return [
    `# Block-out baseline for ${label} (shape: ${shape}); built from the prompt text alone.`,
    PRELUDE,
    `WIDTH = ${py(width)}`,
    `DEPTH = ${py(depth)}`,
    `HEIGHT = ${py(height)}`,
    `R = 0.5 * min(WIDTH, DEPTH)`,
    ``,
    `clear_scene()`,
    `bm = bmesh.new()`,
    BODIES[shape](text, dims),
    `finish("Blockout", bm, ${colourArgs(input.description || text)})`,
    ``,
  ].join("\n");
}
