/**
 * The HTML report's SVG charts as drawn: readable ticks for a learning rate, the equilibrium line and
 * its whole label inside the plot however far the losses are from it, the label where the curves leave
 * it readable, and every word on and around a chart in the report's language.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import type { CurveBucket } from "../src/monitor/signals/curve.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { renderHtmlReport } from "../src/report/html.ts";
import { type ChartSpec, svgChart, textWidth } from "../src/report/svg-chart.ts";
import { replayPoints } from "../src/sources/replay.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { coveredLength } from "../web/label-placement.js";

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));

/** One bucket per point, as the monitor's curve holds a short run. */
function buckets(ys: number[], step = 10): CurveBucket[] {
  return ys.map((y, i) => ({
    fromStep: i * step,
    toStep: i * step,
    mean: y,
    min: y,
    max: y,
    smoothed: y,
    count: 1,
    nonFinite: 0,
  }));
}

const yTickLabels = (svg: string) =>
  [...svg.matchAll(/class="tick" text-anchor="end">([^<]*)</g)].map((m) => m[1]);
const frame = (svg: string) => {
  const m = /<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" class="frame"/.exec(svg);
  assert.ok(m, "a plot frame");
  const [x, y, w, h] = m.slice(1).map(Number);
  return { x, y, w, h };
};
/** The reference line's label: its text, its position, and a box of its estimated size. */
const refLabel = (svg: string) => {
  const m = /<text x="([\d.]+)" y="([\d.]+)" class="ref-label"[^>]*>([^<]*)</.exec(svg);
  assert.ok(m, "a labelled reference line");
  const [x, baseline] = [Number(m[1]), Number(m[2])];
  const width = textWidth(m[3], 11);
  return { text: m[3], x, y: baseline - 11 + 3, width, height: 11 };
};

test("a learning rate's axis reads 1e-4 … 2e-4, not 0 0 0", () => {
  const svg = svgChart({
    title: "lr_d",
    series: [{ label: "lr_d", color: "#000", buckets: buckets([2e-4, 1.8e-4, 1.5e-4, 1.2e-4, 1e-4]) }],
  });
  const labels = yTickLabels(svg);
  assert.ok(labels.length >= 3, labels.join(" "));
  assert.equal(new Set(labels).size, labels.length, labels.join(" "));
  for (const l of labels) assert.match(l, /^\d(\.\d+)?e-4$/);
});

test("an equilibrium far from the losses is inside the plot, its whole label too", () => {
  const spec: ChartSpec = {
    title: "loss_disc, loss_gen",
    series: [
      { label: "loss_disc", color: "#1565c0", buckets: buckets([3.3, 3.4, 3.35, 3.32]) },
      { label: "loss_gen", color: "#c62828", buckets: buckets([3.6, 3.7, 3.65, 3.67]) },
    ],
    lines: [{ y: 4.5, label: "loss_disc equilibrium 4.5", color: "#1565c0" }],
  };
  const svg = svgChart(spec);
  const f = frame(svg);
  const line = /<line [^>]*y1="([\d.]+)"[^>]*class="ref"/.exec(svg);
  assert.ok(line, "the line is drawn");
  const y = Number(line[1]);
  assert.ok(y > f.y && y < f.y + f.h, `line at ${y} inside ${f.y}..${f.y + f.h}`);
  const label = refLabel(svg);
  assert.ok(label.y >= f.y && label.y + label.height <= f.y + f.h, `label at ${label.y}`);
  assert.ok(label.x >= f.x && label.x + label.width <= f.x + f.w, `label at ${label.x}`);
});

test("the equilibrium's label goes where the curves do not cover it", () => {
  // loss_disc runs along its equilibrium (1.39) over the right half, where a label goes first.
  const disc = [1.0, 1.05, 1.1, 1.2, 1.3, 1.38, 1.4, 1.41, 1.42, 1.4];
  const svg = svgChart({
    title: "loss_disc, loss_gen",
    series: [{ label: "loss_disc", color: "#1565c0", buckets: buckets(disc) }],
    lines: [{ y: 1.386, label: "loss_disc equilibrium 1.39", color: "#1565c0" }],
  });
  const label = refLabel(svg);
  const pts =
    /<polyline points="([^"]*)"/
      .exec(svg)?.[1]
      .split(" ")
      .map((p) => p.split(",").map(Number)) ?? [];
  assert.ok(pts.length === disc.length);
  const covered = coveredLength(label, { xs: pts.map((p) => p[0]), ys: pts.map((p) => p[1]) });
  assert.equal(covered, 0, `the curve crosses the label at x ${label.x}`);
});

async function reportOf(path: string): Promise<MonitorReport> {
  const { runs } = await readRuns(path);
  const monitor = new BalanceMonitor({ hints: runs[0].hints });
  for (const p of replayPoints(runs[0])) monitor.push(p);
  monitor.flush();
  return monitor.report();
}

test("every word on and around the charts is Chinese in a Chinese report", async () => {
  const report = await reportOf(fixture("nashboard-runs/ring8-bce"));
  assert.ok(
    report.alerts.some((a) => a.kind === "spike"),
    "the run has spike alerts",
  );
  const zh = renderHtmlReport([{ id: "ring8-bce", format: "jsonl", report }], "zh");
  assert.match(zh, /class="axis-title"[^>]*>步数</);
  assert.match(zh, /loss_disc 均衡值 1\.39/);
  assert.match(zh, /<td>尖峰<\/td>/, "the alert's kind in words");
  assert.match(zh, /<title>第 \d+–\d+ 步：平衡（置信度 [\d.]+；判别器的领先/, "the band's evidence in words");
  const titles = [...zh.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]).join("\n");
  assert.doesNotMatch(titles, /\.rel|trend_z|judged_steps|spiked|confidence/, titles);
  assert.match(titles, /，loss_disc 相对其均衡值 /, "items apart with Chinese commas");
  const en = renderHtmlReport([{ id: "ring8-bce", format: "jsonl", report }], "en");
  assert.match(en, /<td>spike<\/td>/);
  assert.match(en, /class="axis-title"[^>]*>step</);
});
