import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";
import { FileSeries } from "../src/sources/run-builder.ts";
import { joinSeries, type Series } from "../src/sources/series.ts";
import { SeriesBuilder } from "../src/sources/series-builder.ts";

interface Point {
  tag: string;
  step: number;
  value: number;
  wallTime: number;
}

/** The points of each tag as plain arrays, to compare columns with. */
function expected(points: Point[], tag: string) {
  const own = points.filter((p) => p.tag === tag);
  return {
    steps: own.map((p) => p.step),
    values: own.map((p) => p.value),
    wallTimes: own.map((p) => p.wallTime),
  };
}

function columns(s: Series) {
  return { steps: [...s.steps], values: [...s.values], wallTimes: [...(s.wallTimes ?? [])] };
}

/** Feeds points to a FileSeries as an event file's parser does: through the columns it hands out. */
function feed(file: FileSeries, points: Point[]): void {
  for (const p of points) file.column(p.tag, p.tag).add(p.step, p.value, p.wallTime);
}

function build(file: FileSeries): Map<string, Series> {
  return new Map(file.builders.map((b) => [b.tag, joinSeries([{ file: "f", builder: b }])]));
}

test("series of one event file that advance together keep a single copy of the steps and wall times", () => {
  const tags = ["loss_disc", "loss_gen", "lr"];
  const points: Point[] = [];
  for (let step = 0; step < 1000; step++) {
    tags.forEach((tag, t) => {
      points.push({ tag, step, value: step * 10 + t, wallTime: 1e9 + step / 8 });
    });
  }
  const file = new FileSeries();
  feed(file, points);
  const series = build(file);
  for (const tag of tags) assert.deepEqual(columns(series.get(tag)!), expected(points, tag), tag);
  const [a, b, c] = tags.map((t) => series.get(t)!);
  assert.equal(a.steps.buffer, b.steps.buffer);
  assert.equal(a.wallTimes!.buffer, c.wallTimes!.buffer);
  assert.notEqual(a.values.buffer, b.values.buffer);
});

test("tags that skip events, repeat, start late or carry their own times keep exactly their points", () => {
  const rng = new Rng(7);
  for (let trial = 0; trial < 40; trial++) {
    const tags = ["a", "b", "c", "d"];
    const points: Point[] = [];
    let step = 0;
    for (let event = 0; event < 300; event++) {
      step += rng.int(4) === 0 ? -rng.int(5) : 1; // restarts too
      const wallTime = rng.int(10) === 0 ? Number.NaN : 1.7e9 + event;
      for (const tag of tags) {
        const roll = rng.int(12);
        if (roll === 0) continue; // missing from this event
        // Now and then a time of its own, or the tag twice in one event.
        const own = roll === 1 ? wallTime + 0.5 : wallTime;
        points.push({ tag, step, value: rng.normal(), wallTime: own });
        if (roll === 2) points.push({ tag, step, value: rng.normal(), wallTime: own });
      }
      if (trial % 2 === 1 && event === 150) tags.push("late");
    }
    const file = new FileSeries();
    feed(file, points);
    const series = build(file);
    for (const tag of new Set(points.map((p) => p.tag))) {
      assert.deepEqual(columns(series.get(tag)!), expected(points, tag), `trial ${trial} ${tag}`);
    }
  }
});

test("a forecast makes room at once: the series takes its columns without a copy", () => {
  const file = new FileSeries();
  const points: Point[] = [];
  for (let step = 0; step < 100_000; step++) {
    for (const tag of ["x", "y"]) points.push({ tag, step, value: Math.sin(step), wallTime: 2e9 + step });
  }
  feed(file, points.slice(0, 2000));
  file.forecast(1000, 100_000); // a hundredth of the file read, with a thousandth of its points
  feed(file, points.slice(2000));
  const x = build(file).get("x")!;
  assert.deepEqual(columns(x), expected(points, "x"));
  // One block, a little larger than needed, handed over as it is.
  const capacity = x.values.buffer.byteLength / 8;
  assert.ok(capacity >= 100_000 && capacity < 100_000 * 1.125, `capacity ${capacity}`);
});

