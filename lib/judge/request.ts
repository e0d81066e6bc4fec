/**
 * What the judge is asked about one battle (docs/judge.md): the order of the two sides (swapped
 * deterministically per battle and judge model, so position bias cancels out over many battles
 * and a re-run asks the same question), the user message of each mode, and the call settings.
 */
import { createHash } from "node:crypto";
import { THINKING_BUDGET, type ReasoningLevel } from "@/lib/providers/reasoning";
import type { ChatImage, ModelSettings } from "@/lib/providers/types";
import type { JudgeMode } from "./types";

/** docs/benchmark-compat §9: each script is cut at 60,000 characters in code mode. */
export const CODE_MAX_CHARS = 60_000;
/** Room left at the cut for the marker line, so a cut script stays within CODE_MAX_CHARS. */
const CUT_MARKER_ROOM = 200;
/** A verdict and three sentences: 1,024 tokens leaves ample room and bounds the worst case. */
export const JUDGE_MAX_OUTPUT_TOKENS = 1024;
/** The benchmark's judges think at a low level (docs/benchmark-compat §9). */
const JUDGE_REASONING: ReasoningLevel = "low";

/** True when the battle's B is shown first ("System A"). */
export function swapFor(battleId: string, judgeContestantId: string): boolean {
  return (createHash("sha256").update(`${battleId}\0${judgeContestantId}`).digest()[0]! & 1) === 1;
}

export function truncateCode(code: string): string {
  if (code.length <= CODE_MAX_CHARS) return code;
  return `${code.slice(0, CODE_MAX_CHARS - CUT_MARKER_ROOM)}\n\n# [cut here by the arena: the script has ${code.length} characters, the judge sees the first ${CODE_MAX_CHARS - CUT_MARKER_ROOM}]\n`;
}

/**
 * The judge model's own settings with what judging needs: temperature 0 where the model takes a
 * temperature, low thinking where it thinks, and a small answer room.
 */
export function judgeSettings(s: ModelSettings): ModelSettings {
  return {
    ...s,
    ...(s.temperature !== undefined && { temperature: 0 }),
    ...(s.reasoning !== undefined && s.reasoning !== "off" && s.reasoning !== "minimal" && { reasoning: JUDGE_REASONING }),
    maxOutputTokens: JUDGE_MAX_OUTPUT_TOKENS,
  };
}

/** Output tokens a judge call can use at most: the answer room plus the thinking budget on top. */
export function worstCaseOutputTokens(s: ModelSettings): number {
  const r = s.reasoning;
  return (s.maxOutputTokens ?? JUDGE_MAX_OUTPUT_TOKENS) + (r && r !== "off" ? THINKING_BUDGET[r] : 0);
}

export interface JudgeSide {
  code: string | null;
  renders: ChatImage[];
}

export interface JudgeTask {
  track: "text" | "image";
  /** The category's description (the Text -> 3D prompt). */
  description: string;
  referenceViews: ChatImage[];
}

function requestLine(task: JudgeTask): string {
  return task.track === "image"
    ? "REQUEST (Image->3D): build the object shown in the reference views."
    : `REQUEST (Text->3D):\n${task.description.trim()}`;
}

/** The user message, sides already in the order shown (first = "System A"). */
export function judgeUserMessage(mode: JudgeMode, task: JudgeTask, first: JudgeSide, second: JudgeSide): { text: string; images: ChatImage[] } {
  if (mode === "code") {
    const script = (s: JudgeSide) => (s.code === null || s.code.trim() === "" ? "(this system produced no script)" : `\`\`\`python\n${truncateCode(s.code)}\n\`\`\``);
    const text = [
      requestLine({ ...task, track: "text" }),
      "",
      "SYSTEM A, Blender Python script:",
      script(first),
      "",
      "SYSTEM B, Blender Python script:",
      script(second),
      "",
      "Give your verdict as the JSON object described.",
    ].join("\n");
    return { text, images: [] };
  }
  const images: ChatImage[] = [];
  const lines = [requestLine(task), "", "The images follow in this order:"];
  const block = (label: string, imgs: ChatImage[], none: string) => {
    if (imgs.length === 0) {
      lines.push(`- ${label}: ${none}`);
      return;
    }
    lines.push(`- images ${images.length + 1} to ${images.length + imgs.length}: ${label} (${imgs.length})`);
    images.push(...imgs);
  };
  if (task.track === "image") block("the reference views", task.referenceViews, "none available");
  block("System A, renders", first.renders, "no renders: its script produced no object");
  block("System B, renders", second.renders, "no renders: its script produced no object");
  lines.push("", "Give your verdict as the JSON object described.");
  return { text: lines.join("\n"), images };
}
