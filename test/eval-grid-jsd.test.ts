import assert from "node:assert/strict";
import { test } from "node:test";
import type { Box } from "../src/data/dataset.ts";
import { gridHistogram, gridJsd, JSD_GRID_CELLS, jsdFromCounts } from "../src/eval/grid-jsd.ts";
import { Rng } from "../src/rng.ts";

const BOX: Box = { xMin: -1, xMax: 1, yMin: -1, yMax: 1 };

function uniformIn(n: number, rng: Rng, x0: number, x1: number, y0: number, y1: number): Float32Array {
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = x0 + (x1 - x0) * rng.uniform();
    xy[2 * i + 1] = y0 + (y1 - y0) * rng.uniform();
  }
  return xy;
}

test("the JSD of two histograms matches the formula, in nats", () => {
  // p = (1, 0), q = (½, ½), m = (¾, ¼).
  const expected = 0.5 * Math.log(1 / 0.75) + 0.5 * (0.5 * Math.log(0.5 / 0.75) + 0.5 * Math.log(0.5 / 0.25));
  assert.ok(Math.abs(jsdFromCounts([4, 0], [3, 3]) - expected) < 1e-15);
  assert.ok(Math.abs(expected - 0.2157615543388357) < 1e-12);
  assert.equal(jsdFromCounts([1, 2, 3], [2, 4, 6]), 0);
  assert.throws(() => jsdFromCounts([1, 2], [1, 2, 3]), RangeError);
  assert.throws(() => jsdFromCounts([0, 0], [1, 2]), RangeError);
});

test("disjoint samples score exactly ln 2; identical ones 0", () => {
  const rng = new Rng(1);
  const left = uniformIn(500, rng, -1, -0.1, -1, 1);
  const right = uniformIn(700, rng, 0.1, 1, -1, 1);
  assert.equal(gridJsd(left, right, BOX), Math.LN2);
  assert.equal(gridJsd(left, left, BOX), 0);
});

test("the JSD is symmetric", () => {
  const rng = new Rng(2);
  const a = uniformIn(1000, rng, -1, 0.5, -1, 1);
  const b = uniformIn(1500, rng, -0.5, 1, -0.8, 1);
  const ab = gridJsd(a, b, BOX);
  assert.ok(ab > 0.05 && ab < Math.LN2);
  assert.equal(ab, gridJsd(b, a, BOX));
});

test("each histogram is normalised by its own count: samples of different sizes can match", () => {
  const one = Float32Array.of(0.5, 0.5, -0.5, -0.5);
  const many = new Float32Array(400);
  for (let i = 0; i < 200; i += 2) many.set([0.5, 0.5, -0.5, -0.5], 2 * i);
  assert.equal(gridJsd(one, many, BOX), 0);
});

test("every point is binned: points outside the box and NaN go to the overflow bin", () => {
  const xy = Float32Array.of(0, 0, 2, 0, -1, -1, 1, 0, 0, 1, Number.NaN, 0, 0, Infinity, 0.999, 0.999);
  const counts = gridHistogram(xy, BOX, 10);
  assert.equal(counts.length, 101);
  assert.equal(
    counts.reduce((s, c) => s + c, 0),
    8,
  );
  // (2,0), (1,0) and (0,1) (the box is half-open), NaN and Infinity are outside.
  assert.equal(counts[100], 5);
  assert.equal(counts[0], 1); // (−1, −1): the first cell
  assert.equal(counts[5 * 10 + 5], 1); // (0, 0)
  assert.equal(counts[9 * 10 + 9], 1); // (0.999, 0.999): the last cell
});

test("a generator entirely outside the box scores ln 2, not 0 or NaN", () => {
  const rng = new Rng(3);
  const real = uniformIn(500, rng, -1, 1, -1, 1);
  const fake = uniformIn(500, rng, 5, 6, 5, 6);
  assert.equal(gridJsd(real, fake, BOX), Math.LN2);
  const nan = new Float32Array(1000).fill(Number.NaN);
  assert.equal(gridJsd(real, nan, BOX), Math.LN2);
  // Both outside: the same overflow bin, the same distribution at this resolution.
  assert.equal(gridJsd(fake, nan, BOX), 0);
});

test("the default grid is 61 cells, so 0 sits at a cell centre", () => {
  assert.equal(JSD_GRID_CELLS, 61);
  const counts = gridHistogram(Float32Array.of(0, 0, 0.015, -0.015), BOX);
  assert.equal(counts[30 * 61 + 30], 2);
  assert.throws(() => gridHistogram(new Float32Array(2), BOX, 0), RangeError);
  assert.throws(() => gridHistogram(new Float32Array(2), { ...BOX, xMax: -1 }), RangeError);
});
