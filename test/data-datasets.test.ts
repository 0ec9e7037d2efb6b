import assert from "node:assert/strict";
import { test } from "node:test";
import { grid25, ring8 } from "../src/data/builtin-mixtures.ts";
import type { Dataset, Modes } from "../src/data/dataset.ts";
import { DatasetError } from "../src/data/dataset-error.ts";
import { datasetNames, getDataset } from "../src/data/registry.ts";
import { NashboardError } from "../src/errors.ts";
import { Rng } from "../src/rng.ts";

/** Per-mode frequencies and the pooled per-axis std of the residuals around the nearest centre. */
function modeStats(xy: Float32Array, modes: Modes): { freq: number[]; std: number } {
  const counts = new Array<number>(modes.centres.length).fill(0);
  let sq = 0;
  const n = xy.length / 2;
  for (let i = 0; i < n; i++) {
    let best = Infinity;
    let j = -1;
    modes.centres.forEach((c, k) => {
      const d2 = (xy[2 * i] - c[0]) ** 2 + (xy[2 * i + 1] - c[1]) ** 2;
      if (d2 < best) [best, j] = [d2, k];
    });
    counts[j]++;
    sq += best;
  }
  return { freq: counts.map((c) => c / n), std: Math.sqrt(sq / (2 * n)) };
}

test("ring8 has 8 distinct centres on a circle of radius 2 at angles 2πi/8", () => {
  const { centres, std } = ring8.modes!;
  assert.equal(centres.length, 8);
  assert.equal(std, 0.02);
  centres.forEach((c, i) => {
    assert.ok(Math.abs(Math.hypot(c[0], c[1]) - 2) < 1e-12);
    const angle = (Math.atan2(c[1], c[0]) + 2 * Math.PI) % (2 * Math.PI);
    assert.ok(Math.abs(angle - (2 * Math.PI * i) / 8) < 1e-9, `centre ${i} at angle ${angle}`);
  });
  // Neighbours are 2·2·sin(π/8) ≈ 1.53 apart: no two centres coincide (the linspace bug would give 0).
  for (let a = 0; a < 8; a++) {
    for (let b = a + 1; b < 8; b++) {
      const d = Math.hypot(centres[a][0] - centres[b][0], centres[a][1] - centres[b][1]);
      assert.ok(d > 1.5, `centres ${a} and ${b} are ${d} apart`);
    }
  }
});

test("grid25 has its centres on {-4,-2,0,2,4}², std 0.05", () => {
  const { centres, std } = grid25.modes!;
  assert.equal(std, 0.05);
  const keys = new Set(centres.map((c) => `${c[0]},${c[1]}`));
  assert.equal(keys.size, 25);
  for (const x of [-4, -2, 0, 2, 4]) for (const y of [-4, -2, 0, 2, 4]) assert.ok(keys.has(`${x},${y}`));
});

for (const [dataset, n] of [
  [ring8, 8000],
  [grid25, 25000],
] as const) {
  test(`${dataset.name} samples hit every mode ~equally, with the stated std, inside the box`, () => {
    const modes = dataset.modes!;
    const xy = dataset.sample(n, new Rng(11));
    assert.equal(xy.length, 2 * n);
    const { freq, std } = modeStats(xy, modes);
    const k = modes.centres.length;
    // Each frequency has a standard error of sqrt(p(1−p)/n) ≈ 0.0037 (ring8), 0.0012 (grid25).
    for (const f of freq)
      assert.ok(Math.abs(f - 1 / k) < 5 * Math.sqrt(((1 / k) * (1 - 1 / k)) / n), `freq ${f}`);
    assert.ok(Math.abs(std / modes.std - 1) < 0.03, `std ${std}`);
    const { box } = dataset;
    for (let i = 0; i < xy.length; i += 2) {
      assert.ok(xy[i] >= box.xMin && xy[i] < box.xMax && xy[i + 1] >= box.yMin && xy[i + 1] < box.yMax);
    }
  });
}

test("the shapes have no modes and keep (nearly) all their points inside the box", () => {
  for (const name of ["moons", "spiral", "gaussian"]) {
    const dataset = getDataset(name);
    assert.equal(dataset.modes, undefined, name);
    const xy = dataset.sample(5000, new Rng(3));
    let inside = 0;
    for (let i = 0; i < xy.length; i += 2) {
      const { xMin, xMax, yMin, yMax } = dataset.box;
      if (xy[i] >= xMin && xy[i] < xMax && xy[i + 1] >= yMin && xy[i + 1] < yMax) inside++;
    }
    assert.ok(inside >= 4995, `${name}: ${inside} of 5000 inside`);
  }
});

