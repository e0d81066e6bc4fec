/**
 * The coding-agent harness (lib/agents) with the fake agent CLI (tests/fixtures/agents) in the real
 * bubblewrap sandbox, its run_blender going through the real runner and Blender: the full
 * write-fail-fix-pass loop, the time limit, the budget, the three agent statuses, the network
 * (none, and the allowlisting proxy), and everything a hostile agent may leave behind.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { createLocalRunner } from "@/blender-runner/client/local-runner";
import type { RenderProfile, RunLimits, Runner } from "@/blender-runner/client/types";
import { runAgent, type AgentRunOptions } from "@/lib/agents/harness";
import { resolveAgent, ZAgentConfig } from "@/lib/agents/presets";
import { ARENA_PROMPT_SET } from "@/lib/harness/prompt-set";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FIXTURES = path.join(ROOT, "tests", "fixtures", "agents");
const PROFILE: RenderProfile = { name: "test-cheap", samples: 1, resolution: 64, denoise: false };
const LIMITS: RunLimits = { wallSeconds: 120, cpuSeconds: 240, memoryMiB: 6144, maxProcesses: 256, maxFileMiB: 256, threads: 1 };
const NO_PRICES = { input: 0, cached: 0, output: 0, cacheWrite: 0 };

let runner: Runner;
let work: string;

before(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), "arena-agents-"));
  runner = createLocalRunner({ root: ROOT, jobsRoot: path.join(work, "jobs") });
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

function fake(mode: string, extra: Partial<Parameters<typeof ZAgentConfig.parse>[0]> = {}, more: string[] = []) {
  return resolveAgent(
    ZAgentConfig.parse({
      preset: "claude-code",
      command: ["node", path.join(FIXTURES, "fake-agent.mjs"), "--mode", mode, "--model", "{model}", "-p", "{prompt}", ...more],
      allowHosts: [],
      readOnlyBinds: [FIXTURES],
      timeLimitSec: 120,
      ...extra,
    }),
  );
}

let n = 0;
function run(agent: ReturnType<typeof fake>, over: Partial<AgentRunOptions> = {}) {
  return runAgent({
    id: `t${process.pid}-${++n}`,
    root: ROOT,
    workRoot: path.join(work, "agents"),
    agent,
    modelId: "fake-model-1",
    task: { instanceId: "AgCube_seed0", track: "text", caption: "A small cube.", referenceImages: [] },
    promptSet: ARENA_PROMPT_SET,
    prices: NO_PRICES,
    apiKey: "sk-test-not-a-key",
    runner,
    blenderLimits: LIMITS,
    profile: PROFILE,
    ...over,
  });
}

describe("agent harness", () => {
  it("runs the write, fail, fix, pass loop through run_blender and collects script, usage and transcript", async () => {
    const r = await run(fake("ok"));
    assert.equal(r.status, "OK_AGENT_DONE", r.transcript.slice(-2000));
    assert.match(r.code ?? "", /primitive_cube_add/);
    assert.doesNotMatch(r.code ?? "", /use_auto_smooth/);
    assert.deepEqual(r.blenderRuns.map((b) => b.status), ["ERR_EXEC", "OK"]);
    assert.match(r.transcript, /use_auto_smooth is gone in Blender 5/);
    assert.match(r.transcript, /Second run: OK, exit 0, views written/);
    assert.equal(r.usage.reportedCostUsd, 0.0421);
    assert.equal(r.costUsd, 0.0421);
    assert.equal(r.usage.turns, 3);
    assert.equal(r.usage.inputTokens, 3000);
    assert.equal(r.usage.cachedTokens, 1500);
    assert.equal(r.timedOut, false);
    assert.equal(r.exit.code, 0);
    assert.match(r.prompt, /Write AgCube_seed0\.py:/);
    assert.match(r.prompt, /> A small cube\./);
    assert.equal(existsSync(path.join(work, "agents", `t${process.pid}-${n}`)), false, "workspace removed");
    // The key and the preset's env reach the CLI; nothing else of the host's environment does.
    const init = JSON.parse(r.transcript.split("\n")[0]!) as { env: string[]; home: string; key: string; cwd: string };
    assert.equal(init.key, "sk-test-not-a-key");
    assert.equal(init.home, "/home/agent");
    assert.equal(init.cwd, "/workspace");
    assert.ok(init.env.includes("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"));
    for (const leak of ["DATABASE_URL", "REDIS_URL", "AUTH_SECRET", "USER", "TEST_PG_PORT"]) assert.ok(!init.env.includes(leak), `${leak} leaked into the sandbox`);
  });

  it("puts the four reference views in the workspace for the image track", async () => {
    const views = await mkdtemp(path.join(work, "views-"));
    const { writeFile } = await import("node:fs/promises");
    const files = [];
    for (let i = 0; i < 4; i++) {
      const f = path.join(views, `k${i}.png`);
      await writeFile(f, Buffer.from(`png${i}`));
      files.push(f);
    }
    const r = await run(fake("no-sentinel"), { task: { instanceId: "AgCube_seed0", track: "image", caption: "", referenceImages: files } });
    assert.match(r.prompt, new RegExp(ARENA_PROMPT_SET.imageUserMessage.slice(0, 40)));
    assert.match(r.prompt, /views\/Image_005\.png[\s\S]*views\/Image_035\.png/);
    assert.doesNotMatch(r.prompt, /^> /m, "no caption on the image track");
  });

  it("records OK_SCRIPT_NO_SENTINEL and ERR_NO_SCRIPT by the benchmark's rule", async () => {
    const noSentinel = await run(fake("no-sentinel"));
    assert.equal(noSentinel.status, "OK_SCRIPT_NO_SENTINEL");
    assert.ok(noSentinel.code);
    const noScript = await run(fake("no-script"));
    assert.equal(noScript.status, "ERR_NO_SCRIPT");
    assert.equal(noScript.code, null);
    assert.equal(noScript.costUsd, 0.001);
  });

  it("kills an agent at its time limit, with every process of its uid", async () => {
    const t0 = Date.now();
    const r = await run(fake("sleep", { timeLimitSec: 5 }));
    const took = Date.now() - t0;
    assert.equal(r.timedOut, true);
    assert.ok(took < 20_000, `stopped in ${took} ms`);
    // What it wrote before the limit still counts, as in the benchmark (the script exists).
    assert.equal(r.status, "OK_SCRIPT_NO_SENTINEL");
  });

  it("kills an agent whose priced usage passes the budget", async () => {
    const r = await run(fake("spend", { budgetUsd: 1, timeLimitSec: 60 }), { prices: { input: 3, cached: 0.3, output: 15, cacheWrite: 3.75 } });
    assert.equal(r.budgetExceeded, true);
    assert.equal(r.timedOut, false);
    assert.ok(r.costUsd > 1 && r.costUsd < 3, `cost ${r.costUsd}`);
    assert.equal(r.usage.reportedCostUsd, null);
  });

  describe("network", () => {
    let server: Server;
    let port = 0;
    before(async () => {
      server = createServer((s) => s.on("data", (d) => d.toString().includes("ping") && s.end("pong\n")));
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      port = (server.address() as { port: number }).port;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    it("has none by default: no proxy, and no route to the host", async () => {
      const r = await run(fake("network", {}, ["--direct", `127.0.0.1:${port}`, "--denied", `127.0.0.1:${port}`]));
      const net = JSON.parse(r.transcript.split("\n").find((l) => l.includes('"type":"net"'))!);
      assert.notEqual(net.direct, "connected");
      assert.equal(net.external, "ENETUNREACH", "no route anywhere");
      assert.equal(net.proxy, null);
      assert.notEqual(net.denied, "tunnel ok");
      assert.deepEqual(r.network.allowed, []);
    });

    it("reaches only allowlisted hosts through the proxy", async () => {
      const r = await run(fake("network", { allowHosts: [`127.0.0.1:${port}`] }, ["--direct", `127.0.0.1:${port}`, "--allowed", `127.0.0.1:${port}`, "--denied", "example.com:443"]));
      const net = JSON.parse(r.transcript.split("\n").find((l) => l.includes('"type":"net"'))!);
      assert.notEqual(net.direct, "connected", "direct connections stay impossible");
      assert.equal(net.external, "ENETUNREACH");
      assert.equal(net.allowed, "tunnel ok");
      assert.equal(net.denied, "403");
      assert.deepEqual(r.network.allowed, [`127.0.0.1:${port}`]);
      assert.deepEqual(r.network.denied, ["example.com:443"]);
    });
  });

  it("treats what a hostile agent leaves as data: symlinked script, FIFO sentinel, floods", async () => {
    const before = readdirSync("/etc").length;
    const r = await run(fake("hostile"), { transcriptHeadBytes: 64 * 1024, transcriptTailBytes: 16 * 1024 });
    assert.equal(r.status, "ERR_NO_SCRIPT");
    assert.equal(r.code, null);
    assert.ok(r.problems.some((p) => /AgCube_seed0\.py/.test(p)), r.problems.join("; "));
    assert.ok(r.problems.some((p) => /\.agent_done/.test(p)), r.problems.join("; "));
    assert.ok(r.transcript.length < 100 * 1024, `transcript ${r.transcript.length} chars`);
    assert.ok(r.transcriptBytes > 6 * 1024 * 1024);
    assert.match(r.transcript, /bytes of transcript dropped/);
    assert.doesNotMatch(r.transcript, /\0/);
    // The result line came after the flood: still parsed.
    assert.equal(r.usage.reportedCostUsd, 0.004);
    assert.equal(readdirSync("/etc").length, before);
  });

  it("refuses a script over the size cap and a sentinel that is a symlink", async () => {
    const r = await run(fake("hostile-big"));
    assert.equal(r.status, "ERR_NO_SCRIPT");
    assert.ok(r.problems.some((p) => /AgCube_seed0\.py is \d+ bytes \(limit 1048576\)/.test(p)), r.problems.join("; "));
    assert.ok(r.problems.some((p) => /\.agent_done/.test(p)), r.problems.join("; "));
  });

  it("stops an agent that fills its workspace past the disk budget", async () => {
    const r = await run(fake("fill", { timeLimitSec: 60 }), { maxDiskMiB: 96 });
    assert.match(r.diskLimited ?? "", /job folder above 96 MiB/);
    assert.equal(r.timedOut, false);
    assert.equal(r.status, "OK_SCRIPT_NO_SENTINEL");
  });
});
