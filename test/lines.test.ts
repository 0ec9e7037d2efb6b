import assert from "node:assert/strict";
import { test } from "node:test";
import { LineSplitter, sniffEncoding, splitLines, type TextLine } from "../src/sources/lines.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);

/** Feed `bytes` in pieces of `size` bytes, then end. */
function splitInChunks(bytes: Uint8Array, size: number): TextLine[] {
  const splitter = new LineSplitter();
  const lines: TextLine[] = [];
  for (let i = 0; i < bytes.length; i += size) lines.push(...splitter.push(bytes.subarray(i, i + size)));
  lines.push(...splitter.end());
  return lines;
}

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  const units = (bom ? "\uFEFF" : "") + text;
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), !bigEndian);
  return out;
}

const SAMPLE =
  "INFO:exp:训练轮次：1 [0%]\nINFO:exp:[0, 0.0001]\r\nINFO:exp:loss_disc=4.107, loss_gen=4.434\rlast line é";
const EXPECTED: TextLine[] = [
  { text: "INFO:exp:训练轮次：1 [0%]", line: 1 },
  { text: "INFO:exp:[0, 0.0001]", line: 2 },
  { text: "INFO:exp:loss_disc=4.107, loss_gen=4.434", line: 3 },
  { text: "last line é", line: 4 },
];

test("LF, CRLF and a lone CR each end one line; the last line without newline is flushed by end()", () => {
  assert.deepEqual(splitLines(utf8(SAMPLE)), EXPECTED);
});

test("every chunk size gives the same lines: split lines, split CRLF pairs and split UTF-8 characters join up", () => {
  const bytes = utf8(SAMPLE);
  for (const size of [1, 2, 3, 5, 7, 11, bytes.length]) {
    assert.deepEqual(splitInChunks(bytes, size), EXPECTED, `chunk size ${size}`);
  }
});

test("a CR that ends one chunk and an LF that starts the next are one line break, not two", () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push(utf8("a\r")), []);
  assert.deepEqual(splitter.push(utf8("\nb\n")), [
    { text: "a", line: 1 },
    { text: "b", line: 2 },
  ]);
  assert.deepEqual(splitter.end(), []);
});

test("a CR at the very end of the input ends the line there", () => {
  assert.deepEqual(splitLines(utf8("x\r")), [{ text: "x", line: 1 }]);
});

test("a UTF-8 BOM is dropped, UTF-16 LE and BE are decoded with or without a BOM", () => {
  const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(SAMPLE)]);
  assert.deepEqual(splitLines(withBom), EXPECTED);
  for (const bigEndian of [false, true]) {
    for (const bom of [true, false]) {
      const bytes = utf16(SAMPLE, bigEndian, bom);
      assert.deepEqual(splitInChunks(bytes, 1), EXPECTED, `utf-16 ${bigEndian ? "BE" : "LE"} bom=${bom}`);
      assert.deepEqual(splitInChunks(bytes, 7), EXPECTED, `utf-16 ${bigEndian ? "BE" : "LE"} bom=${bom}, 7`);
    }
  }
});

test("the encoding is sniffed from the first bytes", () => {
  assert.deepEqual(sniffEncoding(new Uint8Array([0xff, 0xfe, 0x41, 0])), {
    encoding: "utf-16le",
    bomLength: 2,
  });
  assert.deepEqual(sniffEncoding(new Uint8Array([0xfe, 0xff, 0, 0x41])), {
    encoding: "utf-16be",
    bomLength: 2,
  });
  assert.deepEqual(sniffEncoding(new Uint8Array([0x41, 0, 0x42])), { encoding: "utf-16le", bomLength: 0 });
  assert.deepEqual(sniffEncoding(utf8("abc")), { encoding: "utf-8", bomLength: 0 });
});

test("invalid bytes become U+FFFD and never throw; the lines around them are intact", () => {
  const bytes = new Uint8Array([
    ...utf8("good 1\n"),
    0xff,
    0xc3,
    0x28,
    0x80,
    0x0a,
    ...utf8("good 2\n"),
    0xe4,
    0xb8,
  ]);
  const lines = splitInChunks(bytes, 1);
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[0], { text: "good 1", line: 1 });
  assert.ok(lines[1].text.includes("\uFFFD"));
  assert.deepEqual(lines[2], { text: "good 2", line: 3 });
  // The character cut off at the end is flushed by end() as U+FFFD, a line 4 of its own.
  assert.deepEqual(lines[3], { text: "\uFFFD", line: 4 });
  assert.deepEqual(splitLines(bytes), lines);
});

test("inputs shorter than the sniffing window still come out on end()", () => {
  assert.deepEqual(splitInChunks(utf8("a\n"), 1), [{ text: "a", line: 1 }]);
  assert.deepEqual(splitLines(new Uint8Array(0)), []);
  assert.deepEqual(splitLines(utf8("\n\n")), [
    { text: "", line: 1 },
    { text: "", line: 2 },
  ]);
});

test("a line still being written waits in the splitter until its newline arrives", () => {
  const splitter = new LineSplitter();
  assert.deepEqual(splitter.push(utf8("loss_disc=3.1")), []);
  assert.deepEqual(splitter.push(utf8("25, loss_gen=2\nnext")), [
    { text: "loss_disc=3.125, loss_gen=2", line: 1 },
  ]);
  assert.deepEqual(splitter.end(), [{ text: "next", line: 2 }]);
});
