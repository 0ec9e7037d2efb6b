import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { Rng } from "../src/rng.ts";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import { TfRecordReader } from "../src/tfrecord/record-reader.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import type { ScalarPoint } from "../src/types.ts";
import { chunked, eventFiles, linslime, loadEventFile, parse } from "./helpers/tfevents.ts";

const load = loadEventFile;
const fixtures = new URL("./fixtures/tfevents/", import.meta.url);

/** Start offsets of the records of a well-formed file, and its length as the last boundary. */
function boundaries(bytes: Uint8Array): number[] {
  const at: number[] = [];
  new TfRecordReader("").push(bytes, (_b, _s, _e, offset) => at.push(offset));
  return [...at, bytes.length];
}

const isDerived = (p: ScalarPoint) => p.sourceTag.startsWith("sum(");

test("every real file decodes to exactly the expected scalars, NaN included", () => {
  assert.equal(eventFiles.length, 10);
  for (const name of eventFiles) {
    const { points, problems } = parse([load(name)], name);
    assert.deepEqual(problems, [], name);
    let csv: string;
    try {
      csv = readFileSync(new URL(`expected-scalars/${name}.scalars.csv`, fixtures), "utf8");
    } catch {
      // The eval writers' files hold only the version record.
      assert.equal(load(name).length, 40, name);
      assert.deepEqual(points, [], name);
      continue;
    }
    const [header, ...rows] = csv.trim().split(/\r?\n/);
    assert.equal(header, "step,wall_time,tag,value,encoding");
    const read = points.filter((p) => !isDerived(p));
    assert.equal(read.length, rows.length, name);
    rows.forEach((row, i) => {
      const [step, wallTime, tag, value, encoding] = row.split(",");
      const p = read[i];
      assert.equal(encoding, "simple_value");
      assert.equal(p.sourceTag, tag, `${name} row ${i + 1}`);
      assert.equal(p.step, Number(step));
      assert.equal(p.wallTime, Number(wallTime));
      const expected = value === "nan" ? Number.NaN : Number(value.replace("inf", "Infinity"));
      assert.ok(Object.is(p.value, expected), `${name} row ${i + 1}: ${p.value} !== ${value}`);
    });
  }
});

test("RVC/VITS tags become canonical tags, with hints and a derived loss_gen", () => {
  const { points, hints } = parse([load(linslime)]);
  const byTag = new Map(points.map((p) => [p.sourceTag, p]));
  assert.equal(byTag.get("loss/d/total")?.tag, "loss_disc");
  assert.equal(byTag.get("loss/g/total")?.tag, "loss_gen_total");
  assert.equal(byTag.get("learning_rate")?.tag, "lr");
  assert.equal(byTag.get("loss/d_r/5")?.tag, "d_real_k/5");
  assert.equal(byTag.get("loss/d_r/5")?.value, 1.014528751373291);
  assert.equal(byTag.get("loss/g/dur")?.tag, "loss/g/dur");
  assert.deepEqual(hints.lossFamily, "lsgan");
  assert.equal(hints.discriminators, 6);
  assert.ok(hints.notes?.some((n) => n.includes("brain.Event:2")));
  // The diverged run's loss/g/i are NaN, so their sum is NaN: NaN is data.
  const derived = points.filter(isDerived);
  assert.equal(derived.length, 1);
  assert.equal(derived[0].tag, "loss_gen");
  assert.equal(derived[0].sourceTag, "sum(loss/g/0..5)");
  assert.equal(derived[0].step, 0);
  assert.ok(Number.isNaN(derived[0].value));
  assert.equal(derived[0].wallTime, byTag.get("loss/g/5")?.wallTime);
});

test("files without per-sub-discriminator tags give no hints and no derived points", () => {
  const name = eventFiles.find((f) => f.includes("4435.0"))!;
  const { points, hints } = parse([load(name)]);
  assert.equal(points.filter(isDerived).length, 0);
  assert.equal(hints.lossFamily, undefined);
  assert.equal(hints.discriminators, undefined);
  // Its 40 images and clips are samples now (samples.test.ts), not values skipped.
  assert.deepEqual(hints.notes, ["event file version brain.Event:2"]);
});

test("chunks of 1, 7 and 4096 bytes give the same points as the whole file", () => {
  for (const name of eventFiles) {
    const bytes = load(name);
    const whole = parse([bytes], name);
    const sizes = [1, 7, 4096];
    for (const size of sizes)
      assert.deepEqual(parse(chunked(bytes, size), name), whole, `${name} in ${size}s`);
  }
});

