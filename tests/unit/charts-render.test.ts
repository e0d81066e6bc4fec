// Plain .ts with createElement rather than .tsx: scripts/test.ts only collects *.test.ts files.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { createElement as h, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { textOn } from "@/components/charts/color-scale";
import { Heatmap } from "@/components/charts/heatmap";
import { IntervalChart } from "@/components/charts/interval-chart";
import { type Box, placeLabels } from "@/components/charts/label-layout";
import { LineChart } from "@/components/charts/line-chart";
import { ScatterChart, type ScatterPoint } from "@/components/charts/scatter-chart";

const CHARTS = join(import.meta.dirname, "..", "..", "components", "charts");

function render(element: ReactElement): string {
  const html = renderToStaticMarkup(element);
  assert.ok(!/NaN|undefined|Infinity/.test(html), "no NaN/undefined/Infinity leaks into the markup");
  return html;
}
const count = (html: string, needle: string) => html.split(needle).length - 1;
const attr = (html: string, name: string) => [...html.matchAll(new RegExp(`${name}="([^"]*)"`, "g"))].map((m) => m[1]!);

// Eight models like the leaderboard's: Elo 850-1250, costs 0 (a free baseline) and $0.001-$0.2.
const MODELS: ScatterPoint[] = [
  { id: "sonnet", label: "Claude Sonnet 4.5", x: 0.092, y: 1248, yLow: 1220, yHigh: 1276, href: "/m/sonnet" },
  { id: "gpt5", label: "GPT-5", x: 0.2, y: 1221, yLow: 1190, yHigh: 1252 },
  { id: "gemini", label: "Gemini 2.5 Pro", x: 0.061, y: 1187, yLow: 1157, yHigh: 1217 },
  { id: "deepseek", label: "DeepSeek V3.1", x: 0.0041, y: 1102, yLow: 1068, yHigh: 1136 },
  { id: "qwen", label: "Qwen3 Coder", x: 0.0062, y: 1089, yLow: 1053, yHigh: 1125 },
  { id: "mini", label: "GPT-5 mini", x: 0.012, y: 1071, yLow: 1036, yHigh: 1106 },
  { id: "llama", label: "Llama 4 Maverick", x: 0.001, y: 982, yLow: 942, yHigh: 1022 },
  { id: "blockout", label: "Blockout baseline", x: 0, y: 853, yLow: 808, yHigh: 898, muted: true },
];

