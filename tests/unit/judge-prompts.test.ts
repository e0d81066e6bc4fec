/**
 * Judge prompts from a 3DCodeBench checkout (lib/judge/prompts.ts): read at run time as data from
 * the checkout's metrics/llm_judge/prompts/, through the untrusted reader. Uses a checkout made
 * here (our own wording), so nothing depends on which checkout the machine has.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { arenaJudgePrompt, benchmarkJudgePrompt, BENCHMARK_JUDGE_FILES, JudgePromptError, loadJudgePrompt, promptForRun } from "@/lib/judge/prompts";

let root: string;
let checkout: string;
const IMAGE_PROMPT = "You are a test judge for renders. Answer with JSON.\n";
const CODE_PROMPT = "You are a test judge for scripts. Answer with JSON.\n";

before(() => {
  root = mkdtempSync(path.join(tmpdir(), "arena-judge-prompts-"));
  checkout = path.join(root, "checkout");
  mkdirSync(path.join(checkout, "metrics/llm_judge/prompts"), { recursive: true });
  writeFileSync(path.join(checkout, BENCHMARK_JUDGE_FILES.image), IMAGE_PROMPT);
  writeFileSync(path.join(checkout, BENCHMARK_JUDGE_FILES.code), CODE_PROMPT);
});

after(() => rmSync(root, { recursive: true, force: true }));

describe("judge prompts", () => {
  it("reads a checkout's prompt per mode verbatim, with a version of its own", async () => {
    const image = await benchmarkJudgePrompt(checkout, "image");
    const code = await loadJudgePrompt("3dcodebench", "code", checkout);
    assert.equal(image.system, IMAGE_PROMPT);
    assert.equal(code.system, CODE_PROMPT);
    assert.equal(code.set, `3dcodebench:${checkout}`);
    assert.match(image.version, /^3dcodebench-image-[0-9a-f]{12}$/);
    assert.notEqual(image.version, arenaJudgePrompt("image").version);
    // A run stores the set id; the job reloads the same wording from it.
    assert.deepEqual(await promptForRun(code.set, "code"), code);
    assert.deepEqual(await promptForRun("arena-default", "code"), arenaJudgePrompt("code"));
  });

  it("a changed wording is a new version", async () => {
    const before = await benchmarkJudgePrompt(checkout, "code");
    writeFileSync(path.join(checkout, BENCHMARK_JUDGE_FILES.code), `${CODE_PROMPT}Be brief.\n`);
    const changed = await benchmarkJudgePrompt(checkout, "code");
    writeFileSync(path.join(checkout, BENCHMARK_JUDGE_FILES.code), CODE_PROMPT);
    assert.notEqual(before.version, changed.version);
  });

  it("refuses a missing checkout, missing, empty, non-UTF-8 or symlinked prompt files", async () => {
    await assert.rejects(loadJudgePrompt("3dcodebench", "code", undefined), /BENCHMARK_CHECKOUT/);
    await assert.rejects(benchmarkJudgePrompt("relative/path", "code"), /absolute path/);
    await assert.rejects(benchmarkJudgePrompt(path.join(root, "nowhere"), "code"), JudgePromptError);
    const bad = path.join(root, "bad");
    const dir = path.join(bad, "metrics/llm_judge/prompts");
    mkdirSync(dir, { recursive: true });
    await assert.rejects(benchmarkJudgePrompt(bad, "image"), /has no metrics\/llm_judge\/prompts\/image_judge.txt/);
    writeFileSync(path.join(bad, BENCHMARK_JUDGE_FILES.image), "  \n");
    await assert.rejects(benchmarkJudgePrompt(bad, "image"), /is empty/);
    writeFileSync(path.join(bad, BENCHMARK_JUDGE_FILES.image), Buffer.from([0xff, 0xfe, 0x41]));
    await assert.rejects(benchmarkJudgePrompt(bad, "image"), /not UTF-8/);
    // A symlink out of the checkout (e.g. to a secret) is not followed.
    writeFileSync(path.join(root, "secret.txt"), "SECRET");
    symlinkSync(path.join(root, "secret.txt"), path.join(bad, BENCHMARK_JUDGE_FILES.code));
    await assert.rejects(benchmarkJudgePrompt(bad, "code"), JudgePromptError);
    await assert.rejects(promptForRun("something-else", "code"), /Unknown judge prompt set/);
  });
});