// The first 28 records of the VITS file: the version record and the 27 scalars of step 0 (1277 bytes).
const full = load(linslime);
const small = full.subarray(0, boundaries(full)[28]);
const smallStarts = boundaries(small);

test("a cut at every byte gives exactly the points of the complete records before it, and no exception", () => {
  const wholeSmall = parse([small]);
  assert.equal(wholeSmall.points.filter((p) => !isDerived(p)).length, 27);
  for (let cut = 0; cut <= small.length; cut++) {
    const boundary = smallStarts.filter((s) => s <= cut).at(-1)!;
    const expected = parse([small.subarray(0, boundary)]);
    const parser = new TfEventsParser("cut");
    const pushed = parser.push(small.subarray(0, cut));
    assert.deepEqual(pushed.problems, []);
    const growing = parser.end(false);
    assert.deepEqual(growing, { points: [], problems: [] }, `cut at ${cut}`);
    const last = parser.end(true);
    assert.deepEqual([...pushed.points, ...last.points], expected.points, `cut at ${cut}`);
    if (cut === boundary) assert.deepEqual(last.problems, []);
    else {
      assert.equal(last.problems.length, 1, `cut at ${cut}`);
      assert.equal(last.problems[0].offset, boundary);
      assert.match(last.problems[0].message, /truncated/);
    }
  }
});

test("a growing file read in two parts gives the whole file's points", () => {
  const whole = parse([small]).points;
  for (let cut = 0; cut <= small.length; cut += 5) {
    const parser = new TfEventsParser("grow");
    const first = parser.push(small.subarray(0, cut));
    const pause = parser.end(false);
    const second = parser.push(small.subarray(cut));
    const last = parser.end(true);
    assert.deepEqual(
      [...first.points, ...pause.points, ...second.points, ...last.points],
      whole,
      `cut at ${cut}`,
    );
  }
});

test("a flipped bit in a length CRC ends the file there; in a payload CRC it skips one record", () => {
  const whole = parse([small]).points.filter((p) => !isDerived(p));
  for (let r = 1; r < smallStarts.length - 1; r++) {
    const start = smallStarts[r];
    const lengthBad = small.slice();
    lengthBad[start + 9] ^= 0x04;
    const cut = parse([lengthBad], "bad-length");
    assert.deepEqual(
      cut.points.filter((p) => !isDerived(p)),
      whole.slice(0, r - 1),
    );
    assert.equal(cut.problems.length, 1);
    assert.deepEqual(
      { path: cut.problems[0].path, offset: cut.problems[0].offset, fatal: cut.problems[0].fatal },
      { path: "bad-length", offset: start, fatal: true },
    );
    const payloadBad = small.slice();
    payloadBad[smallStarts[r + 1] - 1] ^= 0x80;
    const skipped = parse(chunked(payloadBad, 7), "bad-payload");
    assert.deepEqual(
      skipped.points.filter((p) => !isDerived(p)),
      whole.filter((_, i) => i !== r - 1),
    );
    assert.equal(skipped.problems.length, 1);
    assert.equal(skipped.problems[0].offset, start);
    assert.equal(skipped.problems[0].fatal, false);
    assert.ok(skipped.hints.notes?.includes("1 record skipped for a bad payload CRC"));
  }
});

test("a record with a good CRC but garbled protobuf is a problem, and reading goes on", () => {
  const good = (step: number) =>
    frameRecord(encodeEvent({ wallTime: 1, step, scalars: [{ tag: "loss/d/total", value: step }] }));
  const garbled = frameRecord(new Uint8Array([0x0a, 0x7f, 0x01]));
  const first = good(1);
  const { points, problems } = parse([first, garbled, good(2)]);
  assert.deepEqual(
    points.map((p) => [p.tag, p.step]),
    [
      ["loss_disc", 1],
      ["loss_disc", 2],
    ],
  );
  assert.equal(problems.length, 1);
  assert.equal(problems[0].offset, first.length);
  assert.equal(problems[0].fatal, false);
  assert.match(problems[0].message, /not a valid Event/);
});

test("random corruption of a real file never throws", () => {
  const rng = new Rng(17);
  for (let trial = 0; trial < 200; trial++) {
    const bad = small.slice();
    for (let f = 0; f < 1 + (trial % 5); f++)
      bad[Math.floor(rng.uniform() * bad.length)] = Math.floor(rng.uniform() * 256);
    const { problems } = parse(chunked(bad, 1 + Math.floor(rng.uniform() * 100)));
    for (const p of problems) assert.ok(p.offset !== undefined && p.offset < bad.length);
  }
});
