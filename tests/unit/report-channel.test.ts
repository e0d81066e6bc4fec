/**
 * Process 1's report channel as the host reads it (report-channel.ts) and what it decides
 * (stage-verdict.ts): records a script forged on the same descriptor never decide more than the
 * script could by ordinary means, and every one of them is tamper evidence.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CHANNEL_MAX_BYTES, ReportChannel, ZRunRecord, type RunRecord } from "@/blender-runner/client/report-channel";
import type { ProcOutcome } from "@/blender-runner/client/sandbox-process";
import { runVerdict, tamperEvidence } from "@/blender-runner/client/stage-verdict";
import type { RunLimits } from "@/blender-runner/client/types";

const LIMITS: RunLimits = { wallSeconds: 30, cpuSeconds: 60, memoryMiB: 3072, maxProcesses: 64, maxFileMiB: 64, threads: 1 };
const EXITED: ProcOutcome = { code: 0, signal: null, timedOut: false, cpuLimited: false, diskLimited: null, stderr: "", combined: "", peakMiB: 100, cpuSeconds: 1 };
const SHA = "a".repeat(64);

function channel(...lines: (string | object)[]): ReportChannel<RunRecord> {
  const ch = new ReportChannel(ZRunRecord);
  for (const l of lines) ch.push(Buffer.from(`\n${typeof l === "string" ? l : JSON.stringify(l)}\n`));
  ch.end();
  return ch;
}

const ready = { t: "ready", blenderVersion: "5.0.1", startup: 0.9 };
const phase = (p: string) => ({ t: "phase", phase: p });
const script = (error: string | null) => ({ t: "script", error, seconds: 0.1 });
const saved = { t: "saved", file: "out/scene.blend", bytes: 10, sha256: SHA, seconds: 0.01 };
const end = { t: "end" };

describe("report channel", () => {
  it("parses records split across chunks and ignores blank lines", () => {
    const ch = new ReportChannel(ZRunRecord);
    const text = `\n${JSON.stringify(ready)}\n\n${JSON.stringify(phase("script"))}\n`;
    for (const c of text) ch.push(Buffer.from(c));
    ch.end();
    assert.deepEqual(ch.records.map((r) => r.t), ["ready", "phase"]);
    assert.deepEqual(ch.problems, []);
  });

  it("keeps malformed, unknown and unterminated lines as problems, never as records", () => {
    const ch = new ReportChannel(ZRunRecord);
    ch.push(Buffer.from(`{"t":"script","error":null}\nnot json\n{"t":"result","status":"OK"}\n{"t":"end"`));
    ch.end();
    assert.deepEqual(ch.records, []);
    assert.equal(ch.problems.length, 4);
  });

  it("stops reading past its byte cap", () => {
    const ch = new ReportChannel(ZRunRecord);
    const line = Buffer.from(`${JSON.stringify({ t: "audit", event: "x", site: "s", detail: "d".repeat(1000) })}\n`);
    for (let i = 0; i < (CHANNEL_MAX_BYTES / line.length) + 10; i++) ch.push(line);
    assert.equal(ch.overflow, true);
    assert.ok(ch.problems.some((p) => /more than/.test(p)));
  });
});

describe("process 1 verdict", () => {
  it("a clean run: saved, no evidence", () => {
    const ch = channel(ready, phase("script"), script(null), phase("save"), saved, end);
    assert.equal(runVerdict(ch, EXITED, LIMITS).kind, "saved");
    assert.deepEqual(tamperEvidence(ch), []);
  });

  it("the script raised: ERR_EXEC with its text", () => {
    const v = runVerdict(channel(ready, phase("script"), script("ValueError: boom\n"), end), EXITED, LIMITS);
    assert.deepEqual(v, { kind: "failed", failure: { status: "ERR_EXEC", errorText: "ValueError: boom\n", phase: "done" } });
  });

  it("a forged 'no error' before a real exception: the harness's later record wins, and it is evidence", () => {
    const ch = channel(ready, phase("script"), script(null), end, script("RuntimeError: after forging\n"), end);
    const v = runVerdict(ch, EXITED, LIMITS);
    assert.equal(v.kind === "failed" && v.failure.status, "ERR_EXEC");
    const ev = tamperEvidence(ch);
    assert.ok(ev.some((e) => e.event === "duplicate record" && /2 "script"/.test(e.detail!)));
    assert.ok(ev.some((e) => e.event === "duplicate record" && /2 "end"/.test(e.detail!)));
  });

  it("a forged end without a saved scene, then os._exit: ERR_NOLOG in the script phase, and evidence", () => {
    const ch = channel(ready, phase("script"), script(null), end);
    const v = runVerdict(ch, EXITED, LIMITS);
    assert.equal(v.kind, "failed");
    if (v.kind === "failed") {
      assert.equal(v.failure.status, "ERR_NOLOG");
      assert.match(v.failure.errorText, /"script" phase, exit code 0/);
    }
    assert.ok(tamperEvidence(ch).some((e) => e.event === "end without a saved scene"));
  });

  it("junk on the channel is evidence; a forged status field changes nothing", () => {
    const ch = channel(ready, phase("script"), '{"status":"OK","stats":{"faces":424242}}', "garbage", script(null), phase("save"), saved, end);
    assert.equal(runVerdict(ch, EXITED, LIMITS).kind, "saved");
    assert.equal(tamperEvidence(ch).filter((e) => e.source === "channel").length, 2);
  });

  it("limits keep their meaning: wall clock in the script phase is ERR_TIMEOUT; memory in save is ERR_EXPORT", () => {
    const t = runVerdict(channel(ready, phase("script")), { ...EXITED, code: null, signal: "SIGKILL", timedOut: true }, LIMITS);
    assert.deepEqual(t.kind === "failed" && [t.failure.status, t.failure.errorText], ["ERR_TIMEOUT", "Wall-clock limit of 30 s exceeded (phase: script)"]);
    const m = runVerdict(channel(ready, phase("script"), script(null), phase("save")), { ...EXITED, code: 137, memoryLimited: true }, LIMITS);
    assert.equal(m.kind === "failed" && m.failure.status, "ERR_EXPORT");
  });

  it("audit records become evidence with their site", () => {
    const ch = channel(ready, { t: "audit", event: "gc.get_objects", site: "/job/script.py:3", detail: "" }, script(null), saved, end);
    assert.deepEqual(tamperEvidence(ch), [{ source: "audit", event: "gc.get_objects", site: "/job/script.py:3", detail: null }]);
  });
});
