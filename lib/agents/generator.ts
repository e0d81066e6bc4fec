/**
 * A coding-agent contestant as a CodeGenerator: one attempt (the agent iterates in its own loop),
 * whose code is the agent's final script, executed afterwards by the normal execution job, as the
 * benchmark renders an agent's script with its normal pipeline (benchmark-facts §10). The harness
 * and the runner are imported on first use: this file is reachable from the contestant registry,
 * which the web tier loads too.
 */
import { randomUUID } from "node:crypto";
import path from "node:path";
import type { CodeGenerator, CodeRequest, CodeResult } from "@/lib/contestants/types";
import { ARENA_PROMPT_SET, type PromptSet } from "@/lib/harness/prompt-set";
import { textTask } from "@/lib/harness/prompts";
import type { Prices } from "@/lib/providers/types";
import { resolveAgent, ZAgentConfig } from "./presets";
import { Gate } from "./blender-bridge";

export class AgentConfigError extends Error {
  override name = "AgentConfigError";
}

export interface AgentContestant {
  slug: string;
  providerModelId: string;
  settings: Record<string, unknown>;
  prices: Prices;
}

function agentConfig(settings: Record<string, unknown>) {
  const parsed = ZAgentConfig.safeParse(settings.agent);
  if (!parsed.success) throw new AgentConfigError(`settings.agent: ${parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
  return resolveAgent(parsed.data);
}

export function agentGenerator(c: AgentContestant, opts: { promptSet?: PromptSet }): CodeGenerator {
  const agent = agentConfig(c.settings);
  return {
    maxAttempts: 1,
    async generate(req: CodeRequest): Promise<CodeResult> {
      const [{ runAgent }, { createRunnerFromEnv }, { getEnv }, { limitsFor }, { PREVIEW_PROFILE }, { resolveApiKey }, { ZModelSettings }] = await Promise.all([
        import("./harness"),
        import("@/lib/pipeline/runner"),
        import("@/lib/env"),
        import("@/lib/pipeline/profiles"),
        import("@/blender-runner/client/types"),
        import("@/lib/providers/keys"),
        import("@/lib/providers/settings"),
      ]);
      const env = getEnv();
      const apiKey = agent.keyProvider ? await resolveApiKey(agent.keyProvider, ZModelSettings.parse(c.settings.apiKeyName ? { apiKeyName: c.settings.apiKeyName } : {})) : null;
      const r = await runAgent({
        // Unique per run (two sweeps may ask the same agent the same task at once); the slug and task only help a reader.
        id: `${`${c.slug}-${req.category.instanceId}-${req.track}`.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 80)}-${randomUUID().slice(0, 12)}`,
        root: env.ARENA_ROOT,
        workRoot: path.join(env.dataDir, "agents"),
        agent,
        modelId: c.providerModelId,
        task: { instanceId: req.category.instanceId, track: req.track, caption: textTask(req), referenceImages: req.category.referenceImages },
        promptSet: opts.promptSet ?? ARENA_PROMPT_SET,
        prices: c.prices,
        apiKey,
        runner: runner ?? (runner = createRunnerFromEnv()),
        // Blender for the agent's own tests: the preview profile, the category's limits.
        blenderLimits: limitsFor({ timeLimitSec: null }, PREVIEW_PROFILE),
        profile: PREVIEW_PROFILE,
        // Every agent of this worker shares EXEC_CONCURRENCY Blenders, as the execution worker does.
        blenderGate: gate ?? (gate = new Gate(env.EXEC_CONCURRENCY)),
      });
      const u = r.usage;
      return {
        code: r.code,
        parseOk: r.code !== null,
        error: r.code === null ? `The agent left no script (ERR_NO_SCRIPT)${r.problems.length ? `: ${r.problems.join("; ")}` : ""}.` : null,
        usage: {
          inputTokens: u.inputTokens,
          cachedTokens: u.cachedTokens,
          cacheWriteTokens: u.cacheWriteTokens,
          outputTokens: u.outputTokens,
          thinkingTokens: u.thinkingTokens,
          latencyMs: r.durationMs,
          costUsd: r.costUsd,
        },
        rawResponse: r.transcript,
        prompt: r.prompt,
        // No second attempt: the agent's own loop was the iteration.
        final: true,
        agentRun: {
          preset: agent.preset,
          status: r.status,
          exit: r.exit,
          timedOut: r.timedOut,
          budgetExceeded: r.budgetExceeded,
          diskLimited: r.diskLimited,
          timeLimitSec: agent.timeLimitSec,
          budgetUsd: agent.budgetUsd,
          durationMs: r.durationMs,
          usage: r.usage,
          costUsd: r.costUsd,
          transcriptBytes: r.transcriptBytes,
          blenderRuns: r.blenderRuns,
          network: r.network,
          problems: r.problems,
        },
      };
    },
  };
}

let runner: import("@/blender-runner/client/types").Runner | null = null;
let gate: Gate | null = null;
