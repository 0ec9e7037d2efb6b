import assert from "node:assert/strict";
import { test } from "node:test";
import { ConsoleLogParser } from "../src/sources/console/console-log.ts";
import { LineSplitter, MAX_LINE_CHARS } from "../src/sources/lines.ts";
import type { ScalarPoint } from "../src/types.ts";

// Lines of any length (issue 13, item 6): a line over the cap is skipped and reported where it was,
// never joined in memory, and the lines after it are read, also while the file is still growing.
const utf8 = (s: string) => new TextEncoder().encode(s);
const LOSS = (i: number) => `[Epoch ${i}/9] [Batch 1/1] [D loss: 0.69] [G loss: 0.70]\n`;

test("a line over the cap is skipped with its number, start and length; the next lines are read", () => {
  const splitter = new LineSplitter();
  const lines = [
    ...splitter.push(utf8("first\n")),
    ...splitter.push(utf8("x".repeat(MAX_LINE_CHARS + 10))),
    ...splitter.push(utf8("y".repeat(5))),
    ...splitter.push(utf8("\r\nthird\n")),
  ];
  assert.deepEqual(lines, [
    { text: "first", line: 1 },
    { text: "third", line: 3 },
  ]);
  assert.deepEqual(splitter.takeOverlong(), [
    { line: 2, startChar: 6, chars: MAX_LINE_CHARS + 15, unterminated: false },
  ]);
  assert.deepEqual(splitter.takeOverlong(), []);
});

test("a long line that arrives in one piece is skipped too", () => {
  const splitter = new LineSplitter();
  const lines = splitter.push(utf8(`a\n${"z".repeat(MAX_LINE_CHARS + 1)}\nb\n`));
  assert.deepEqual(
    lines.map((l) => [l.line, l.text]),
    [
      [1, "a"],
      [3, "b"],
    ],
  );
  assert.equal(splitter.takeOverlong()[0].chars, MAX_LINE_CHARS + 1);
});

test("a growing log with a NUL tail keeps reading the lines written after it; at the end the tail is a problem", () => {
  const parser = new ConsoleLogParser("train.log");
  const points: ScalarPoint[] = [];
  const problems: string[] = [];
  const feed = (out: { points: ScalarPoint[]; problems: { message: string; line?: number }[] }) => {
    points.push(...out.points);
    problems.push(...out.problems.map((p) => `${p.line}: ${p.message}`));
  };
  feed(parser.push(utf8(LOSS(0) + LOSS(1))));
  const nul = new Uint8Array(1 << 20);
  for (let i = 0; i < 3; i++) feed(parser.push(nul)); // 3 MiB of NUL bytes, no line break
  feed(parser.end(false)); // still growing: nothing flushed
  feed(parser.push(utf8(`\n${LOSS(2)}`)));
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_disc").map((p) => p.epoch),
    [0, 1, 2],
  );
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^3: a line of 3\.0 MiB .* skipped$/);
  feed(parser.push(nul));
  feed(parser.push(nul));
  feed(parser.end(true));
  assert.match(problems[1], /^5: the file ends in a line of 2\.0 MiB .* no line break/);
});

test("a file with old Mac line endings (CR only) is read like any other", () => {
  const parser = new ConsoleLogParser("mac.log");
  const text = `${LOSS(0)}${LOSS(1)}`.replaceAll("\n", "\r");
  const out = parser.push(utf8(text));
  const end = parser.end(true);
  assert.equal([...out.points, ...end.points].filter((p) => p.tag === "loss_gen").length, 2);
});
