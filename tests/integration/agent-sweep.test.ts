/**
 * Coding-agent contestants through a sweep on real Postgres, Redis and sandboxed Blender: the fake
 * agent CLI (tests/fixtures/agents) runs in the agent harness from the generation job, its final
 * script goes through the normal execution job, and the agent status, usage, cost and transcript
 * are stored with the generation (OK_AGENT_DONE, OK_SCRIPT_NO_SENTINEL, ERR_NO_SCRIPT).
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { requireEnv } from "../support/env";
import { startPipelineWorkers, type PipelineWorkers } from "../support/pipeline-workers";
import { removeSweepAndSet } from "../support/sweep-cleanup";

requireEnv("DATABASE_URL");
requireEnv("REDIS_URL");

const { db, disconnectDb } = await import("@/lib/db");
const { importCategorySet } = await import("@/lib/categories/import");
const { ensureSweep, sweepProgress } = await import("@/lib/sweeps/sweeps");
const { closeQueues } = await import("@/lib/jobs/queue");
const { closeRedis } = await import("@/lib/redis");

const SET = "agent-sweep-test";
const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/agents");
const CUBE = `import bpy
bpy.ops.object.select_all(action="SELECT")
bpy.ops.object.delete()
bpy.ops.mesh.primitive_cube_add(size=0.5)
`;
const AGENTS = { "fake-agent-ok": "ok", "fake-agent-nosentinel": "no-sentinel", "fake-agent-noscript": "no-script" } as const;

let root: string;
let workers: PipelineWorkers | undefined;

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), "arena-agent-sweep-"));
  const dir = path.join(root, "AgsCube_seed0");
  mkdirSync(dir);
  writeFileSync(path.join(dir, "AgsCube_seed0.py"), CUBE);
  writeFileSync(path.join(dir, "prompt_description.txt"), "A small cube, half a metre on each side.");
  writeFileSync(path.join(dir, "prompt_instruction.txt"), "Create the 3D object of a cube using Python Blender code.");
  await importCategorySet(root, SET);
  for (const [slug, mode] of Object.entries(AGENTS)) {
    const data = {
      displayName: `Fake agent (${mode})`,
      organisation: "tests",
      kind: "agent" as const,
      provider: "claude-code",
      providerModelId: "fake-model-1",
      harness: "agent",
      settings: {
        agent: {
          preset: "claude-code",
          command: ["node", path.join(FIXTURES, "fake-agent.mjs"), "--mode", mode, "--model", "{model}", "-p", "{prompt}"],
          allowHosts: [],
          keyProvider: null,
          readOnlyBinds: [FIXTURES],
          timeLimitSec: 120,
        },
      },
    };
    await db().contestant.upsert({ where: { slug }, create: { slug, ...data }, update: data });
  }
  workers = await startPipelineWorkers();
});

after(async () => {
  await workers?.close();
  await removeSweepAndSet(SET);
  await db().contestant.deleteMany({ where: { slug: { in: Object.keys(AGENTS) } } });
  await closeQueues();
  await closeRedis();
  await disconnectDb();
  rmSync(root, { recursive: true, force: true });
});

test("a sweep over agent contestants executes each agent's final script and records its status", async () => {
  const s = await ensureSweep({ name: SET, contestantSlugs: Object.keys(AGENTS), categories: ["AgsCube_seed0"], tracks: ["text"], profile: "preview" });
  assert.equal(s.generations, 3);
  const deadline = Date.now() + 300_000;
  let p = await sweepProgress(s.sweepId);
  while (p.done < p.total && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    p = await sweepProgress(s.sweepId);
  }
  assert.equal(p.done, 3, JSON.stringify(p.byStatus));

  const gens = await db().generation.findMany({ where: { sweepId: s.sweepId }, include: { contestant: true, attempts: true } });
  const get = (slug: string) => gens.find((g) => g.contestant.slug === slug)!;
  const run = (slug: string) => get(slug).agentRun as { status: string; blenderRuns: { status: string }[]; costUsd: number; usage: { turns: number } };

  const ok = get("fake-agent-ok");
  assert.equal(ok.status, "ready", ok.errorText ?? "");
  assert.equal(ok.execStatus, "OK");
  assert.equal(ok.renderKeys.length, 4);
  assert.equal(run("fake-agent-ok").status, "OK_AGENT_DONE");
  assert.deepEqual(run("fake-agent-ok").blenderRuns.map((b) => b.status), ["ERR_EXEC", "OK"]);
  assert.equal(ok.costUsd, 0.0421);
  assert.equal(ok.inputTokens, 3000);
  assert.equal(ok.attempts.length, 1);
  assert.match(ok.finalCode ?? "", /primitive_cube_add/);
  assert.doesNotMatch(ok.finalCode ?? "", /use_auto_smooth/);
  assert.match(ok.attempts[0]!.rawResponse ?? "", /use_auto_smooth is gone/);
  assert.match(ok.attempts[0]!.prompt ?? "", /Write AgsCube_seed0\.py:/);
  assert.match(ok.attempts[0]!.prompt ?? "", /> A small cube, half a metre/);
  assert.ok(ok.attempts[0]!.promptSet);

  const noSentinel = get("fake-agent-nosentinel");
  assert.equal(noSentinel.status, "ready", noSentinel.errorText ?? "");
  assert.equal(run("fake-agent-nosentinel").status, "OK_SCRIPT_NO_SENTINEL");

  const noScript = get("fake-agent-noscript");
  assert.equal(noScript.status, "failed");
  assert.equal(noScript.execStatus, null);
  assert.match(noScript.errorText ?? "", /ERR_NO_SCRIPT/);
  assert.equal(run("fake-agent-noscript").status, "ERR_NO_SCRIPT");
  assert.equal(noScript.attempts.length, 1, "no second attempt for an agent");
});
