import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { encodeEvent, type ScalarToEncode } from "../src/events/event-encoder.ts";
import { WireWriter } from "../src/events/wire-writer.ts";
import { Rng } from "../src/rng.ts";
import type { RunHints } from "../src/sources/parser.ts";
import { type ScalarTarget, TfEventsParser } from "../src/sources/tfevents.ts";
import { TfRecordReader } from "../src/tfrecord/record-reader.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import type { ReadProblem, ScalarPoint } from "../src/types.ts";

const fixtures = new URL("./fixtures/tfevents/", import.meta.url);
const eventFiles = readdirSync(fixtures).filter((f) => f.includes("events.out.tfevents"));
const load = (name: string) => new Uint8Array(readFileSync(new URL(name, fixtures)));
const linslime = eventFiles.find((f) => f.startsWith("linslime_MYTTS__logs_ljs_base__"))!;

interface Parsed {
  points: ScalarPoint[];
  problems: ReadProblem[];
  hints: RunHints;
}

function parse(chunks: Uint8Array[], path = "run/events.out.tfevents.1"): Parsed {
  const parser = new TfEventsParser(path);
  const points: ScalarPoint[] = [];
  const problems: ReadProblem[] = [];
  for (const c of chunks) {
    const out = parser.push(c);
    points.push(...out.points);
    problems.push(...out.problems);
  }
  const out = parser.end(true);
  return {
    points: [...points, ...out.points],
    problems: [...problems, ...out.problems],
    hints: parser.meta(),
  };
}

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

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
  assert.ok(hints.notes?.some((n) => /40 non-scalar/.test(n)));
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

function eventFile(events: { step: number; scalars: ScalarToEncode[] }[]): Uint8Array[] {
  return [
    frameRecord(encodeEvent({ wallTime: 1, fileVersion: "brain.Event:2" })),
    ...events.map((e, i) => frameRecord(encodeEvent({ wallTime: 100 + i, ...e }))),
  ];
}

test("every encoding reads back as the same points, NaN and ±Inf included", () => {
  const values = [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Math.fround(0.1)];
  for (const encoding of [
    "simple_value",
    "float_val",
    "double_val",
    "tensor_content_float",
    "tensor_content_double",
  ] as const) {
    const events = values.map((value, step) => ({
      step,
      scalars: [{ tag: "loss/g/total", value, encoding }],
    }));
    const { points, problems } = parse(eventFile(events));
    assert.deepEqual(problems, []);
    assert.deepEqual(
      points,
      values.map((value, step) => ({
        tag: "loss_gen_total",
        sourceTag: "loss/g/total",
        step,
        value,
        wallTime: 100 + step,
      })),
      encoding,
    );
  }
});

/** An Event with one float tensor value, carrying plugin metadata only when `plugin` is given (as TF2 does). */
function tensorEvent(step: number, tag: string, value: number, plugin?: string): Uint8Array {
  const content = new Uint8Array(new Float32Array([value]).buffer);
  const event = new WireWriter()
    .double(1, step)
    .int64(2, step)
    .message(5, (summary) =>
      summary.message(1, (v) => {
        v.string(1, tag).message(8, (t) => t.int64(1, 1).bytes(4, content));
        if (plugin !== undefined) v.message(9, (m) => m.message(1, (d) => d.string(1, plugin)));
      }),
    );
  return frameRecord(event.finish());
}

test("a tag first written by another plugin is skipped in later events too; 'scalars' tags are kept", () => {
  const { points, hints } = parse([
    tensorEvent(1, "w", 1, "pr_curves"),
    tensorEvent(2, "w", 2),
    tensorEvent(3, "s", 3, "scalars"),
    tensorEvent(4, "s", 4),
    // A one-element tensor that never had metadata is taken as a scalar (PyTorch new_style without it).
    tensorEvent(5, "bare", 5),
  ]);
  assert.deepEqual(
    points.map((p) => [p.tag, p.step, p.value]),
    [
      ["s", 3, 3],
      ["s", 4, 4],
      ["bare", 5, 5],
    ],
  );
  assert.ok(hints.notes?.some((n) => n.startsWith("2 non-scalar")));
});

test("loss_gen is the sum of a step's K terms, emitted when the next step starts or at the end", () => {
  const k = 3;
  const step = (s: number, gen: number[]) => ({
    step: s,
    scalars: [
      ...gen.map((value, i) => ({ tag: `loss/g/${i}`, value })),
      ...Array.from({ length: k }, (_, i) => ({ tag: `loss/d_r/${i}`, value: 0.25 })),
    ],
  });
  const file = eventFile([step(200, [0.25, 0.5, 0.75]), step(400, [1, 2]), step(600, [2, 4, 8])]);
  const { points, hints } = parse(file);
  const derived = points.filter((p) => p.tag === "loss_gen");
  // Step 400 lacks loss/g/2: no sum rather than a wrong one.
  assert.deepEqual(
    derived.map((p) => [p.step, p.value, p.sourceTag, p.wallTime]),
    [
      [200, 1.5, "sum(loss/g/0..2)", 100],
      [600, 14, "sum(loss/g/0..2)", 102],
    ],
  );
  assert.equal(hints.discriminators, k);
  // Emitted right after the step's own points, before the next step's.
  assert.equal(
    points.findIndex((p) => p.tag === "loss_gen"),
    2 * k,
  );

  // Followed live: step 600 is emitted at end(false) once its K terms are there, since step 200 settled K.
  const parser = new TfEventsParser("live");
  for (const record of file) parser.push(record);
  assert.deepEqual(
    parser.end(false).points.map((p) => [p.step, p.value]),
    [[600, 14]],
  );
  assert.deepEqual(parser.end(true).points, []);
});

