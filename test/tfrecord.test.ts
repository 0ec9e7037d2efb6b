import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";
import { crc32c } from "../src/tfrecord/crc32c.ts";
import { maskCrc, maskedCrc32c } from "../src/tfrecord/masked-crc.ts";
import { TfRecordReader } from "../src/tfrecord/record-reader.ts";
import { frameRecord, RECORD_OVERHEAD } from "../src/tfrecord/record-writer.ts";
import type { ReadProblem } from "../src/types.ts";

const ascii = (s: string) => new TextEncoder().encode(s);

interface Read {
  payloads: number[][];
  offsets: number[];
  problems: ReadProblem[];
}

/** Feeds `chunks` to a fresh reader, then end(final); copies every payload the sink lends. */
function read(chunks: Uint8Array[], final = true): Read {
  const reader = new TfRecordReader("test.tfrecord");
  const out: Read = { payloads: [], offsets: [], problems: [] };
  const sink = (bytes: Uint8Array, start: number, end: number, offset: number) => {
    out.payloads.push([...bytes.subarray(start, end)]);
    out.offsets.push(offset);
  };
  for (const c of chunks) out.problems.push(...reader.push(c, sink));
  out.problems.push(...reader.end(final));
  return out;
}

function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Payloads of varied sizes, the empty one included; a big one spans many small chunks.
const payloads = [
  ascii("brain.Event:2"),
  new Uint8Array(0),
  ascii("x"),
  new Uint8Array(5000).fill(7),
  ascii("last"),
];
const file = concat(payloads.map(frameRecord));
/** Byte offset where each record starts. */
const starts: number[] = [];
for (let i = 0, at = 0; i < payloads.length; at += payloads[i].length + RECORD_OVERHEAD, i++) starts.push(at);

