/**
 * The launcher's supervisor with real child processes: restarts never give up, a crash loop is
 * reported, a process that stayed up long enough has its count reset, and stopping goes stage by
 * stage (the web server is gone before any worker is asked to stop).
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { CRASH_LOOP_AFTER, Supervisor } from "@/scripts/launcher/supervisor";

const dir = mkdtempSync(path.join(os.tmpdir(), "arena-supervisor-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const node = (code: string, name: string, stopStage?: number) => ({
  name,
  command: process.execPath,
  args: ["-e", code],
  env: { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv,
  cwd: dir,
  ...(stopStage === undefined ? {} : { stopStage }),
});

describe("supervisor", () => {
  it("keeps restarting a crashing process and reports the crash loop", async () => {
    const lines: string[] = [];
    const sup = new Supervisor(path.join(dir, "logs-a"), (l) => lines.push(l), { healthyAfterMs: 5_000, crashLoopDelayMs: 150 });
    sup.start(node("process.exit(3)", "crasher"));
    const deadline = Date.now() + 10_000;
    while (sup.report().crasher!.restarts < CRASH_LOOP_AFTER + 2 && Date.now() < deadline) await sleep(50);
    const r = sup.report().crasher!;
    assert.ok(r.restarts >= CRASH_LOOP_AFTER + 2, `restarted ${r.restarts} times: it never gives up`);
    assert.equal(r.crashLoop, true);
    assert.equal(r.lastExit, "exit code 3");
    assert.ok(lines.some((l) => /\[crasher\] crash loop: \d+ crashes/.test(l)), lines.join("\n"));
    await sup.stopAll(2_000);
  });

  it("resets the count of a process that stayed up for a healthy while", async () => {
    const sup = new Supervisor(path.join(dir, "logs-b"), () => undefined, { healthyAfterMs: 300, crashLoopDelayMs: 100 });
    sup.start(node("setTimeout(() => process.exit(1), 450)", "flaky"));
    const deadline = Date.now() + 15_000;
    while (sup.report().flaky!.restarts < CRASH_LOOP_AFTER + 1 && Date.now() < deadline) await sleep(50);
    const r = sup.report().flaky!;
    assert.ok(r.restarts > CRASH_LOOP_AFTER, `restarts ${r.restarts}`);
    assert.equal(r.crashLoop, false, "each run was healthy before it crashed");
    assert.ok(r.recentCrashes <= 1);
    await sup.stopAll(2_000);
  });

  it("stops the web stage before the workers, and each process only once", async () => {
    const log = path.join(dir, "stops.log");
    // Each child notes its SIGTERM and exits 300 ms later.
    const child = (name: string) =>
      `const fs=require("fs");process.on("SIGTERM",()=>{fs.appendFileSync(${JSON.stringify(log)},"term ${name} "+Date.now()+"\\n");setTimeout(()=>{fs.appendFileSync(${JSON.stringify(log)},"exit ${name} "+Date.now()+"\\n");process.exit(0)},300)});setInterval(()=>{},1000)`;
    const sup = new Supervisor(path.join(dir, "logs-c"), () => undefined);
    sup.start(node(child("worker-a"), "worker-a"));
    sup.start(node(child("web"), "web", 0));
    sup.start(node(child("worker-b"), "worker-b"));
    await sleep(500);
    await sup.stopAll(5_000);
    const events = readFileSync(log, "utf8").trim().split("\n").map((l) => l.split(" "));
    const at = (kind: string, name: string) => Number(events.find(([k, n]) => k === kind && n === name)![2]);
    for (const w of ["worker-a", "worker-b"]) assert.ok(at("term", w) >= at("exit", "web"), `${w} was asked to stop only after web exited`);
    assert.equal(events.length, 6, "one stop per process");
  });
});
