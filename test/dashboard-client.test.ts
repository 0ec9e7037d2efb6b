/**
 * The page's number work, run in Node on the same modules the browser loads: TensorBoard's smoothing
 * against the monitor's DebiasedEma (the reference implementation), and the pixel-width decimation's
 * promises (every column's extremes kept, at most two points per column, NaN kept as a gap, a resumed
 * run's stretches kept apart).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { DebiasedEma } from "../src/monitor/signals/smoothing.ts";
import { Rng } from "../src/rng.ts";

type Smooth = (values: ArrayLike<number>, weight: number) => Float64Array;
type Decimate = (
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  xMin: number,
  xMax: number,
  columns: number,
) => { x: number[]; y: (number | null)[] };

// Plain JS modules of web/ (typed by JSDoc, checked by `tsc -p web`): imported by URL.
const { smooth } = (await import(new URL("../web/smooth.js", import.meta.url).href)) as { smooth: Smooth };
const { decimate } = (await import(new URL("../web/decimate.js", import.meta.url).href)) as {
  decimate: Decimate;
};

test("smoothing equals the monitor's debiased EMA (TensorBoard's formula), NaN passing through", () => {
  const rng = new Rng(7);
  const values = Array.from({ length: 5000 }, (_, i) => (i % 997 === 500 ? Number.NaN : 1 + rng.uniform()));
  for (const w of [0, 0.6, 0.9, 0.99]) {
    const ema = new DebiasedEma(w);
    const out = smooth(values, w);
    for (let i = 0; i < values.length; i++) {
      const want = ema.push(values[i]);
      if (Number.isNaN(want)) assert.ok(Number.isNaN(out[i]), `NaN at ${i}`);
      else
        assert.ok(Math.abs(out[i] - want) <= 1e-12 * Math.abs(want), `w ${w} at ${i}: ${out[i]} vs ${want}`);
    }
  }
  assert.deepEqual([...smooth([2, 2, 2], 0.9)], [2, 2, 2], "a constant series stays exact");
});

test("decimation keeps every pixel column's minimum and maximum, two points per column at most", () => {
  const n = 200_000;
  const xs = Float64Array.from({ length: n }, (_, i) => i);
  const ys = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 300) + (i === 123_457 ? 9 : 0));
  const columns = 500;
  const d = decimate(xs, ys, n, 0, n - 1, columns);
  assert.ok(d.x.length <= 2 * (columns + 2), `${d.x.length} points`);
  assert.ok(d.y.includes(ys[123_457]), "a one-point spike survives");
  const width = (n - 1) / columns;
  for (const col of [0, 17, 250, 499]) {
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      if (Math.floor(i / width) !== col) continue;
      lo = Math.min(lo, ys[i]);
      hi = Math.max(hi, ys[i]);
    }
    const kept = d.x.map((x, k) => [x, d.y[k]] as const).filter(([x]) => Math.floor(x / width) === col);
    assert.deepEqual(
      [Math.min(...kept.map(([, y]) => y as number)), Math.max(...kept.map(([, y]) => y as number))],
      [lo, hi],
    );
  }
  for (let k = 1; k < d.x.length; k++) assert.ok(d.x[k] >= d.x[k - 1], "x increases");
});

test("decimation of a zoomed range, NaN as a gap, a resumed run's stretches apart", () => {
  const xs = [1, 2, 3, 4, 5, 3, 4, 5, 6];
  const ys = [1, Number.NaN, 3, 4, 5, 30, 40, 50, 60];
  const d = decimate(xs, ys, xs.length, 0, 10, 100);
  assert.deepEqual(d.x, [1, 2, 3, 4, 5, 5, 3, 4, 5, 6]);
  assert.deepEqual(d.y, [1, null, 3, 4, 5, null, 30, 40, 50, 60]);
  const zoom = decimate([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10, 3.5, 5.5, 100);
  assert.deepEqual(zoom.x, [3, 4, 5, 6], "the visible points and one beyond each edge");
});

test("the sample panel's caption says when the generated samples came through D, in both languages", async () => {
  type Caption = (step: number, source: string, reject?: number) => string;
  const { STRINGS } = (await import(new URL("../web/i18n.js", import.meta.url).href)) as {
    STRINGS: Record<"en" | "zh", { panelCaption: Caption }>;
  };
  assert.equal(STRINGS.en.panelCaption(200, "live"), "step 200 (live from the trainer)");
  assert.match(
    STRINGS.en.panelCaption(200, "checkpoint", 0.05),
    /through D, the 5% it scores least real discarded$/,
  );
  assert.match(STRINGS.zh.panelCaption(200, "live", 0.05), /丢弃判别器认为最不真实的 5%$/);
});
