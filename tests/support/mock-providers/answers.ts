/**
 * What the mock models say. The good script is a real Blender 5 script (a mug from a cylinder and
 * a torus) so that a sweep driven through the mocks renders something; the flaky one uses
 * `Mesh.use_auto_smooth`, removed in Blender 4.1, so it fails with ERR_EXEC like real models do.
 */

const MUG_BODY = `import bpy
import math

# Start from an empty scene.
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
for mesh in list(bpy.data.meshes):
    bpy.data.meshes.remove(mesh)

bpy.ops.mesh.primitive_cylinder_add(vertices=48, radius=0.4, depth=0.9, location=(0.0, 0.0, 0.45))
body = bpy.context.active_object
`;

const MUG_HANDLE = `
bpy.ops.mesh.primitive_torus_add(
    major_radius=0.22, minor_radius=0.05, location=(0.42, 0.0, 0.45), rotation=(math.pi / 2, 0.0, 0.0)
)
handle = bpy.context.active_object

glaze = bpy.data.materials.new("Glaze")
glaze.diffuse_color = (0.75, 0.32, 0.2, 1.0)
for obj in (body, handle):
    obj.data.materials.append(glaze)

bpy.ops.object.select_all(action="DESELECT")
body.select_set(True)
handle.select_set(True)
bpy.context.view_layer.objects.active = body
bpy.ops.object.join()
body.name = "Mug"
bpy.ops.object.shade_smooth()
`;

export const GOOD_SCRIPT = MUG_BODY + MUG_HANDLE;

/** Blender 4.1 removed auto smooth from meshes: AttributeError in Blender 5. */
export const FLAKY_SCRIPT = `${MUG_BODY}body.data.use_auto_smooth = True
${MUG_HANDLE}`;

const fenced = (code: string) => `Here is a Blender 5 script that models a simple mug from primitives.\n\n\`\`\`python\n${code}\`\`\`\n`;

export const GOOD_ANSWER = fenced(GOOD_SCRIPT);
export const FLAKY_ANSWER = fenced(FLAKY_SCRIPT);
export const PROSE_ANSWER = "A mug is a cylinder with a handle. I would start with a cylinder, hollow it out and add a torus for the handle.";
export const THINKING_TEXT = "The user wants a mug. A cylinder for the body and a torus for the handle will do; join them.";

/** How the harness phrases a multi-turn retry (lib/harness/prompts.ts) and the status it quotes. */
export const FEEDBACK = /previous (attempt|script|answer)|\bERR_[A-Z]/i;

/**
 * Judge scenarios (lib/judge). The marker lets a mock judge prefer one script whatever the order it
 * is shown in, so a test can check that the verdict is mapped back to the battle's own A/B.
 */
export const JUDGE_FAVOURITE_MARKER = "# judge-favourite";

/** mock-judge-marked: the side whose script carries the marker, "tie" when neither (or both) does. */
export function markedJudgeAnswer(userText: string): string {
  const a = userText.indexOf("SYSTEM A");
  const b = userText.indexOf("SYSTEM B");
  const inA = a >= 0 && b > a && userText.slice(a, b).includes(JUDGE_FAVOURITE_MARKER);
  const inB = b >= 0 && userText.slice(b).includes(JUDGE_FAVOURITE_MARKER);
  const winner = inA === inB ? "tie" : inA ? "a" : "b";
  return JSON.stringify({ winner, reasoning: "Only one script models the requested object." });
}

export const JUDGE_FIRST_ANSWER = '```json\n{"winner": "a", "reasoning": "System A is closer to the request."}\n```';
export const JUDGE_GARBAGE_ANSWER = "I would say A, probably. {winner: a, reasoning: ";
export const JUDGE_C_ANSWER = '{"winner": "c", "reasoning": "Neither a nor b."}';
/** Far past any verdict's length (lib/judge/parse.ts MAX_ANSWER_CHARS). */
export const JUDGE_HUGE_ANSWER = `{"winner": "a", "reasoning": "${"very ".repeat(20_000)}good"}`;
