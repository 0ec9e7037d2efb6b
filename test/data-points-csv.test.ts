import assert from "node:assert/strict";
import { test } from "node:test";
import { DatasetError } from "../src/data/dataset-error.ts";
import { loadPointsCsv, parsePointsCsv, pointsDataset } from "../src/data/points-csv.ts";
import { Rng } from "../src/rng.ts";

const f32 = (xs: number[]) => Float32Array.from(xs);

test("reads two columns with any of the four separators, with or without a header", () => {
  const expected = f32([1, 2, -3.5, 4e-1, 0.25, -6]);
  const tables = [
    "x,y\n1,2\n-3.5,4e-1\n.25,-6\n",
    "1,2\n-3.5,4e-1\n.25,-6",
    "x;y\r\n1;2\r\n-3,5;0,4\r\n0.25;-6\r\n",
    "x\ty\n1\t2\n-3.5\t0.4\n0.25\t-6\n",
    "  1   2\n-3.5 0.4\n\n0.25     -6  \n",
    "1, 2\n-3.5 , 0.4\n+0.25,-6\n",
    "\uFEFFx,y\n# a comment\n1,2\n\n-3.5,0.4\n0.25,-6\n",
    "x y\n1,2\n-3.5,0.4\n0.25,-6\n",
  ];
  for (const text of tables) assert.deepEqual(parsePointsCsv(text), expected, JSON.stringify(text));
});

test("a bad row is an error naming its line", () => {
  const cases: [string, number, RegExp][] = [
    ["x,y\n1,2\n3,abc\n5,6\n", 3, /line 3: expected two numbers, got "3,abc"/],
    ["1,2\n3,4,5\n", 2, /line 2: expected 2 columns \(x, y\), found 3/],
    ["1,2\n3\n", 2, /line 2: expected 2 columns/],
    ["1,abc\n3,4\n5,6\n", 1, /line 1: expected two numbers/],
    ["1,2\n3,\n", 2, /line 2/],
    ["1,2\n\n\n3,NaN\n", 4, /line 4/],
    ["1,2\n3,Infinity\n", 2, /line 2/],
    ["1,2\n0x10,4\n", 2, /line 2/],
    ["1,2\n3,1e39\n", 2, /line 2/],
    ["1,2\n3;4\n", 2, /line 2/],
    ["x,y\n1,2\nx,y\n", 3, /line 3/],
  ];
  for (const [text, line, message] of cases) {
    assert.throws(
      () => parsePointsCsv(text),
      (err: unknown) =>
        err instanceof DatasetError && err.code === "data" && err.line === line && message.test(err.message),
      JSON.stringify(text),
    );
  }
});

test("fewer than two points is an error", () => {
  for (const text of ["", "x,y\n", "x,y\n1,2\n", "# nothing\n\n"]) {
    assert.throws(() => parsePointsCsv(text), {
      name: "DatasetError",
      code: "data",
      message: /at least 2 points/,
    });
  }
  assert.throws(() => pointsDataset(f32([1, 2])), { code: "data" });
  assert.throws(() => pointsDataset(f32([1, 2, 3])), { code: "data" });
});

test("sampling draws the file's rows uniformly with replacement, reproducibly", () => {
  const dataset = loadPointsCsv("x,y\n0,0\n1,0\n0,1\n5,5\n");
  assert.equal(dataset.name, "csv");
  assert.equal(dataset.modes, undefined);
  const n = 8000;
  const xy = dataset.sample(n, new Rng(2));
  const counts = new Map<string, number>();
  for (let i = 0; i < xy.length; i += 2) {
    const key = `${xy[i]},${xy[i + 1]}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  assert.deepEqual([...counts.keys()].sort(), ["0,0", "0,1", "1,0", "5,5"]);
  // Standard error of each frequency: sqrt(¼·¾/8000) ≈ 0.0048.
  for (const c of counts.values()) assert.ok(Math.abs(c / n - 0.25) < 0.025, `${c}`);
  assert.deepEqual(dataset.sample(30, new Rng(4)), dataset.sample(30, new Rng(4)));
});

test("jitter adds noise of the asked std around the rows; a bad jitter is refused", () => {
  const dataset = pointsDataset(f32([0, 0, 10, 10]), { jitter: 0.1 });
  const xy = dataset.sample(4000, new Rng(6));
  let sq = 0;
  for (let i = 0; i < xy.length; i += 2) {
    const [x, y] = [xy[i], xy[i + 1]];
    const [cx, cy] = x < 5 ? [0, 0] : [10, 10];
    sq += (x - cx) ** 2 + (y - cy) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(sq / xy.length) - 0.1) < 0.005);
  for (const jitter of [-1, Number.NaN, Infinity]) {
    assert.throws(() => pointsDataset(f32([0, 0, 1, 1]), { jitter }), { code: "usage" });
  }
});

test("the box holds every point with a margin, also when all points coincide", () => {
  const { box } = loadPointsCsv("-1,2\n3,4\n");
  // Ranges 4 and 2: a margin of 10% of the larger one on every side.
  assert.deepEqual(box, { xMin: -1.4, xMax: 3.4, yMin: 1.6, yMax: 4.4 });
  const same = loadPointsCsv("2,2\n2,2\n").box;
  assert.deepEqual(same, { xMin: 1, xMax: 3, yMin: 1, yMax: 3 });
});

test("the dataset keeps its own copy of the points", () => {
  const points = f32([0, 0, 1, 1]);
  const dataset = pointsDataset(points);
  points.fill(99);
  const xy = dataset.sample(20, new Rng(1));
  assert.ok(xy.every((v) => v === 0 || v === 1));
});
