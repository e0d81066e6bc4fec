/**
 * What the agent left, read once every process of its sandbox is dead (house rule 14): the script
 * and the sentinel through the runner's untrusted-file reader (no symlink anywhere on the path,
 * regular files only, size caps, a timeout), the script decoded as strict UTF-8. The agent status
 * follows the benchmark's rule (benchmark-facts §10): no script is ERR_NO_SCRIPT, a script without
 * the sentinel OK_SCRIPT_NO_SENTINEL, both OK_AGENT_DONE.
 */
import { readUntrusted, UntrustedFileError } from "@/blender-runner/client/untrusted-file";
import type { AgentStatus } from "@/lib/runs/read-results";
import { scriptName, SENTINEL } from "./task";

export const MAX_SCRIPT_BYTES = 1 << 20;
const MAX_SENTINEL_BYTES = 4096;

export interface Collected {
  status: AgentStatus;
  code: string | null;
  /** Why a file the agent left was refused (symlink, FIFO, too large, not UTF-8). */
  problems: string[];
}

async function readOne(workspace: string, rel: string, max: number, problems: string[]): Promise<Buffer | null> {
  try {
    return await readUntrusted(workspace, rel, max, 5_000);
  } catch (err) {
    if (!(err instanceof UntrustedFileError)) throw err;
    problems.push(`${rel}: ${err.message}`);
    return null;
  }
}

export async function collectWorkspace(workspace: string, instanceId: string): Promise<Collected> {
  const problems: string[] = [];
  const bytes = await readOne(workspace, scriptName(instanceId), MAX_SCRIPT_BYTES, problems);
  let code: string | null = null;
  if (bytes) {
    try {
      code = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch {
      problems.push(`${scriptName(instanceId)}: not UTF-8 text`);
    }
    if (code !== null && (code.includes("\0") || code.trim() === "")) {
      problems.push(`${scriptName(instanceId)}: ${code.trim() === "" ? "empty" : "contains NUL bytes"}`);
      code = null;
    }
  }
  const done = (await readOne(workspace, SENTINEL, MAX_SENTINEL_BYTES, problems)) !== null;
  const status: AgentStatus = code === null ? "ERR_NO_SCRIPT" : done ? "OK_AGENT_DONE" : "OK_SCRIPT_NO_SENTINEL";
  return { status, code, problems };
}