test("no loss_gen is derived when the file logs its own (Applio's loss/g/adv)", () => {
  const file = eventFile([
    {
      step: 1,
      scalars: [
        { tag: "loss/g/adv", value: 2 },
        { tag: "loss/g/0", value: 1 },
      ],
    },
    { step: 2, scalars: [{ tag: "loss/g/adv", value: 3 }] },
  ]);
  const { points } = parse(file);
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_gen").map((p) => p.sourceTag),
    ["loss/g/adv", "loss/g/adv"],
  );
});

test("pushTo hands a sink the same points push returns as objects", () => {
  const bytes = load(linslime);
  const expected = parse(chunked(bytes, 4096)).points;
  const parser = new TfEventsParser("sink");
  const got: ScalarPoint[] = [];
  const sink = (tag: string, sourceTag: string, step: number, value: number, wallTime: number) => {
    got.push({ tag, sourceTag, step, value, wallTime });
  };
  for (const c of chunked(bytes, 4096)) assert.deepEqual(parser.pushTo(c, sink), []);
  assert.deepEqual(parser.endTo(true, sink), []);
  assert.deepEqual(got, expected);
});

test("pushInto a target keeping columns gives each column exactly the points push gives, in order", () => {
  const rng = new Rng(11);
  const names = ["loss/d/total", "loss/g/0", "loss/g/1", "loss/d_r/0", "grad_norm_d", "lr"];
  const events: { step: number; scalars: ScalarToEncode[] }[] = [];
  let layout = names.slice(0, 4);
  for (let step = 0; step < 400; step++) {
    // Mostly the same tags event after event (the fast path), now and then another set or encoding.
    if (rng.int(25) === 0) layout = names.filter(() => rng.int(3) > 0);
    const encoding = rng.int(30) === 0 ? "float_val" : "simple_value";
    events.push({ step, scalars: layout.map((tag) => ({ tag, value: rng.normal(), encoding })) });
  }
  const records = eventFile(events);
  // A corrupt record in the middle: its event is skipped, the next one cannot reuse the last tags.
  records[200] = frameRecord(new Uint8Array([0x0a, 0xff]));
  const bytes = new Uint8Array(records.reduce((n, r) => n + r.length, 0));
  let offset = 0;
  for (const r of records) {
    bytes.set(r, offset);
    offset += r.length;
  }
  const expected = parse([bytes]);

  const want = new Map<string, [number, number, number][]>();
  for (const p of expected.points) {
    const key = `${p.tag} ${p.sourceTag}`;
    if (!want.has(key)) want.set(key, []);
    want.get(key)!.push([p.step, p.value, p.wallTime!]);
  }
  assert.ok(want.has("loss_gen sum(loss/g/0..1)"));

  // Points one by one into columns, and (a target with addEvents) runs of events handed over at once.
  for (const together of [false, true]) {
    const parser = new TfEventsParser("run/events.out.tfevents.1");
    const got = new Map<string, [number, number, number][]>();
    const list = (tag: string, sourceTag: string) => {
      const key = `${tag} ${sourceTag}`;
      if (!got.has(key)) got.set(key, []);
      return got.get(key)!;
    };
    let columnsGiven = 0;
    let runs = 0;
    type Column = { points: [number, number, number][]; add: (s: number, v: number, w: number) => void };
    const target = {
      scalar: (tag: string, sourceTag: string, step: number, value: number, wallTime: number) => {
        list(tag, sourceTag).push([step, value, wallTime]);
      },
      column: (tag: string, sourceTag: string): Column => {
        columnsGiven++;
        const points = list(tag, sourceTag);
        return { points, add: (step, value, wallTime) => points.push([step, value, wallTime]) };
      },
      addEvents: together
        ? (
            columns: readonly Column[],
            count: number,
            steps: Float64Array,
            walls: Float64Array,
            values: Float64Array,
          ) => {
            runs++;
            for (let e = 0; e < count; e++) {
              columns.forEach((c, i) => {
                c.points.push([steps[e], values[e * columns.length + i], walls[e]]);
              });
            }
          }
        : undefined,
    };
    const problems: ReadProblem[] = [];
    let at = 0;
    while (at < bytes.length) {
      const size = 1 + rng.int(3000);
      problems.push(...parser.pushInto(bytes.subarray(at, at + size), target as ScalarTarget));
      at += size;
    }
    problems.push(...parser.endTo(true, target.scalar));
    // (The decoder's message names a byte of the buffer it was given, which depends on the chunks.)
    const where = (list: ReadProblem[]) => list.map((p) => [p.offset, p.fatal, p.message.slice(0, 40)]);
    assert.deepEqual(where(problems), where(expected.problems));
    assert.equal(problems.length, 1);
    assert.deepEqual(got, want);
    // One column per source tag, asked for once; runs of events whenever no loss_gen term is among them.
    assert.equal(columnsGiven, names.length);
    assert.equal(runs > 0, together);
  }
});
