import assert from "node:assert/strict";
import { test } from "node:test";
import { grid25, ring8 } from "../src/data/builtin-mixtures.ts";
import type { Point2 } from "../src/data/dataset.ts";
import { modeCoverage } from "../src/eval/mode-coverage.ts";
import { Rng } from "../src/rng.ts";

const RING = ring8.modes!;
const GRID = grid25.modes!;

/** `count` copies of each given point, interleaved. */
function repeat(points: readonly Point2[], count: number): Float32Array {
  const xy = new Float32Array(2 * points.length * count);
  points.forEach((p, j) => {
    for (let i = 0; i < count; i++) xy.set(p, 2 * (j * count + i));
  });
  return xy;
}

test("samples exactly on every mode, equal counts: all HQ, all modes, reverse KL 0", () => {
  for (const modes of [RING, GRID]) {
    const result = modeCoverage(repeat(modes.centres, 100), modes);
    assert.equal(result.hq, 1);
    assert.equal(result.modes, modes.centres.length);
    assert.equal(result.modes_total, modes.centres.length);
    assert.ok(Math.abs(result.reverse_kl) < 1e-12);
    assert.deepEqual(result.mode_counts, new Array(modes.centres.length).fill(100));
  }
});

test("samples on one mode only: 1 mode, reverse KL = ln K", () => {
  const ring = modeCoverage(repeat([RING.centres[3]], 2500), RING);
  assert.equal(ring.modes, 1);
  assert.equal(ring.hq, 1);
  assert.ok(Math.abs(ring.reverse_kl - Math.log(8)) < 1e-12);
  assert.equal(ring.mode_counts[3], 2500);
  const grid = modeCoverage(repeat([GRID.centres[12]], 100), GRID);
  assert.ok(Math.abs(grid.reverse_kl - Math.log(25)) < 1e-12);
});

test("two modes with equal counts: reverse KL = ln 8 − ln 2; unequal counts: the KL of the counts", () => {
  const equal = modeCoverage(repeat([RING.centres[0], RING.centres[5]], 50), RING);
  assert.equal(equal.modes, 2);
  assert.ok(Math.abs(equal.reverse_kl - Math.log(4)) < 1e-12);
  const xy = Float32Array.from([...repeat([RING.centres[0]], 30), ...repeat([RING.centres[1]], 10)]);
  const unequal = modeCoverage(xy, RING);
  const expected = 0.75 * Math.log(0.75 * 8) + 0.25 * Math.log(0.25 * 8);
  assert.ok(Math.abs(unequal.reverse_kl - expected) < 1e-12);
});

test("a point 2.9 std from a mode is HQ, one 3.1 std away is not, in any direction", () => {
  for (const modes of [RING, GRID]) {
    const [cx, cy] = modes.centres[1];
    for (let a = 0; a < 16; a++) {
      const angle = (2 * Math.PI * a) / 16 + 0.1;
      const at = (k: number) =>
        Float32Array.of(cx + k * modes.std * Math.cos(angle), cy + k * modes.std * Math.sin(angle));
      const near = modeCoverage(at(2.9), modes);
      const far = modeCoverage(at(3.1), modes);
      assert.equal(near.hq, 1);
      assert.equal(near.modes, 1);
      assert.equal(near.mode_counts[1], 1);
      assert.equal(far.hq, 0);
      assert.equal(far.modes, 0);
    }
  }
});

test("only HQ samples enter the mode histogram and its KL; all samples count in hq", () => {
  // 100 on mode 0, 100 far from every mode: half HQ, and the HQ histogram is concentrated.
  const far = Array.from({ length: 100 }, () => [0, 0] as const);
  const xy = Float32Array.from([...repeat([RING.centres[0]], 100), ...repeat(far, 1)]);
  const result = modeCoverage(xy, RING);
  assert.equal(result.hq, 0.5);
  assert.equal(result.modes, 1);
  assert.ok(Math.abs(result.reverse_kl - Math.log(8)) < 1e-12);
});

test("uniform noise far from the modes: no HQ sample, no mode, reverse KL NaN", () => {
  const rng = new Rng(1);
  const xy = new Float32Array(5000);
  for (let i = 0; i < xy.length; i += 2) {
    // An annulus of radii 2.5..4 around the ring: at least 0.5 from every mode.
    const r = 2.5 + 1.5 * rng.uniform();
    const t = 2 * Math.PI * rng.uniform();
    [xy[i], xy[i + 1]] = [r * Math.cos(t), r * Math.sin(t)];
  }
  const result = modeCoverage(xy, RING);
  assert.equal(result.hq, 0);
  assert.equal(result.modes, 0);
  assert.ok(Number.isNaN(result.reverse_kl));
  assert.deepEqual(result.mode_counts, new Array(8).fill(0));
});

test("uniform noise over the whole box is almost never HQ", () => {
  // Expected HQ fraction: 8 discs of radius 0.06 in a 6.1² box, ≈ 0.0024.
  const rng = new Rng(2);
  const xy = Float32Array.from({ length: 20000 }, () => -3.05 + 6.1 * rng.uniform());
  const result = modeCoverage(xy, RING);
  assert.ok(result.hq < 0.006, `hq ${result.hq}`);
});

test("NaN and infinite samples are never HQ but count in the denominator", () => {
  const xy = Float32Array.from([...RING.centres[2], Number.NaN, 0, 0, Number.NaN, Infinity, 2, -Infinity, 0]);
  const result = modeCoverage(xy, RING);
  assert.equal(result.hq, 0.2);
  assert.equal(result.modes, 1);
  assert.equal(result.mode_counts[2], 1);
});

test("real samples score the Gaussian's 3-std mass, 1 − e^(−9/2) ≈ 0.9889", () => {
  for (const dataset of [ring8, grid25]) {
    const result = modeCoverage(dataset.sample(20000, new Rng(8)), dataset.modes!);
    // Standard error sqrt(0.011·0.989/20000) ≈ 0.0007.
    assert.ok(Math.abs(result.hq - (1 - Math.exp(-4.5))) < 0.003, `${dataset.name} hq ${result.hq}`);
    assert.equal(result.modes, result.modes_total);
    assert.ok(result.reverse_kl < 0.005);
  }
});
