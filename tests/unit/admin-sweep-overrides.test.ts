/** Sweep-level harness/retries overrides (admin console) and the admin Python highlighter. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { renderToStaticMarkup } from "react-dom/server";
import { sweepOverrides, withSweepOverrides } from "@/lib/sweeps/overrides";
import { PythonCode } from "@/components/ui/python-code";

const llm = { slug: "m", provider: "openai", harness: "single-shot", settings: { temperature: 0.2 } };

describe("sweep overrides", () => {
  it("apply harness and retries to LLM contestants only", () => {
    const c = withSweepOverrides(llm, { harness: "multi-turn", retries: 1, profile: "preview" });
    assert.equal(c.harness, "multi-turn");
    assert.deepEqual(c.settings, { temperature: 0.2, retries: 1 });
    assert.deepEqual(llm.settings, { temperature: 0.2 }, "the row is not mutated");
    const base = { slug: "reference", provider: "baseline", harness: "baseline", settings: {} };
    assert.equal(withSweepOverrides(base, { harness: "multi-turn", retries: 3 }), base);
  });

  it("leave the contestant alone without overrides, and ignore bad values", () => {
    assert.equal(withSweepOverrides(llm, { profile: "preview" }), llm);
    assert.deepEqual(sweepOverrides({ harness: "three-shot", retries: 9 }), {});
    assert.deepEqual(sweepOverrides(null), {});
  });
});

describe("python highlighter", () => {
  it("colours keywords, strings and comments and escapes the rest", () => {
    const html = renderToStaticMarkup(PythonCode({ code: 'import bpy\n# a <comment>\nx = "def"  # if\nif x: pass' }));
    assert.match(html, /<span class="text-violet-300" data-token="keyword">import<\/span>/);
    assert.match(html, /<span class="text-arena-muted italic" data-token="comment"># a &lt;comment&gt;<\/span>/);
    assert.match(html, /<span class="text-emerald-300" data-token="string">&quot;def&quot;<\/span>/);
    assert.ok(!html.includes("<comment>"));
  });
});