test("CRC32C matches the standard check values (RFC 3720 B.4)", () => {
  assert.equal(crc32c(ascii("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  const ascending = Uint8Array.from({ length: 32 }, (_, i) => i);
  assert.equal(crc32c(ascending), 0x46dd794e);
  assert.equal(crc32c(new Uint8Array(0)), 0);
});

test("CRC32C continues across pieces and over sub-ranges at any alignment", () => {
  const rng = new Rng(3);
  const bytes = Uint8Array.from({ length: 301 }, () => Math.floor(rng.uniform() * 256));
  const whole = crc32c(bytes);
  for (let k = 0; k <= bytes.length; k += 13)
    assert.equal(crc32c(bytes, k, bytes.length, crc32c(bytes, 0, k)), whole);
  assert.equal(crc32c(bytes, 5, 77), crc32c(bytes.slice(5, 77)));
});

test("the mask rotates right by 15 and adds 0xa282ead8", () => {
  assert.equal(maskCrc(0), 0xa282ead8);
  assert.equal(maskCrc(1), (0x00020000 + 0xa282ead8) >>> 0);
  assert.equal(maskCrc(0x8000), (1 + 0xa282ead8) >>> 0);
  assert.equal(maskedCrc32c(ascii("123456789")), maskCrc(0xe3069283));
});

test("a framed record is length, masked length CRC, payload, masked payload CRC", () => {
  const r = frameRecord(ascii("abc"));
  const view = new DataView(r.buffer);
  assert.equal(r.length, 3 + RECORD_OVERHEAD);
  assert.equal(view.getUint32(0, true), 3);
  assert.equal(view.getUint32(4, true), 0);
  assert.equal(view.getUint32(8, true), maskedCrc32c(r, 0, 8));
  assert.deepEqual([...r.subarray(12, 15)], [...ascii("abc")]);
  assert.equal(view.getUint32(15, true), maskedCrc32c(ascii("abc")));
});

test("records come out whole whatever the chunk sizes", () => {
  const expected = payloads.map((p) => [...p]);
  for (const size of [1, 2, 7, 12, 16, 4096, file.length]) {
    const got = read(chunked(file, size));
    assert.deepEqual(got.payloads, expected, `chunks of ${size}`);
    assert.deepEqual(got.offsets, starts, `chunks of ${size}`);
    assert.deepEqual(got.problems, []);
  }
});

test("a cut at every byte gives exactly the records before it; the rest completes them", () => {
  for (let cut = 0; cut <= file.length; cut++) {
    const before = starts.filter((s, i) => s + payloads[i].length + RECORD_OVERHEAD <= cut).length;
    const reader = new TfRecordReader("cut.tfrecord");
    const got: number[] = [];
    const sink = (_b: Uint8Array, _s: number, _e: number, offset: number) => got.push(offset);
    assert.deepEqual(reader.push(file.subarray(0, cut), sink), []);
    assert.deepEqual(got, starts.slice(0, before), `cut at ${cut}`);
    // Not final: a growing file's tail is a state, not a problem.
    assert.deepEqual(reader.end(false), []);
    const atBoundary = cut === file.length || starts.includes(cut);
    const truncation = reader.end(true);
    assert.equal(truncation.length, atBoundary ? 0 : 1, `cut at ${cut}`);
    if (!atBoundary) {
      assert.equal(truncation[0].offset, starts[before]);
      assert.equal(truncation[0].fatal, false);
      assert.match(truncation[0].message, /truncated/);
    }
    assert.deepEqual(reader.push(file.subarray(cut), sink), []);
    assert.deepEqual(got, starts, `resumed after ${cut}`);
    assert.deepEqual(reader.end(true), []);
  }
});

test("a flipped bit in a length or its CRC ends the file with a fatal problem at that record", () => {
  for (let r = 0; r < payloads.length; r++) {
    for (const byte of [0, 5, 8, 11]) {
      const bad = file.slice();
      bad[starts[r] + byte] ^= 0x10;
      for (const size of [1, 4096]) {
        const got = read(chunked(bad, size));
        assert.deepEqual(got.offsets, starts.slice(0, r), `record ${r} byte ${byte}`);
        assert.equal(got.problems.length, 1);
        assert.equal(got.problems[0].fatal, true);
        assert.equal(got.problems[0].offset, starts[r]);
        assert.equal(got.problems[0].path, "test.tfrecord");
        assert.match(got.problems[0].message, new RegExp(`byte ${starts[r]}: length CRC mismatch`));
      }
    }
  }
});

test("a flipped bit in a payload or its CRC skips exactly that record and reading goes on", () => {
  for (let r = 0; r < payloads.length; r++) {
    const end = starts[r] + payloads[r].length + RECORD_OVERHEAD;
    const positions = [end - 1, end - 4];
    if (payloads[r].length > 0) positions.push(starts[r] + 12);
    for (const at of positions) {
      const bad = file.slice();
      bad[at] ^= 0x01;
      const got = read(chunked(bad, 7));
      assert.deepEqual(
        got.offsets,
        starts.filter((_, i) => i !== r),
      );
      assert.equal(got.problems.length, 1);
      assert.equal(got.problems[0].fatal, false);
      assert.equal(got.problems[0].offset, starts[r]);
      assert.match(got.problems[0].message, /payload CRC mismatch/);
    }
  }
});

test("a huge length with a good CRC is a fatal problem, not an allocation", () => {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0xffffffff, true);
  view.setUint32(4, 0x7fffffff, true);
  view.setUint32(8, maskedCrc32c(header, 0, 8), true);
  const got = read([frameRecord(ascii("ok")), header]);
  assert.equal(got.payloads.length, 1);
  assert.equal(got.problems.length, 1);
  assert.equal(got.problems[0].fatal, true);
  assert.match(got.problems[0].message, /too large/);
});

test("random corruption never throws and every problem names a byte inside the file", () => {
  const rng = new Rng(11);
  for (let trial = 0; trial < 300; trial++) {
    const bad = file.slice();
    const flips = 1 + Math.floor(rng.uniform() * 4);
    for (let f = 0; f < flips; f++)
      bad[Math.floor(rng.uniform() * bad.length)] ^= 1 << Math.floor(rng.uniform() * 8);
    const got = read(chunked(bad, 1 + Math.floor(rng.uniform() * 64)));
    assert.ok(got.payloads.length <= payloads.length);
    for (const p of got.problems) assert.ok(p.offset !== undefined && p.offset >= 0 && p.offset < bad.length);
  }
});
