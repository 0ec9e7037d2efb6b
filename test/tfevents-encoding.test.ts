/** Event files written by hand: every scalar encoding, plugins, K-term sums and the push APIs. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { encodeEvent, type ScalarToEncode } from "../src/events/event-encoder.ts";
import { WireWriter } from "../src/events/wire-writer.ts";
import { Rng } from "../src/rng.ts";
import { type ScalarTarget, TfEventsParser } from "../src/sources/tfevents.ts";
import { frameRecord } from "../src/tfrecord/record-writer.ts";
import type { ReadProblem, ScalarPoint } from "../src/types.ts";
import { chunked, linslime, loadEventFile as load, parse } from "./helpers/tfevents.ts";

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
  assert.ok(hints.notes?.some((n) => n.startsWith("2 summary values skipped")));
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
