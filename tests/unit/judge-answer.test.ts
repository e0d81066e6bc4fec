/**
 * The judge's answer is untrusted text (lib/judge/parse.ts): a verdict in the vocabulary or an
 * invalid answer with its reason, never a guess. Also the A/B swap and the code cut.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mapBack, MAX_ANSWER_CHARS, parseJudgeAnswer } from "@/lib/judge/parse";
import { CODE_MAX_CHARS, judgeSettings, judgeUserMessage, swapFor, truncateCode, worstCaseOutputTokens } from "@/lib/judge/request";

const verdictOf = (text: string) => {
  const r = parseJudgeAnswer(text);
  return r.ok ? r.verdict : `invalid: ${r.reason}`;
};

describe("judge answer parsing", () => {
  it("reads the four verdicts, in a fence or with a sentence around the object", () => {
    assert.equal(verdictOf('{"winner": "a", "reasoning": "A has a handle."}'), "a");
    assert.equal(verdictOf('```json\n{"winner": "both_bad", "reasoning": "x"}\n```'), "both_bad");
    assert.equal(verdictOf('Here is my verdict: {"winner": "tie"} Thanks.'), "tie");
    assert.equal(verdictOf('{"winner": " B "}'), "b");
    const r = parseJudgeAnswer('{"winner": "a", "reasoning": "A is a chair."}');
    assert.deepEqual(r, { ok: true, verdict: "a", reasoning: "A is a chair." });
  });

  it("records hostile or malformed answers as invalid with a reason", () => {
    assert.equal(verdictOf(""), "invalid: empty answer");
    assert.equal(verdictOf("{winner: a"), "invalid: not JSON");
    assert.equal(verdictOf("I prefer A."), "invalid: not JSON");
    assert.equal(verdictOf('{"winner": "c"}'), 'invalid: winner "c" is not a, b, tie or both_bad');
    assert.equal(verdictOf('{"winner": "A is better"}'), 'invalid: winner "A is better" is not a, b, tie or both_bad');
    assert.equal(verdictOf('{"winner": 1}'), 'invalid: no "winner" string');
    assert.equal(verdictOf('["a"]'), "invalid: JSON but not an object");
    assert.equal(verdictOf('"a"'), "invalid: JSON but not an object");
    // Two objects with different winners: the span between them is not one object.
    assert.equal(verdictOf('{"winner": "a"} or maybe {"winner": "b"}'), "invalid: not JSON");
    const huge = `{"winner": "a", "reasoning": "${"x".repeat(MAX_ANSWER_CHARS)}"}`;
    assert.match(verdictOf(huge), /^invalid: answer too long/);
    // A prototype-polluting key is just data.
    assert.equal(verdictOf('{"__proto__": {"winner": "a"}}'), 'invalid: no "winner" string');
  });

  it("maps the shown winner back to the battle's order", () => {
    assert.equal(mapBack("a", true), "b");
    assert.equal(mapBack("b", true), "a");
    assert.equal(mapBack("tie", true), "tie");
    assert.equal(mapBack("both_bad", true), "both_bad");
    assert.equal(mapBack("a", false), "a");
  });
});

describe("judge request", () => {
  it("swaps deterministically per battle and judge, about half the time", () => {
    assert.equal(swapFor("battle-1", "judge-1"), swapFor("battle-1", "judge-1"));
    let swapped = 0;
    for (let i = 0; i < 1000; i++) if (swapFor(`battle-${i}`, "judge-1")) swapped++;
    // Binomial(1000, 0.5): 99.9% of runs land within 500 +- 52.
    assert.ok(swapped > 440 && swapped < 560, `swapped ${swapped} of 1000`);
  });

  it("cuts a long script at 60,000 characters with a marker and leaves short ones alone", () => {
    assert.equal(truncateCode("import bpy\n"), "import bpy\n");
    const long = "x = 1\n".repeat(20_000);
    const cut = truncateCode(long);
    assert.ok(cut.length <= CODE_MAX_CHARS, `${cut.length}`);
    assert.ok(cut.startsWith(long.slice(0, 1000)));
    assert.match(cut, /the script has 120000 characters/);
  });

  it("lays out both modes with the sides in the order given", () => {
    const png = { mediaType: "image/png", data: "AA==" };
    const task = { track: "image" as const, description: "A mug.", referenceViews: [png, png, png, png] };
    const m = judgeUserMessage("image", task, { code: null, renders: [png, png, png, png] }, { code: null, renders: [] });
    assert.equal(m.images.length, 8);
    assert.match(m.text, /images 1 to 4: the reference views/);
    assert.match(m.text, /images 5 to 8: System A/);
    assert.match(m.text, /System B, renders: no renders/);
    const c = judgeUserMessage("code", { ...task, track: "text" }, { code: "# first", renders: [] }, { code: "# second", renders: [] });
    assert.deepEqual(c.images, []);
    assert.ok(c.text.indexOf("# first") < c.text.indexOf("# second"));
    assert.match(c.text, /A mug\./);
  });

  it("judges at temperature 0 and low thinking with a small answer room", () => {
    const s = judgeSettings({ temperature: 0.7, reasoning: "high", maxOutputTokens: 60_000, baseUrl: "http://x" });
    assert.deepEqual(s, { temperature: 0, reasoning: "low", maxOutputTokens: 1024, baseUrl: "http://x" });
    assert.equal(worstCaseOutputTokens(s), 1024 + 2048);
    assert.equal(judgeSettings({}).temperature, undefined);
  });
});
