/**
 * Runs one coding agent on one task (issue 14 part 5): a fresh workspace holding the task (and the
 * reference views for Image -> 3D), the agent CLI in its own bubblewrap sandbox with no network
 * but the allowlisting proxy and `run_blender` (our runner, through blender-bridge.ts), a wall
 * clock and a budget, then the final script, the agent status, its usage and its transcript.
 *
 *   <workRoot>/<id>/ws       the workspace, /workspace inside (the agent's uid owns it)
 *   <workRoot>/<id>/sock     the two unix sockets, /run/agent inside (read-only bind)
 *   <workRoot>/<id>/passwd   the sandbox's /etc/passwd
 */
import { chmod, chown, copyFile, mkdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { createJobCgroup } from "@/blender-runner/client/cgroup";
import { startSandbox } from "@/blender-runner/client/sandbox-process";
import { compileSeccomp } from "@/blender-runner/client/seccomp";
import { z } from "zod";
import type { RenderProfile, RunLimits, Runner } from "@/blender-runner/client/types";
import { UidPool } from "@/blender-runner/client/uid-pool";
import type { Track } from "@/lib/contracts";
import type { PromptSet } from "@/lib/harness/prompt-set";
import type { Prices } from "@/lib/providers/types";
import type { AgentStatus } from "@/lib/runs/read-results";
import { startBlenderBridge, type BridgeRun, type Gate } from "./blender-bridge";
import { collectWorkspace } from "./collect";
import { fillCommand, type ResolvedAgent } from "./presets";
import { startAllowProxy } from "./proxy";
import { AGENT_WORKDIR, BLENDER_SOCKET, buildAgentSandboxArgs, PROXY_SOCKET } from "./sandbox-args";
import { agentPrompt, PROMPT_FILE, VIEWS_DIR } from "./task";
import { CappedTranscript } from "./transcript";
import { UsageReader, type AgentUsage } from "./usage";

export const VIEW_NAMES = ["Image_005.png", "Image_015.png", "Image_025.png", "Image_035.png"];
const ZNoRecord = z.object({ t: z.literal("arena-agent-no-records") });
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$/;

export interface AgentRunOptions {
  id: string;
  /** Repository root: lib/agents/sandbox is found from it. */
  root: string;
  workRoot: string;
  agent: ResolvedAgent;
  modelId: string;
  task: { instanceId: string; track: Track; caption: string; referenceImages: string[] };
  promptSet: Pick<PromptSet, "systemPrompt" | "imageUserMessage">;
  prices: Prices;
  /** The provider key, handed to the CLI in agent.keyEnv. */
  apiKey: string | null;
  runner: Runner;
  blenderLimits: RunLimits;
  profile: RenderProfile;
  /** Shared by every agent of the process, so their run_blender calls never run more Blenders at once than this allows. */
  blenderGate?: Gate;
  bwrap?: string;
  /** As root: the agent's own uid from this pool (the runner's pool, so uids never clash). */
  uidBase?: number;
  uidCount?: number;
  transcriptHeadBytes?: number;
  transcriptTailBytes?: number;
  /** Whole workspace (bytes, entries): past it the agent is stopped. */
  maxDiskMiB?: number;
  memoryMiB?: number;
}

export interface AgentRunResult {
  status: AgentStatus;
  code: string | null;
  prompt: string;
  usage: AgentUsage;
  costUsd: number;
  transcript: string;
  transcriptBytes: number;
  exit: { code: number | null; signal: string | null };
  timedOut: boolean;
  budgetExceeded: boolean;
  diskLimited: string | null;
  durationMs: number;
  blenderRuns: BridgeRun[];
  network: { allowHosts: string[]; allowed: string[]; denied: string[] };
  problems: string[];
}

const seccompFiles = new Map<string, Promise<string>>();
/** The compiled seccomp filter, once per work root; written aside and renamed (another worker may be binding it). */
function supportFile(workRoot: string): Promise<string> {
  let file = seccompFiles.get(workRoot);
  if (!file) {
    file = (async () => {
      await mkdir(workRoot, { recursive: true, mode: 0o711 });
      const f = path.join(workRoot, ".seccomp.bpf");
      const tmp = `${f}.${process.pid}.tmp`;
      await writeFile(tmp, compileSeccomp().bytes, { mode: 0o600 });
      await rename(tmp, f);
      return f;
    })();
    seccompFiles.set(workRoot, file);
  }
  return file;
}

export async function runAgent(o: AgentRunOptions): Promise<AgentRunResult> {
  if (!RUN_ID.test(o.id)) throw new Error(`invalid agent run id ${JSON.stringify(o.id)}`);
  const t0 = performance.now();
  const base = path.join(o.workRoot, o.id);
  const ws = path.join(base, "ws");
  const sockDir = path.join(base, "sock");
  const passwd = path.join(base, "passwd");
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true, mode: 0o711 });
  await mkdir(ws, { mode: 0o700 });
  await mkdir(sockDir, { mode: 0o700 });

  const asRoot = process.getuid?.() === 0;
  const uids = asRoot ? new UidPool(o.uidBase ?? 200_000, o.uidCount ?? 1000) : null;
  const uid = uids ? uids.take() : null;
  let cgroup: ReturnType<typeof createJobCgroup> = null;
  let bridge: Awaited<ReturnType<typeof startBlenderBridge>> | null = null;
  let proxy: Awaited<ReturnType<typeof startAllowProxy>> | null = null;
  try {
    cgroup = createJobCgroup(`agent-${o.id}-${process.pid}`, { memoryBytes: (o.memoryMiB ?? 4096) * 1024 * 1024, maxProcesses: 512 });
    const viewNames = o.task.track === "image" ? VIEW_NAMES.slice(0, o.task.referenceImages.length) : [];
    const prompt = agentPrompt({ instanceId: o.task.instanceId, track: o.task.track, caption: o.task.caption, viewNames, timeLimitSec: o.agent.timeLimitSec }, o.promptSet);
    await writeFile(path.join(ws, PROMPT_FILE), prompt, { mode: 0o644 });
    if (viewNames.length) {
      await mkdir(path.join(ws, VIEWS_DIR), { mode: 0o755 });
      for (const [i, name] of viewNames.entries()) await copyFile(o.task.referenceImages[i]!, path.join(ws, VIEWS_DIR, name));
    }
    const owner = uid ?? process.getuid?.() ?? 0;
    await writeFile(passwd, `agent:x:${owner}:${owner}:agent:/home/agent:/bin/sh\n`, { mode: 0o644 });
    if (uid !== null) {
      for (const p of [ws, path.join(ws, PROMPT_FILE), sockDir, ...(viewNames.length ? [path.join(ws, VIEWS_DIR), ...viewNames.map((n) => path.join(ws, VIEWS_DIR, n))] : [])]) await chown(p, uid, uid);
    }

    bridge = await startBlenderBridge({
      socketPath: path.join(sockDir, BLENDER_SOCKET),
      runner: o.runner,
      limits: o.blenderLimits,
      profile: o.profile,
      jobPrefix: `agent-${o.id}`,
      maxRuns: o.agent.maxBlenderRuns,
      gate: o.blenderGate,
    });
    const useProxy = o.agent.allowHosts.length > 0;
    proxy = useProxy ? await startAllowProxy(path.join(sockDir, PROXY_SOCKET), o.agent.allowHosts) : null;
    // The sockets are the host's (root's): the agent's uid must be able to connect.
    for (const s of [BLENDER_SOCKET, ...(useProxy ? [PROXY_SOCKET] : [])]) await chmod(path.join(sockDir, s), 0o666);

    const usage = new UsageReader(o.agent.usageFormat);
    const transcript = new CappedTranscript(o.transcriptHeadBytes ?? 192 * 1024, o.transcriptTailBytes ?? 64 * 1024);
    let budgetExceeded = false;
    const argv = fillCommand(o.agent.command, {
      prompt,
      model: o.modelId,
      workdir: AGENT_WORKDIR,
      budget: String(o.agent.budgetUsd),
      timeLimit: String(o.agent.timeLimitSec),
    });
    const args = buildAgentSandboxArgs({
      scriptsDir: path.join(o.root, "lib", "agents", "sandbox"),
      nodeBinary: process.execPath,
      workspace: ws,
      socketDir: sockDir,
      passwdFile: passwd,
      readOnlyBinds: o.agent.readOnlyBinds,
      proxy: useProxy,
      env: { ...o.agent.env, ...(o.agent.keyEnv && o.apiKey ? { [o.agent.keyEnv]: o.apiKey } : {}) },
      argv,
      dropToUid: uid,
      tmpfsMiB: 256,
      maxFileMiB: 64,
      maxProcesses: 256,
      tools: { bwrap: o.bwrap ?? "bwrap", prlimit: "/usr/bin/prlimit", setpriv: "/usr/bin/setpriv" },
    });
    let kill: () => void = () => undefined;
    const onOutput = (stream: "stdout" | "stderr", chunk: Buffer) => {
      transcript.push(chunk);
      if (stream !== "stdout") return;
      usage.push(chunk);
      if (!budgetExceeded && usage.costUsd(o.prices) > o.agent.budgetUsd) {
        budgetExceeded = true;
        kill();
      }
    };
    const handle = startSandbox(
      {
        bwrap: o.bwrap ?? "bwrap",
        args,
        deadline: t0 + o.agent.timeLimitSec * 1000,
        cpuSeconds: Number.MAX_SAFE_INTEGER,
        uid,
        tailBytes: 1024,
        cgroupProcs: cgroup?.procsFiles ?? [],
        seccompFile: await supportFile(o.workRoot),
        stdin: false,
        onOutput,
      },
      // The agent sandbox has no report channel; nothing it writes on fd 3 is read as a record.
      ZNoRecord,
    );
    kill = handle.kill;
    handle.watchDisk({ dir: ws, maxBytes: (o.maxDiskMiB ?? 512) * 1024 * 1024, maxEntries: 20_000 });
    const outcome = await handle.done;
    // Nothing of the sandbox is left: stop serving it before reading what it left.
    const network = { allowHosts: o.agent.allowHosts, allowed: proxy?.allowed ?? [], denied: proxy?.denied ?? [] };
    const blenderRuns = bridge.runs;
    await proxy?.close();
    proxy = null;
    await bridge.close();
    bridge = null;
    usage.end();
    const collected = await collectWorkspace(ws, o.task.instanceId);
    const u = usage.usage();
    return {
      status: collected.status,
      code: collected.code,
      prompt,
      usage: u,
      costUsd: usage.costUsd(o.prices),
      transcript: transcript.text(),
      transcriptBytes: transcript.bytes,
      exit: { code: outcome.code, signal: outcome.signal },
      timedOut: outcome.timedOut,
      budgetExceeded,
      diskLimited: outcome.diskLimited,
      durationMs: Math.round(performance.now() - t0),
      blenderRuns,
      network,
      problems: collected.problems,
    };
  } finally {
    await proxy?.close();
    await bridge?.close();
    cgroup?.remove();
    if (uid !== null) uids?.release(uid);
    await rm(base, { recursive: true, force: true });
  }
}