test("gaussian is centred at (1, 1) with std 0.5", () => {
  const xy = getDataset("gaussian").sample(20000, new Rng(5));
  const n = xy.length / 2;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) [mx, my] = [mx + xy[2 * i] / n, my + xy[2 * i + 1] / n];
  let v = 0;
  for (let i = 0; i < n; i++) v += ((xy[2 * i] - mx) ** 2 + (xy[2 * i + 1] - my) ** 2) / (2 * n);
  assert.ok(Math.abs(mx - 1) < 0.02 && Math.abs(my - 1) < 0.02, `mean (${mx}, ${my})`);
  assert.ok(Math.abs(Math.sqrt(v) - 0.5) < 0.01, `std ${Math.sqrt(v)}`);
});

test("moons lie near their two arcs, half on each", () => {
  const xy = getDataset("moons").sample(4000, new Rng(9));
  let outer = 0;
  for (let i = 0; i < xy.length; i += 2) {
    const [x, y] = [xy[i], xy[i + 1]];
    // Outer arc: circle of radius 2 around (−1, −½), upper half; inner: its reflection through 0.
    const dOuter = Math.abs(Math.hypot(x + 1, y + 0.5) - 2);
    const dInner = Math.abs(Math.hypot(x - 1, y - 0.5) - 2);
    assert.ok(Math.min(dOuter, dInner) < 0.6, `(${x}, ${y}) is far from both arcs`);
    if (dOuter < dInner) outer++;
  }
  assert.ok(Math.abs(outer / 2000 - 1) < 0.1, `${outer} of 4000 on the outer arc`);
});

test("spiral points stay within radius 3 (plus noise) and spread evenly along the curve", () => {
  const xy = getDataset("spiral").sample(6000, new Rng(4));
  const radii = [];
  for (let i = 0; i < xy.length; i += 2) radii.push(Math.hypot(xy[i], xy[i + 1]));
  assert.ok(Math.max(...radii) < 3.3);
  // Even spread along r ∝ θ (arc length ∝ θ²) means P(r < R) = (R/3)²: half the points beyond 3/√2.
  const beyond = radii.filter((r) => r > 3 / Math.SQRT2).length / radii.length;
  assert.ok(Math.abs(beyond - 0.5) < 0.03, `fraction beyond 3/√2: ${beyond}`);
});

test("sampling is reproducible from a seed and resumable from the rng state", () => {
  for (const name of datasetNames) {
    const dataset = getDataset(name);
    assert.deepEqual(dataset.sample(50, new Rng(1)), dataset.sample(50, new Rng(1)), name);
    assert.notDeepEqual(dataset.sample(50, new Rng(1)), dataset.sample(50, new Rng(2)), name);
    const whole = dataset.sample(40, new Rng(7));
    const rng = new Rng(7);
    const first = dataset.sample(15, rng);
    const resumed = dataset.sample(25, Rng.fromState(rng.state()));
    assert.deepEqual(Float32Array.from([...first, ...resumed]), whole, name);
  }
});

test("sample fills a given buffer, views a longer one, refuses a short one", () => {
  const out = new Float32Array(20);
  assert.equal(ring8.sample(10, new Rng(1), out), out);
  assert.deepEqual(out, ring8.sample(10, new Rng(1)));
  const long = new Float32Array(30);
  const view = ring8.sample(10, new Rng(1), long);
  assert.equal(view.length, 20);
  assert.equal(view.buffer, long.buffer);
  assert.throws(() => ring8.sample(10, new Rng(1), new Float32Array(19)), {
    name: "DatasetError",
    code: "usage",
  });
  assert.throws(() => ring8.sample(-1, new Rng(1)), DatasetError);
  assert.throws(() => ring8.sample(2.5, new Rng(1)), DatasetError);
  assert.equal(ring8.sample(0, new Rng(1)).length, 0);
});

test("the registry lists the built-ins and names them all when asked for another", () => {
  assert.deepEqual([...datasetNames], ["ring8", "grid25", "moons", "spiral", "gaussian"]);
  for (const name of datasetNames) assert.equal(getDataset(name).name, name);
  for (const bad of ["ring", "toString", "__proto__", ""]) {
    assert.throws(
      () => getDataset(bad),
      (err: unknown) =>
        err instanceof DatasetError &&
        err.code === "usage" &&
        err.message.includes(`"${bad}"`) &&
        datasetNames.every((n) => err.message.includes(n)),
    );
  }
});

test("the built-in datasets cannot be changed by a caller", () => {
  const dataset: Dataset = getDataset("ring8");
  assert.ok(
    Object.isFrozen(dataset) && Object.isFrozen(dataset.modes) && Object.isFrozen(dataset.modes!.centres),
  );
  assert.ok(Object.isFrozen(dataset.box));
});

test("dataset errors are NashboardErrors, so the CLI renders them in one line", () => {
  assert.throws(
    () => getDataset("nope"),
    (err: unknown) => err instanceof NashboardError && err.code === "usage",
  );
});
