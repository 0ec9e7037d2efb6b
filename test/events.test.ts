import assert from "node:assert/strict";
import { test } from "node:test";
import { type DecodedEvent, EventColumns, EventDecoder } from "../src/events/event-decoder.ts";
import { encodeEvent, type ScalarWriteEncoding } from "../src/events/event-encoder.ts";
import { EventRun } from "../src/events/event-run.ts";
import { WireReader } from "../src/events/wire-reader.ts";
import { WireWriter } from "../src/events/wire-writer.ts";
import { Rng } from "../src/rng.ts";

function decode(bytes: Uint8Array): DecodedEvent {
  const result = new EventDecoder().decode(bytes);
  if (!result.ok) assert.fail(`decode failed: ${result.error}`);
  return result.event;
}

const float32Values = [
  0,
  -0,
  1.5,
  Math.fround(0.1),
  -Math.fround(3.25e-20),
  3.4028234663852886e38,
  Number.NaN,
];
const float64Values = [0.1, -1e300, 5e-324, Math.PI, Number.NaN];
const infinities = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

test("varints round-trip as signed 64-bit integers, ten bytes for negatives", () => {
  const values = [
    0,
    1,
    127,
    128,
    300,
    2 ** 28 - 1,
    2 ** 28,
    2 ** 31,
    2 ** 32 + 5,
    2 ** 53 - 1,
    -1,
    -(2 ** 31),
    -(2 ** 53) + 1,
  ];
  for (const n of values) {
    const bytes = new WireWriter().varint(n).finish();
    if (n < 0) assert.equal(bytes.length, 10);
    const r = new WireReader(bytes, 0, bytes.length);
    assert.equal(r.varint(), n);
    assert.ok(r.done);
  }
  assert.deepEqual([...new WireWriter().varint(300).finish()], [0xac, 0x02]);
});

test("every scalar encoding round-trips tag, step, wall time and value, NaN and ±Inf included", () => {
  const cases: [ScalarWriteEncoding, number[]][] = [
    ["simple_value", [...float32Values, ...infinities]],
    ["float_val", [...float32Values, ...infinities]],
    ["tensor_content_float", [...float32Values, ...infinities]],
    ["double_val", [...float32Values, ...float64Values, ...infinities]],
    ["tensor_content_double", [...float32Values, ...float64Values, ...infinities]],
  ];
  const decodedAs = {
    simple_value: "simple_value",
    float_val: "float_val",
    double_val: "double_val",
    tensor_content_float: "tensor_content",
    tensor_content_double: "tensor_content",
  } as const;
  for (const [encoding, values] of cases) {
    const scalars = values.map((value, i) => ({ tag: `loss/g/${i}`, value, encoding }));
    const event = decode(encodeEvent({ wallTime: 1731057657.7566478, step: 2 ** 40 + 3, scalars }));
    assert.equal(event.wallTime, 1731057657.7566478);
    assert.equal(event.step, 2 ** 40 + 3);
    assert.equal(event.skipped, 0);
    assert.equal(event.scalars.length, values.length);
    event.scalars.forEach((s, i) => {
      assert.equal(s.tag, `loss/g/${i}`);
      assert.ok(Object.is(s.value, values[i]), `${encoding}: ${s.value} !== ${values[i]}`);
      assert.equal(s.encoding, decodedAs[encoding]);
      assert.equal(s.pluginName, encoding === "simple_value" ? undefined : "scalars");
    });
  }
});

test("float encodings keep float32 precision: a double is rounded as PyTorch rounds it", () => {
  const event = decode(encodeEvent({ wallTime: 1, scalars: [{ tag: "lr", value: 0.0002 }] }));
  assert.equal(event.scalars[0].value, 0.00019999999494757503);
});

test("a file_version event and negative steps decode", () => {
  const event = decode(encodeEvent({ wallTime: 1654607768.5, fileVersion: "brain.Event:2", step: -7 }));
  assert.equal(event.fileVersion, "brain.Event:2");
  assert.equal(event.step, -7);
  assert.deepEqual(event.scalars, []);
});

