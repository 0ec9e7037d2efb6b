import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { EventDecoder } from "../src/events/event-decoder.ts";
import { encodeEvent } from "../src/events/event-encoder.ts";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import { EventFileWriter } from "../src/sources/tfevents-writer.ts";
import { TfRecordReader } from "../src/tfrecord/record-reader.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-tfevents-"));
after(() => rmSync(root, { recursive: true, force: true }));

function readBack(path: string) {
  const parser = new TfEventsParser(path);
  const bytes = readFileSync(path);
  const a = parser.push(bytes);
  const b = parser.end(true);
  return {
    points: [...a.points, ...b.points],
    problems: [...a.problems, ...b.problems],
    hints: parser.meta(),
  };
}

test("the file is named and begins as PyTorch's SummaryWriter makes it", () => {
  const dir = join(root, "named", "logs");
  const w = new EventFileWriter(dir, { now: () => 1738815705.25 });
  const w2 = new EventFileWriter(dir, { now: () => 1738815705.25 });
  w.close();
  w2.close();
  const name = basename(w.path);
  const prefix = `events.out.tfevents.1738815705.${hostname()}.${process.pid}.`;
  assert.ok(name.startsWith(prefix), name);
  const n = Number(name.slice(prefix.length));
  assert.equal(basename(w2.path), `${prefix}${n + 1}`);
  assert.deepEqual(readdirSync(dir).sort(), [basename(w.path), basename(w2.path)].sort());
  // One record: Event{wall_time, file_version}.
  const bytes = readFileSync(w.path);
  const events: unknown[] = [];
  const decoder = new EventDecoder();
  new TfRecordReader(w.path).push(bytes, (b, s, e) => {
    const r = decoder.decode(b, s, e);
    if (r.ok) events.push(r.event);
  });
  assert.deepEqual(events, [
    { wallTime: 1738815705.25, step: 0, fileVersion: "brain.Event:2", scalars: [], skipped: 0 },
  ]);
  assert.equal(bytes.length, 40, "the same 40 bytes as an empty PyTorch writer's file");
});

test("scalars written are read back with their tags, steps, wall times and float32 values", () => {
  const w = new EventFileWriter(join(root, "roundtrip"));
  const steps = [0, 1, 200, 2 ** 33];
  const values = [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  steps.forEach((step, i) => {
    w.addScalars(
      step,
      { "loss/d/total": values[i], "loss/g/0": i, "loss/d_r/0": 0.25, custom: 0.1 },
      1000 + i,
    );
  });
  w.close();
  const { points, problems, hints } = readBack(w.path);
  assert.deepEqual(problems, []);
  const expected = steps.flatMap((step, i) => [
    { tag: "loss_disc", sourceTag: "loss/d/total", step, value: values[i], wallTime: 1000 + i },
    { tag: "loss_gen_k/0", sourceTag: "loss/g/0", step, value: i, wallTime: 1000 + i },
    { tag: "d_real_k/0", sourceTag: "loss/d_r/0", step, value: 0.25, wallTime: 1000 + i },
    { tag: "custom", sourceTag: "custom", step, value: Math.fround(0.1), wallTime: 1000 + i },
  ]);
  assert.deepEqual(
    points.filter((p) => p.tag !== "loss_gen"),
    expected,
  );
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_gen").map((p) => [p.step, p.value]),
    steps.map((s, i) => [s, i]),
  );
  assert.equal(hints.discriminators, 1);
});

test("events are buffered until flush, a size limit or an age limit", () => {
  let now = 100;
  const w = new EventFileWriter(join(root, "buffered"), {
    now: () => now,
    flushBytes: 1000,
    flushSeconds: 5,
  });
  const size = () => statSync(w.path).size;
  const empty = size();
  w.addScalars(1, { a: 1 });
  assert.equal(size(), empty, "buffered");
  w.flush();
  const one = size();
  assert.ok(one > empty);
  w.addScalars(2, { a: 2 });
  now = 104;
  w.addScalars(3, { a: 3 });
  assert.equal(size(), one, "younger than flushSeconds");
  now = 105;
  w.addScalars(4, { a: 4 });
  assert.ok(size() > one, "the oldest waiting event reached flushSeconds");
  const aged = size();
  for (let s = 5; size() === aged; s++) w.addScalars(s, { a: s });
  assert.ok(size() - aged >= 1000, "written once 1000 bytes were waiting");
  w.close();
  w.close();
  assert.throws(() => w.addScalars(99, { a: 1 }), /closed/);
  assert.deepEqual(readBack(w.path).problems, []);
});

test("a step that is not an integer is refused", () => {
  const w = new EventFileWriter(join(root, "refuse"));
  assert.throws(() => w.addScalars(1.5, { a: 1 }), RangeError);
  assert.throws(() => w.addScalars(Number.NaN, { a: 1 }), RangeError);
  w.close();
});

test("the version record is byte for byte what PyTorch wrote in a real eval file", () => {
  const fixtures = new URL("./fixtures/tfevents/", import.meta.url);
  const name = readdirSync(fixtures).find((f) => f.startsWith("linslime_MYTTS__logs_ljs_base_eval__"))!;
  const real = new Uint8Array(readFileSync(new URL(name, fixtures)));
  const decoded = new EventDecoder().decode(real, 12, real.length - 4);
  assert.ok(decoded.ok);
  const ours = frameRecord(encodeEvent({ wallTime: decoded.event.wallTime, fileVersion: "brain.Event:2" }));
  assert.deepEqual(ours, real);
});