describe("ScatterChart", () => {
  const scatter = (points: ScatterPoint[], extra: object = {}) =>
    render(h(ScatterChart, { testId: "sc", title: "Elo vs cost", xLabel: "Cost", yLabel: "Elo", xScale: "log", points, ...extra }));

  it("draws every point, error bar and label, with the frontier ids", () => {
    const html = scatter(MODELS, { frontier: true, stat: "Spearman ρ = 0.88", mutedLabel: "baseline" });
    assert.match(html, /^<figure[^>]*data-testid="sc"/);
    assert.match(html, /<svg[^>]*role="img"[^>]*aria-label="Elo vs cost: 8 points/);
    assert.equal(count(html, 'data-testid="sc-point"'), 8);
    assert.deepEqual(attr(html, "data-id").toSorted(), MODELS.map((p) => p.id).toSorted());
    assert.equal(count(html, "<title>"), 8, "one tooltip per point");
    for (const p of MODELS) assert.ok(html.includes(`>${p.label}</text>`), `label ${p.label}`);
    // Cheapest first: free baseline, then each model that beats every cheaper one on Elo.
    assert.deepEqual(attr(html, "data-ids"), ["blockout llama deepseek gemini sonnet"]);
    assert.equal(count(html, 'data-frontier="true"'), 5);
    assert.ok(html.includes("Spearman ρ = 0.88") && html.includes('data-testid="sc-stat"'));
    assert.ok(html.includes("Pareto frontier") && html.includes("95% CI") && html.includes(">baseline<"), "legend");
    assert.ok(html.includes('<a href="/m/sonnet">'), "points with href are links");
  });

  it("keeps zero-cost points on a labelled 'free' tick of a log axis", () => {
    const html = scatter(MODELS);
    assert.equal(count(html, 'data-free="true"'), 1);
    assert.match(html, /data-id="blockout"[^>]*data-free="true"/);
    assert.match(html, />free<\/tspan>/);
    assert.ok(html.includes(">0.001<") && html.includes(">0.1<"), "log ticks");
    assert.equal(count(scatter(MODELS.filter((p) => p.x > 0)), 'data-free="true"'), 0);
    assert.ok(!scatter(MODELS.filter((p) => p.x > 0)).includes(">free<"));
  });

  it("uses higher-is-better x for the frontier when invertX", () => {
    const exec = MODELS.map((p, i) => ({ ...p, x: [0.94, 0.91, 0.88, 0.83, 0.8, 0.85, 0.67, 1][i]! }));
    const html = render(h(ScatterChart, { testId: "ex", title: "t", xLabel: "Exec", yLabel: "Elo", points: exec, frontier: true, invertX: true }));
    assert.deepEqual(attr(html, "data-ids"), ["sonnet blockout"]);
  });

  it("handles one point, only free points, and no points", () => {
    const one = scatter([MODELS[3]!], { frontier: true });
    assert.equal(count(one, 'data-testid="sc-point"'), 1);
    assert.equal(attr(one, "data-ids")[0], "deepseek");
    const free = scatter([MODELS[7]!]);
    assert.equal(count(free, 'data-free="true"'), 1);
    const empty = scatter([]);
    assert.match(empty, /^<figure[^>]*data-testid="sc"/);
    assert.ok(empty.includes("No data yet"));
    assert.equal(count(scatter([{ id: "x", label: "x", x: Number.NaN, y: 1 }]), "No data yet"), 1);
  });
});

describe("Heatmap", () => {
  const labels = ["A", "B", "C"];
  const values = [
    [null, 0.62, 0.91],
    [0.38, null, 0.5],
    [0.09, 0.5, null],
  ];
  const heat = (extra: object = {}) =>
    render(h(Heatmap, { testId: "hm", title: "Win rate", rowLabels: labels, colLabels: labels, values, format: (v: number) => `${Math.round(v * 100)}%`, scheme: "diverging" as const, domain: [0, 1] as [number, number], center: 0.5, ...extra }));

  it("draws one cell per pair with row/col attributes, values and empty diagonal", () => {
    const html = heat();
    assert.match(html, /^<figure[^>]*data-testid="hm"/);
    assert.equal(count(html, 'data-testid="hm-cell"'), 9);
    assert.match(html, /data-row="A" data-col="B" data-value="0.62"><title>A vs B: 62%<\/title>/);
    assert.equal(count(html, ">—</text>"), 3, "null cells show a dash");
    assert.ok(html.includes(">91%</text>") && html.includes(">9%</text>"));
    assert.ok(html.includes('data-testid="hm-legend"') && html.includes(">50%</text>"), "legend with the centre");
  });

  it("colours the centre neutral and picks readable text", () => {
    const html = heat();
    const fills = [...html.matchAll(/data-value="0.5">.*?fill:(#[0-9a-f]{6})/g)].map((m) => m[1]);
    assert.deepEqual(fills, ["#2a3142", "#2a3142"]);
    assert.equal(textOn("#ffffff", "#e6e8ee", "#0b0d12"), "#0b0d12");
    assert.equal(textOn("#1e2536", "#e6e8ee", "#0b0d12"), "#e6e8ee");
  });

  it("renders a sequential scheme and an empty matrix", () => {
    const html = heat({ scheme: "sequential", domain: undefined, center: undefined, format: String });
    assert.equal(count(html, 'data-testid="hm-cell"'), 9);
    assert.ok(render(h(Heatmap, { testId: "hm", title: "t", rowLabels: [], colLabels: [], values: [], format: String, scheme: "sequential" })).includes("No data yet"));
  });
});

describe("LineChart", () => {
  const t0 = Date.UTC(2025, 10, 24, 21);
  const series = [
    { id: "a", label: "Model A", points: [0, 1, 2, 3].map((i) => ({ t: t0 + i * 3_600_000, y: 1200 + i, low: 1180, high: 1220 + i })) },
    { id: "b", label: "Model B", points: [2, 0, 1].map((i) => ({ t: t0 + i * 3_600_000, y: 1000 - i })) },
    { id: "c", label: "Model C", points: [{ t: t0 + 7_200_000, y: 900 }] },
    { id: "gone", label: "No points", points: [] },
  ];

  it("draws each series with points, a band, a legend and UTC time ticks", () => {
    const html = render(h(LineChart, { testId: "lc", title: "Elo over time", yLabel: "Elo", series }));
    assert.match(html, /^<figure[^>]*data-testid="lc"/);
    assert.deepEqual(attr(html, 'data-testid="lc-series" data-id'), ["a", "b", "c"]);
    assert.equal(count(html, 'data-testid="lc-legend-item"'), 3);
    assert.deepEqual(attr(html, 'data-testid="lc-band" data-id'), ["a"]);
    assert.ok(html.includes(">21:00</tspan>") && html.includes(">Nov 24</tspan>"), "date/time ticks");
    // The one-point series is a dot, not a path.
    const start = html.indexOf('data-testid="lc-series" data-id="c"');
    const c = html.slice(start, html.indexOf("</g>", start));
    assert.ok(!c.includes("<path") && c.includes("<circle"), c);
    assert.ok(html.includes("Nov 24 2025 23:00 UTC"), "tooltips carry the full stamp");
  });

  it("shows the empty state", () => {
    const html = render(h(LineChart, { testId: "lc", title: "t", yLabel: "Elo", series: [] }));
    assert.ok(html.includes('data-testid="lc"') && html.includes("No data yet"));
  });
});

describe("IntervalChart", () => {
  it("draws a row per item in order with its value and interval", () => {
    const items = MODELS.map((p) => ({ id: p.id, label: p.label, value: p.y, low: p.yLow!, high: p.yHigh!, href: p.href, note: p.muted ? "baseline" : undefined }));
    const html = render(h(IntervalChart, { testId: "iv", title: "Ratings", valueLabel: "Elo", items }));
    assert.match(html, /^<figure[^>]*data-testid="iv"/);
    assert.deepEqual(attr(html, 'data-testid="iv-item" data-id'), MODELS.map((p) => p.id));
    assert.ok(html.includes(">1248</tspan>") && html.includes(">1220–1276</tspan>"));
    assert.ok(html.includes(" · baseline"));
    assert.ok(html.includes('<a href="/m/sonnet">'));
    assert.ok(render(h(IntervalChart, { testId: "iv", title: "t", valueLabel: "Elo", items: [] })).includes("No data yet"));
  });
});

describe("chart kit", () => {
  it("places crowded labels without overlaps", () => {
    const requests = [0, 1, 2, 3, 4].map((i) => ({ x: 300 + i * 12, y: 200 + (i % 2) * 8, r: 5, width: 90 }));
    const placed = placeLabels(requests, [], { x0: 0, y0: 0, x1: 800, y1: 400 });
    const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
    for (let i = 0; i < placed.length; i++)
      for (let j = i + 1; j < placed.length; j++) assert.ok(!overlaps(placed[i]!.box, placed[j]!.box), `labels ${i} and ${j} overlap`);
  });

  it("stays server-renderable: no client directive, hooks or browser globals", () => {
    for (const file of readdirSync(CHARTS)) {
      const source = readFileSync(join(CHARTS, file), "utf8");
      assert.ok(!/["']use client["']|\buse[A-Z]\w*\(|\bwindow\.|\bdocument\./.test(source), file);
    }
  });
});