test("non-packed float_val and double_val (one key per value) decode too", () => {
  const tensor = (fill: (t: WireWriter) => void) =>
    new WireWriter()
      .double(1, 10)
      .message(5, (s) => s.message(1, (v) => v.string(1, "t").message(8, fill)))
      .finish();
  assert.equal(decode(tensor((t) => t.int64(1, 1).float(5, 2.5))).scalars[0].value, 2.5);
  assert.equal(decode(tensor((t) => t.int64(1, 2).double(6, 0.1))).scalars[0].value, 0.1);
  // Two values, or a shape of two elements, is not a scalar: skipped, not an error.
  const two = decode(tensor((t) => t.int64(1, 1).float(5, 1).float(5, 2)));
  assert.deepEqual([two.scalars.length, two.skipped], [0, 1]);
  const shaped = decode(
    tensor((t) =>
      t
        .int64(1, 1)
        .message(2, (shape) => shape.message(2, (dim) => dim.int64(1, 2)))
        .bytes(4, new Uint8Array(8)),
    ),
  );
  assert.deepEqual([shaped.scalars.length, shaped.skipped], [0, 1]);
  // A [1, 1] shape holds one element: a scalar.
  const oneByOne = decode(
    tensor((t) =>
      t
        .int64(1, 1)
        .message(2, (shape) =>
          shape.message(2, (dim) => dim.int64(1, 1)).message(2, (dim) => dim.int64(1, 1)),
        )
        .bytes(5, new Uint8Array(new Float32Array([4]).buffer)),
    ),
  );
  assert.equal(oneByOne.scalars[0].value, 4);
  // A string tensor (text plugin, TF2 images) is skipped.
  const text = decode(tensor((t) => t.int64(1, 7).bytes(8, new TextEncoder().encode("hello"))));
  assert.deepEqual([text.scalars.length, text.skipped], [0, 1]);
});

test("images, histograms and audio are counted and skipped; unknown fields of every wire type are skipped", () => {
  const withUnknowns = (w: WireWriter) =>
    w
      .int64(90, 5) // varint
      .double(91, 1) // 64-bit
      .bytes(92, new Uint8Array([1, 2, 3])) // length-delimited
      .float(93, 2) // 32-bit
      .key(94, 3) // a group holding a nested group and a field, then its end
      .key(95, 3)
      .int64(1, 1)
      .key(95, 4)
      .key(94, 4);
  const bytes = withUnknowns(new WireWriter())
    .double(1, 99.5)
    .int64(2, 400)
    .bytes(4, new Uint8Array([0xde, 0xad])) // graph_def
    .message(5, (s) => {
      withUnknowns(s);
      s.message(1, (v) => v.string(1, "slice/mel_org").message(4, (img) => img.int64(1, 80))); // image
      s.message(1, (v) => withUnknowns(v.string(1, "hist")).message(5, (h) => h.double(1, 0))); // histo
      s.message(1, (v) => v.string(1, "gen/audio").message(6, (a) => a.float(1, 16000))); // audio
      s.message(1, (v) => withUnknowns(v.string(1, "loss/d/total")).float(2, 3.5));
      s.message(1, (v) =>
        v
          .string(1, "loss/g/total")
          .message(8, (t) => withUnknowns(t.int64(1, 2)).bytes(6, new Uint8Array(8))),
      );
    })
    .finish();
  const event = decode(bytes);
  assert.equal(event.wallTime, 99.5);
  assert.equal(event.step, 400);
  assert.equal(event.skipped, 3);
  assert.deepEqual(
    event.scalars.map((s) => [s.tag, s.value, s.encoding]),
    [
      ["loss/d/total", 3.5, "simple_value"],
      ["loss/g/total", 0, "double_val"],
    ],
  );
});