test("a Series built earlier keeps its points while the file's columns grow (follow mode)", () => {
  const file = new FileSeries();
  const points: Point[] = [];
  for (let step = 0; step < 5000; step++) {
    for (const tag of ["x", "y"])
      points.push({ tag, step, value: step + (tag === "y" ? 0.5 : 0), wallTime: step });
  }
  feed(file, points.slice(0, 3001));
  const before = build(file);
  const snapshot = new Map([...before].map(([tag, s]) => [tag, columns(s)]));
  feed(file, points.slice(3001));
  for (const [tag, s] of before) assert.deepEqual(columns(s), snapshot.get(tag), tag);
  const after = build(file);
  for (const tag of ["x", "y"]) assert.deepEqual(columns(after.get(tag)!), expected(points, tag), tag);
});

test("the same tag from several files joins in file order; a file that starts lower is a new segment", () => {
  const first = new FileSeries();
  const second = new FileSeries();
  const make = (from: number, to: number) => {
    const out: Point[] = [];
    for (let step = from; step < to; step++) {
      for (const tag of ["x", "y"]) out.push({ tag, step, value: step, wallTime: 100 + step });
    }
    return out;
  };
  feed(first, make(0, 70_000));
  feed(second, make(50_000, 50_100));
  const pick = (f: FileSeries) => f.builders.find((b) => b.tag === "x")!;
  const s = joinSeries([
    { file: "a", builder: pick(first) },
    { file: "b", builder: pick(second) },
  ]);
  assert.equal(s.steps.length, 70_100);
  assert.deepEqual([...s.steps.subarray(69_998, 70_002)], [69_998, 69_999, 50_000, 50_001]);
  assert.deepEqual([...s.wallTimes!.subarray(69_999, 70_001)], [70_099, 50_100]);
  assert.equal(s.segments[69_999], 0);
  assert.equal(s.segments[70_000], 1);
  assert.deepEqual(s.files, ["a", "b"]);
});

test("text-format points (epochs, segments, lower bounds) and missing wall times keep their columns", () => {
  const b = new SeriesBuilder("loss_mel", "loss_mel");
  for (let i = 0; i < 200; i++) {
    b.addFull(
      i,
      75,
      i % 3 === 0 ? undefined : i,
      i % 5 === 0 ? undefined : 1 + (i >> 4),
      i >> 7,
      i % 2 === 0,
    );
  }
  const s = joinSeries([{ file: "train.log", builder: b }]);
  assert.equal(s.steps.length, 200);
  assert.ok(Number.isNaN(s.wallTimes![0]) && s.wallTimes![1] === 1);
  assert.ok(Number.isNaN(s.epochs![0]) && s.epochs![1] === 1);
  assert.equal(s.segments[127], 0);
  assert.equal(s.segments[128], 1);
  assert.deepEqual([...s.lowerBounds!.subarray(0, 4)], [1, 0, 1, 0]);
});

test("events handed over together land in their columns, whether or not the columns share the clock", () => {
  const rng = new Rng(5);
  for (let trial = 0; trial < 20; trial++) {
    const file = new FileSeries();
    const points: Point[] = [];
    const tags = ["a", "b", "c"];
    let step = 0;
    for (let round = 0; round < 30; round++) {
      // Some events one point at a time (the clock may be left), then a run handed over at once.
      for (let e = 0; e < rng.int(4); e++) {
        const one: Point[] = tags
          .filter(() => rng.int(4) > 0)
          .map((tag) => ({ tag, step, value: rng.normal(), wallTime: rng.int(8) === 0 ? step + 0.5 : step }));
        feed(file, one);
        points.push(...one);
        step++;
      }
      // The same column twice in one event, now and then.
      const layout = rng.int(10) === 0 ? ["a", "b", "a"] : tags;
      const count = 1 + rng.int(50);
      const steps = new Float64Array(count);
      const wallTimes = new Float64Array(count);
      const values = new Float64Array(count * layout.length);
      for (let e = 0; e < count; e++) {
        steps[e] = step;
        wallTimes[e] = step;
        layout.forEach((tag, i) => {
          values[e * layout.length + i] = rng.normal();
          points.push({ tag, step, value: values[e * layout.length + i], wallTime: step });
        });
        step++;
      }
      const columns = layout.map((tag) => file.column(tag, tag));
      file.addEvents(columns, count, steps, wallTimes, values);
    }
    const series = build(file);
    for (const tag of tags)
      assert.deepEqual(columns(series.get(tag)!), expected(points, tag), `${trial} ${tag}`);
  }
});
