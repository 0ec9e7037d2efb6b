/**
 * The fast paths of text reading against the slow ones they stand in for, on seeded random input:
 * scanDecimal against DECIMAL and Number(); the line splitter fed in random chunks (Latin-1 for ASCII
 * chunks, native search for CR-free text) against the same bytes fed whole and a reference split; and
 * RvcLogParser's in-place reading of common lines (fast-lines.ts) and its points sent straight to
 * columns (pushToColumns) against the regex chain and ScalarPoint objects, on RVC-ish lines built to
 * sit on every edge of the fast grammars. Any difference in a point, a problem or the hints fails.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";
import { splitLines } from "../src/sources/lines.ts";
import { scanDecimal, scanned } from "../src/sources/number-text.ts";
import type { ColumnTarget, TextColumn } from "../src/sources/parser.ts";
import { FileSeries } from "../src/sources/run-builder.ts";
import { RvcLogParser } from "../src/sources/rvc-log.ts";
import type { ReadProblem, ScalarPoint } from "../src/types.ts";
import { parseChunks } from "./helpers/parse-all.ts";

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];

test("scanDecimal reads exactly the texts DECIMAL accepts, with Number()'s value", () => {
  const rng = new Rng(11);
  const alphabet = "0123456789.eE+-n ";
  const texts: string[] = ["0", "-0", "+.5", "5.", ".", "1e", "1e+", "9.000", "75", "1e400", "1e-400"];
  for (let k = 0; k < 60_000; k++) {
    let t = "";
    const length = 1 + rng.int(14);
    for (let i = 0; i < length; i++)
      t += alphabet[rng.uniform() < 0.7 ? rng.int(10) : rng.int(alphabet.length)];
    texts.push(t);
    const x = (rng.uniform() - 0.5) * 10 ** (rng.int(50) - 25);
    texts.push(
      String(x),
      x.toFixed(rng.int(12)),
      x.toExponential(rng.int(18)),
      x.toPrecision(1 + rng.int(21)),
    );
  }
  for (const t of texts) {
    const end = scanDecimal(t, 0, t.length);
    assert.equal(end === t.length, DECIMAL.test(t), `grammar of ${JSON.stringify(t)}`);
    if (end === t.length) assert.ok(Object.is(scanned.value, Number(t)), `value of ${t}`);
  }
  // Bounded by `limit`, whatever follows.
  assert.equal(scanDecimal("12345", 0, 3), 3);
  assert.equal(scanned.value, 123);
  assert.equal(scanDecimal("1.5e7", 0, 4), -1);
});

/** The lines of `bytes` (UTF-8, no BOM) as a plain split of the whole decoded text would give them. */
function referenceLines(bytes: Uint8Array): string[] {
  const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
  const lines = text.split(/\r\n|\r|\n/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

/** Random pieces of a log: ASCII, CR/LF/CRLF, multi-byte characters, a character cut short, NUL. */
function randomBytes(rng: Rng): Uint8Array {
  const encoder = new TextEncoder();
  // Two ASCII letters first: a NUL in the first two bytes would (rightly) read as BOM-less UTF-16.
  const parts: Uint8Array[] = [encoder.encode("xy")];
  const pieces = 1 + rng.int(60);
  for (let i = 0; i < pieces; i++) {
    const r = rng.int(10);
    if (r < 4) parts.push(encoder.encode("loss_disc=1.5, abc".slice(0, 1 + rng.int(18))));
    else if (r === 4) parts.push(encoder.encode(pick(rng, ["\n", "\r\n", "\r", "\n\n", "\r\r\n"])));
    else if (r === 5) parts.push(encoder.encode(pick(rng, ["é", "中文", "😀", "\u2028"])));
    else if (r === 6)
      parts.push(new Uint8Array([0xe4, 0xb8].slice(0, 1 + rng.int(2)))); // 中 cut short
    else if (r === 7) parts.push(new Uint8Array([0]));
    else parts.push(encoder.encode("\n"));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `bytes` cut at random places, sometimes into single bytes. */
function randomChunks(rng: Rng, bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; ) {
    const size = rng.uniform() < 0.3 ? 1 : 1 + rng.int(rng.uniform() < 0.2 ? bytes.length : 40);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

test("the line splitter gives the same lines whatever the chunks, and a plain split's lines", async (t) => {
  const { LineSplitter } = await import("../src/sources/lines.ts");
  const rng = new Rng(5);
  for (let k = 0; k < 1500; k++) {
    const bytes = randomBytes(rng);
    const whole = splitLines(bytes);
    assert.deepEqual(
      whole.map((l) => l.text),
      referenceLines(bytes),
      `case ${k}`,
    );
    assert.deepEqual(
      whole.map((l) => l.line),
      whole.map((_, i) => i + 1),
    );
    const splitter = new LineSplitter();
    const chunked = randomChunks(rng, bytes).flatMap((c) => splitter.push(c));
    chunked.push(...splitter.end());
    assert.deepEqual(chunked, whole, `case ${k} in chunks`);
  }
  await t.test("(an ASCII chunk after a character cut short still ends that character as U+FFFD)", () => {
    const splitter = new LineSplitter();
    const lines = [
      ...splitter.push(new Uint8Array([0x61, 0xe4, 0xb8])),
      ...splitter.push(new TextEncoder().encode("b\nc")),
      ...splitter.end(),
    ];
    assert.deepEqual(
      lines.map((l) => l.text),
      ["a\ufffdb", "c"],
    );
  });
});

const ENVELOPES: ((rng: Rng) => string)[] = [
  () => "2023-03-26 21:08:35,153\t32k\tINFO\t",
  (rng) =>
    `2024-06-13 02:20:${String(rng.int(60)).padStart(2, "0")}${pick(rng, [",", "."])}${rng.int(1_000_000)}\texp\t${pick(rng, ["INFO", "WARNING", "WARN", "DEBUG", "ERROR", "CRITICAL", "NOTE", "info"])}\t`,
  () => "2023-03-26 21:08:35\tx\tINFO\t",
  () => "2023-03-26 21:08:35,\tx\tINFO\t",
  () => "2023-03-26 21:08:35,1234567\tx\tINFO\t",
  () => "2023-03-26 21:08:35,153 32k INFO ",
  () => "2023-03-26 21:08:35,153\t32k INFO\t",
  () => "2023-3-26 21:08:35,153\t32k\tINFO\t",
  () => "INFO:32k:",
  () => "WARNING:exp:",
  () => "WARNINGX:exp:",
  () => "INFO:no second colon ",
  () => "",
  () => "  ",
  () => "\t",
  () => "\u00a0",
  () => "\u2028",
  () => "# ",
  () => "1234",
];

const LOSS_KEYS = [
  "loss_disc",
  "loss_gen",
  "loss_fm",
  "loss_mel",
  "loss_kl",
  "loss_gen_all",
  "loss",
  "lossave",
  "loss_saved",
  "loss_epoch",
  "loss_kl_x",
  "loss_d_r",
];
const NUMBERS = [
  "4.107",
  "75",
  "75.000",
  "9",
  "9.000",
  "-0",
  "1e-05",
  "9.99875e-05",
  "5.",
  ".5",
  "+3",
  "1e400",
  "0.00009998750000000001",
  "nan",
  "inf",
  "-inf",
  "1e",
  "abc",
  "",
  "1.2.3",
  "12abc",
  "0.1234567890123456789",
];

function number(rng: Rng): string {
  if (rng.uniform() < 0.8) return (rng.uniform() * 30).toFixed(rng.int(5));
  return pick(rng, NUMBERS);
}

function lossLine(rng: Rng): string {
  const pairs = 1 + rng.int(6);
  let s = "";
  for (let i = 0; i < pairs; i++) {
    // Mostly the plain shape (what the fast path reads), often one character off it.
    const plain = rng.uniform() < 0.8;
    if (i > 0) s += plain ? pick(rng, [", ", ","]) : pick(rng, [",  ", " ", "; ", " | ", ",\t", " ,"]);
    const key = rng.uniform() < 0.8 ? LOSS_KEYS[i % 5] : pick(rng, LOSS_KEYS);
    s += `${key}${plain ? "=" : pick(rng, [" = ", "= ", " ="])}${number(rng)}`;
  }
  if (rng.uniform() < 0.1) s = `[${s}]`;
  return s;
}

function listRow(rng: Rng): string {
  const items = rng.int(9);
  const parts: string[] = [];
  for (let i = 0; i < items; i++) {
    const r = rng.uniform();
    parts.push(r < 0.5 ? String(rng.int(100_000)) : r < 0.9 ? number(rng) : pick(rng, ["'a'", " 7 ", "1.0"]));
  }
  const sep = pick(rng, [", ", ",", " , ", ",  "]);
  const inner = parts.join(sep);
  return pick(rng, [
    `[${inner}]`,
    `[${inner}]`,
    `[ ${inner} ]`,
    `[${inner}`,
    `[${inner},]`,
    `Losses: [${inner}], step: 400, lr: 1e-4`,
  ]);
}

function epochStart(rng: Rng): string {
  return pick(rng, [
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)}%]`,
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)}.${rng.int(10)}%]`,
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)}.%]`,
    `Train Epoch: ${rng.int(2000)}  [${rng.int(101)}%]`,
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)}%] `,
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)} %]`,
    `Train Epoch: ${rng.int(2000)} [${rng.int(101)}%]x`,
    `Train Epoch: [${rng.int(101)}%]`,
    "Train Epoch: 12345678901234567 [5%]",
    `训练轮次：${rng.int(50)} [${rng.int(101)}%]`,
    "Train Epoch: ",
    "Train Epoch: 3",
  ]);
}

function otherMessage(rng: Rng): string {
  return pick(rng, [
    `====> Epoch: ${rng.int(100)} [2023-06-11 10:25:02] | (1:32:56.852602)`,
    `====> Epoch: ${rng.int(100)} Step: ${rng.int(10_000)} Learning Rate: 9.9925e-05 [2023-10-21 12:00:00]`,
    `Epoch: ${rng.int(100)} [2023-10-21 12:00:00] | (0:00:27)`,
    "{'train': {'log_interval': 200, 'seed': 1234}, 'data': {}}",
    `Saving model and optimizer state at epoch ${rng.int(100)} to ./logs/x/G_${rng.int(100_000)}.pth`,
    `saving ckpt exp_e${rng.int(100)}:Success.`,
    `exp | epoch=${rng.int(100)} | step=${rng.int(10_000)} | time=12:47:14 | lowest_value=27.87 (epoch 2 and step 69)`,
    "Training is done. The program is closed.",
    "Mode collapse detected",
    "loss of signal, not a loss line",
    "loss_disc is 3",
    "Train",
    "[]",
    "l",
  ]);
}

const MESSAGES = [lossLine, lossLine, lossLine, listRow, listRow, epochStart, epochStart, otherMessage];

/** A random RVC-ish log: envelopes, the common messages in their plain and less plain shapes, junk. */
function randomLog(rng: Rng): Uint8Array {
  const lines: string[] = [];
  const count = 1 + rng.int(80);
  for (let i = 0; i < count; i++) {
    const envelope = rng.uniform() < 0.6 ? ENVELOPES[rng.int(2)](rng) : pick(rng, ENVELOPES)(rng);
    let message = pick(rng, MESSAGES)(rng);
    if (rng.uniform() < 0.1) message += pick(rng, [" ", "\t", "\u00a0", "\u2028", "\u3000", "  "]);
    if (rng.uniform() < 0.05) message = pick(rng, [" ", "\t", "\u00a0"]) + message;
    lines.push(envelope + message);
  }
  const breaks = rng.uniform() < 0.8 ? ["\n"] : ["\n", "\r\n", "\r"];
  let text = "";
  for (const line of lines) text += line + pick(rng, breaks);
  if (rng.uniform() < 0.2) text = text.slice(0, -1); // a last line without its break
  return new TextEncoder().encode(text);
}

/** A column target that records every point handed to its columns, in order, as a ScalarPoint. */
function recordingTarget(points: ScalarPoint[]): ColumnTarget {
  return {
    point: (p) => points.push(p),
    textColumn(tag, sourceTag): TextColumn {
      return {
        addFull(step, value, wallTime, epoch, segment, lowerBound) {
          const p: ScalarPoint = { tag, sourceTag, step, value };
          if (segment !== undefined) p.segment = segment;
          if (lowerBound) p.lowerBound = true;
          if (epoch !== undefined) p.epoch = epoch;
          if (wallTime !== undefined) p.wallTime = wallTime;
          points.push(p);
        },
      };
    },
  };
}

/** The chunks through pushToColumns and endToColumns into `target`. */
function readToColumns(parser: RvcLogParser, chunks: Uint8Array[], target: ColumnTarget): ReadProblem[] {
  const problems: ReadProblem[] = [];
  for (const c of chunks) problems.push(...parser.pushToColumns(c, target));
  problems.push(...parser.endToColumns(true, target));
  return problems;
}

test("RVC lines read in place give the points, problems and hints of the regex chain", () => {
  const rng = new Rng(2026);
  let fastLines = 0;
  for (let k = 0; k < 1200; k++) {
    const bytes = randomLog(rng);
    const slow = parseChunks(new RvcLogParser("x", { fastLines: false }), [bytes]);
    const chunks = randomChunks(rng, bytes);
    const fast = parseChunks(new RvcLogParser("x"), chunks);
    assert.deepEqual(fast.points, slow.points, `case ${k}: points`);
    assert.deepEqual(fast.problems, slow.problems, `case ${k}: problems`);
    assert.deepEqual(fast.meta, slow.meta, `case ${k}: hints`);

    const columns: ScalarPoint[] = [];
    const parser = new RvcLogParser("x");
    const problems = readToColumns(parser, chunks, recordingTarget(columns));
    // Columns hold values, not line ends: a replay of them marks its own step ends (replay.ts).
    assert.deepEqual(columns, withoutStepEnds(slow.points), `case ${k}: columns`);
    assert.deepEqual(problems, slow.problems, `case ${k}: problems with columns`);
    assert.deepEqual(parser.meta(), slow.meta, `case ${k}: hints with columns`);
    fastLines += slow.points.length;
  }
  assert.ok(fastLines > 10_000, `only ${fastLines} points: the generator lost its way`);
});

test("a target without columns gets every point through point(), in order", () => {
  const rng = new Rng(7);
  const bytes = randomLog(rng);
  const slow = parseChunks(new RvcLogParser("x", { fastLines: false }), [bytes]);
  const points: ScalarPoint[] = [];
  readToColumns(new RvcLogParser("x"), [bytes], { point: (p) => points.push(p) });
  assert.deepEqual(points, slow.points);
});

test("a run's columns filled by pushToColumns equal those filled point by point", () => {
  const rng = new Rng(99);
  for (let k = 0; k < 50; k++) {
    const bytes = randomLog(rng);
    const chunks = randomChunks(rng, bytes);
    const byPoint = new FileSeries();
    for (const p of parseChunks(new RvcLogParser("x"), chunks).points) byPoint.point(p);
    const byColumn = new FileSeries();
    readToColumns(new RvcLogParser("x"), chunks, byColumn);
    const shape = (s: FileSeries) =>
      s.builders.map((b) => ({
        tag: b.tag,
        sourceTag: b.sourceTag,
        givenSegments: b.givenSegments,
        blocks: b.blocks.map((block) => ({
          n: block.n,
          steps: block.steps.slice(0, block.n),
          values: block.values.slice(0, block.n),
          wallTimes: block.wallTimes?.slice(0, block.n),
          epochs: block.epochs?.slice(0, block.n),
          segments: block.segments?.slice(0, block.n),
          lowerBounds: block.lowerBounds?.slice(0, block.n),
        })),
      }));
    assert.deepEqual(shape(byColumn), shape(byPoint), `case ${k}`);
  }
});

function withoutStepEnds(points: ScalarPoint[]): ScalarPoint[] {
  return points.map(({ stepEnd: _, ...p }) => p);
}