test("truncated or garbled protobuf is a decode error, never an exception", () => {
  const good = encodeEvent({
    wallTime: 1,
    step: 300,
    scalars: [
      { tag: "a", value: 1, encoding: "tensor_content_float" },
      { tag: "b", value: 2, encoding: "double_val" },
    ],
  });
  const decoder = new EventDecoder();
  let errors = 0;
  for (let cut = 0; cut < good.length; cut++) {
    const result = decoder.decode(good, 0, cut);
    if (!result.ok) errors++;
  }
  // Most cuts land inside a field; the ones that fall between top-level fields decode as a shorter event.
  assert.ok(errors > good.length / 2, `${errors} of ${good.length} cuts were errors`);
  const rng = new Rng(5);
  for (let trial = 0; trial < 2000; trial++) {
    const bad = good.slice();
    for (let f = 0; f < 3; f++) bad[Math.floor(rng.uniform() * bad.length)] = Math.floor(rng.uniform() * 256);
    const result = decoder.decode(bad);
    if (!result.ok) assert.ok(result.error.length > 0);
  }
  // Nothing but start-group keys: deep nesting must not overflow the stack.
  const groups = new Uint8Array(200_000).fill((1 << 3) | 3);
  const result = decoder.decode(groups);
  assert.equal(result.ok, false);
  assert.deepEqual(decoder.decode(new Uint8Array([0x0f])), {
    ok: false,
    error: "unexpected wire type 7 (field 1) at byte 1",
  });
});

test("the decoder's tag cache gives the right string for many distinct tags, past its size limit", () => {
  const decoder = new EventDecoder();
  const tags = Array.from({ length: 5000 }, (_, i) => `tag/${i}`);
  for (let round = 0; round < 2; round++) {
    for (const tag of tags) {
      const result = decoder.decode(encodeEvent({ wallTime: 1, scalars: [{ tag, value: 1 }] }));
      assert.ok(result.ok);
      assert.equal(result.event.scalars[0].tag, tag);
    }
  }
});

test("long tags and large nested messages round-trip (multi-byte length prefixes)", () => {
  for (const length of [127, 128, 300, 20_000]) {
    const tag = "t".repeat(length);
    const event = decode(
      encodeEvent({ wallTime: 2, step: 9, scalars: [{ tag, value: 1.5, encoding: "double_val" }] }),
    );
    assert.equal(event.scalars[0].tag, tag);
    assert.equal(event.scalars[0].value, 1.5);
  }
  const many = Array.from({ length: 3000 }, (_, i) => ({ tag: `x${i}`, value: i }));
  assert.deepEqual(
    decode(encodeEvent({ wallTime: 2, scalars: many })).scalars.map((s) => [s.tag, s.value]),
    many.map((s) => [s.tag, s.value]),
  );
});

test("sameTags says when an event repeats the previous one's tags, and the columns hold them either way", () => {
  const decoder = new EventDecoder();
  const columns = new EventColumns();
  const simple = (step: number, tags: string[]) =>
    encodeEvent({ wallTime: 10 + step, step, scalars: tags.map((tag, i) => ({ tag, value: step + i / 4 })) });
  const tensor = (step: number, tags: string[]) =>
    encodeEvent({
      wallTime: 10 + step,
      step,
      scalars: tags.map((tag, i) => ({ tag, value: step + i / 4, encoding: "float_val" as const })),
    });
  const sequence: [Uint8Array, boolean][] = [
    [simple(1, ["a", "bb"]), false], // the first event
    [simple(2, ["a", "bb"]), true],
    [simple(3, ["a", "cc"]), false], // a tag changed
    [simple(4, ["a", "cc"]), true],
    [simple(5, ["a", "cc", "d"]), false], // one more value
    [simple(6, ["a", "cc"]), false], // one fewer
    [tensor(7, ["a", "cc"]), false], // the general decoder
    [simple(8, ["a", "cc"]), false], // after it: the columns were written by someone else
    [simple(9, ["a", "cc"]), true],
    [simple(10, []), false],
    [simple(11, ["a", "cc"]), false],
  ];
  for (const [bytes, same] of sequence) {
    assert.equal(decoder.decodeInto(bytes, 0, bytes.length, columns), undefined);
    const expected = decode(bytes);
    assert.equal(columns.sameTags, same, `step ${expected.step}`);
    assert.equal(columns.count, expected.scalars.length);
    for (let i = 0; i < columns.count; i++) {
      const want = expected.scalars[i];
      assert.deepEqual(
        [columns.tags[i], columns.values[i], columns.encodings[i], columns.plugins[i]],
        [want.tag, want.value, want.encoding, want.pluginName],
      );
    }
  }
  // Other columns never inherit what the decoder wrote into the first ones.
  const other = new EventColumns();
  const bytes = simple(12, ["a", "cc"]);
  decoder.decodeInto(bytes, 0, bytes.length, other);
  assert.equal(other.sameTags, false);
  assert.deepEqual(other.tags.slice(0, 2), ["a", "cc"]);
});

