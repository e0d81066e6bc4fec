/**
 * What the agent is told. The structure follows the benchmark's agent scripts (benchmark-facts
 * §10: task, workflow, rules, time budget, the `<inst>.py` output and the `.agent_done` sentinel);
 * the rules are the selected prompt set's system prompt for the track, the image instruction is
 * the set's, and Blender is reached through `run_blender` (our runner) instead of a binary path.
 */
import type { Track } from "@/lib/contracts";
import type { PromptSet } from "@/lib/harness/prompt-set";

export const SENTINEL = ".agent_done";
export const PROMPT_FILE = ".agent_prompt.txt";
export const VIEWS_DIR = "views";

export function scriptName(instanceId: string): string {
  return `${instanceId}.py`;
}

export interface AgentTask {
  instanceId: string;
  track: Track;
  /** Text track: the caption. */
  caption: string;
  /** Image track: file names under views/ (Image_005.png ...). */
  viewNames: string[];
  timeLimitSec: number;
}

export function agentPrompt(task: AgentTask, set: Pick<PromptSet, "systemPrompt" | "imageUserMessage">): string {
  const script = scriptName(task.instanceId);
  const what =
    task.track === "image"
      ? [set.imageUserMessage, "", "The four reference views are in this folder:", ...task.viewNames.map((n) => `  ${VIEWS_DIR}/${n}`), "Look at them first."]
      : ["Build the object this description names:", "", ...task.caption.split("\n").map((l) => `> ${l}`)];
  return [
    "You are writing a Blender 5.0 Python script in the current folder.",
    "",
    "## Task",
    `Write ${script}: a script that builds the object below as mesh objects.`,
    ...what,
    "",
    "## Workflow",
    `1. Write ${script}.`,
    `2. Test it: run \`run_blender ${script}\`. It executes the script in a sandboxed Blender, prints the status and any error, and`,
    "   writes status.json, error.txt and the four rendered views (Image_0X5.png) under blender_runs/<n>/.",
    "3. Fix what failed and test again.",
    `4. Once it runs with status OK, write the file ${SENTINEL} containing "ok" and stop.`,
    "",
    "## Rules for the script",
    set.systemPrompt(task.track),
    "",
    `Hard time budget: ${task.timeLimitSec} s in total, Blender runs included. Iterate at most 4-5 times.`,
  ].join("\n");
}