test("tags compared eight bytes at a time still differ where only a sign bit differs (+0 and -0)", () => {
  // The fast decoder compares a value's bytes as doubles, and +0 === -0: a tag whose bytes hold the
  // pattern of either must still be told apart from the other.
  const tagBytes = (last: number) =>
    new Uint8Array([
      ...new TextEncoder().encode("loss"),
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      last,
      ...new TextEncoder().encode("/total!"),
    ]);
  const event = (step: number, tag: Uint8Array) =>
    new WireWriter()
      .double(1, step)
      .int64(2, step)
      .message(5, (s) => s.message(1, (v) => v.bytes(1, tag).float(2, step)))
      .finish();
  const decoder = new EventDecoder();
  const columns = new EventColumns();
  const seen: string[] = [];
  for (let step = 0; step < 8; step++) {
    const bytes = event(step, tagBytes(step % 2 === 0 ? 0 : 0x80));
    assert.equal(decoder.decodeInto(bytes, 0, bytes.length, columns), undefined);
    seen.push(columns.tags[0]);
  }
  assert.equal(new Set(seen).size, 2);
  assert.notEqual(seen[0], seen[1]);
  assert.equal(seen[0], seen[2]);
  assert.equal(seen[1], seen[3]);
});

test("decodeRepeats reads records while they repeat the last event's tags, and stops at the first that does not", () => {
  const event = (step: number, tags: string[], encoding: ScalarWriteEncoding = "simple_value") =>
    encodeEvent({
      wallTime: 1000 + step / 2,
      step,
      scalars: tags.map((tag, i) => ({ tag, value: step + i, encoding })),
    });
  const sequence = [
    event(1, ["a", "bb"]),
    event(2, ["a", "bb"]),
    event(3, ["a", "bb"]),
    event(4, ["a", "bc"]), // another tag
    event(5, ["a", "bc"]),
    event(6, ["a", "bc", "d"]), // one value more
    event(7, ["a", "bc"], "float_val"), // another encoding
    event(8, ["a", "bc"]),
  ];
  // All records in one buffer, as a chunk: payload start, end and offset per record.
  const bytes = new Uint8Array(sequence.reduce((n, b) => n + b.length, 0));
  const records = new Float64Array(3 * sequence.length);
  let at = 0;
  sequence.forEach((b, k) => {
    bytes.set(b, at);
    records.set([at, at + b.length, at], 3 * k);
    at += b.length;
  });
  const decoder = new EventDecoder();
  const columns = new EventColumns();
  const run = new EventRun(2);
  const read: string[] = [];
  let k = 0;
  while (k < sequence.length) {
    run.reset(columns.count);
    const n = decoder.decodeRepeats(bytes, records, k, sequence.length - k, run);
    assert.equal(run.count, n);
    if (n > 0) {
      for (let e = 0; e < n; e++) {
        assert.equal(run.wallTimes[e], 1000 + run.steps[e] / 2);
        for (let i = 0; i < run.width; i++) assert.equal(run.values[e * run.width + i], run.steps[e] + i);
      }
      read.push(`run ${[...run.steps.subarray(0, n)]}`);
      k += n;
      continue;
    }
    assert.equal(decoder.decodeInto(bytes, records[3 * k], records[3 * k + 1], columns), undefined);
    read.push(`one ${columns.step}`);
    k++;
  }
  // Nothing repeats before a first event; the run holds two; a changed tag, one value more, another
  // encoding each end a run, and after the general decoder's event the next one is read on its own.
  assert.deepEqual(read, ["one 1", "run 2,3", "one 4", "run 5", "one 6", "one 7", "one 8"]);
});
