/**
 * Robustness: the real files of test/fixtures, damaged in seeded ways (bit flips, truncation at every
 * byte of a small file, garbage lines, binary junk, UTF-16, CRLF), read through their parsers in random
 * chunks. No exception may escape, and every line or record before the damage must still be read,
 * exactly as from the intact file. A bounded number of cases keeps the whole file to a few seconds.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { EventDecoder } from "../src/events/event-decoder.ts";
import { Rng } from "../src/rng.ts";
import { detectFormat, type LogFormat } from "../src/sources/detect.ts";
import { createParser } from "../src/sources/formats.ts";
import { readRuns } from "../src/sources/run-source.ts";
import type { ReadProblem, ScalarPoint } from "../src/types.ts";

const dir = (p: string) => fileURLToPath(new URL(`./fixtures/${p}/`, import.meta.url));
const files = (d: string, keep: (name: string) => boolean) =>
  readdirSync(dir(d))
    .filter(keep)
    .map((n) => join(dir(d), n));

const TEXT_FILES = [
  ...files("real-logs", (n) => n.endsWith(".log")),
  ...files("real-logs/vits-family", (n) => n.endsWith(".log")),
  ...files("real-logs/dcgan", (n) => n.endsWith(".log")),
  join(dir("nashboard-runs"), "ring8-bce/metrics.jsonl"),
  join(dir("nashboard-runs"), "ring8-bce/evals.jsonl"),
];
const EVENT_FILES = [
  ...files("tfevents", (n) => /linslime.*\.0$|joshbrew.*22772\.0$|Jiawch.*34952\.0$/.test(n)),
  ...files("nashboard-runs/ring8-bce", (n) => n.startsWith("events.out.tfevents.")),
];
/** Small files truncated at every byte offset. */
const TRUNCATED_EVERYWHERE = [
  ...["RVC-WebUI-issue1464.log", "Mangio-RVC-Fork-issue12.log", "fumiama-RVC-WebUI-issue135.log"].map((n) =>
    join(dir("real-logs"), n),
  ),
  join(dir("nashboard-runs"), "ring8-bce/evals.jsonl"),
  EVENT_FILES.at(-1)!,
];
const FLIPS_PER_FILE = 40;
const INSERTIONS_PER_FILE = 10;

interface Read {
  points: ScalarPoint[];
  problems: ReadProblem[];
}

/** The whole file through the parser in random chunks; the test fails if anything throws. */
function readChunked(format: LogFormat, bytes: Uint8Array, rng: Rng): Read {
  const parser = createParser(format, "fuzzed");
  const points: ScalarPoint[] = [];
  const problems: ReadProblem[] = [];
  const take = (out: Read) => {
    points.push(...out.points);
    problems.push(...out.problems);
  };
  for (let at = 0; at < bytes.length; ) {
    const n = 1 + rng.int(4096);
    take(parser.push(bytes.subarray(at, at + n)));
    at += n;
  }
  take(parser.end(true));
  parser.meta();
  return { points, problems };
}

/** The intact file fed one unit (line or record) at a time: its points, and how many preceded each unit. */
function unitsRead(
  format: LogFormat,
  bytes: Uint8Array,
  starts: number[],
): { keys: string[]; before: number[] } {
  const parser = createParser(format, "intact");
  const keys: string[] = [];
  const before: number[] = [];
  starts.forEach((start, i) => {
    before.push(keys.length);
    for (const p of parser.push(bytes.subarray(start, starts[i + 1] ?? bytes.length)).points)
      keys.push(key(p));
  });
  return { keys, before };
}

const key = (p: ScalarPoint) =>
  `${p.tag}|${p.sourceTag}|${p.step}|${p.value}|${p.wallTime}|${p.epoch}|${p.segment}|${p.lowerBound}`;

/** Every point of the units before the one the damage touched comes first, unchanged. */
function assertPrefixKept(
  intact: { keys: string[]; before: number[] },
  starts: number[],
  at: number,
  read: Read,
  what: string,
) {
  let unit = 0;
  while (unit + 1 < starts.length && starts[unit + 1] <= at) unit++;
  const expected = intact.keys.slice(0, intact.before[unit]);
  const got = read.points.slice(0, expected.length).map(key);
  assert.deepEqual(got, expected, `${what}: the ${expected.length} points before the damage`);
}

function lineStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i + 1 < bytes.length; i++) if (bytes[i] === 10) starts.push(i + 1);
  return starts;
}

function recordStarts(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts: number[] = [];
  for (let at = 0; at + 12 <= bytes.length; at += 16 + view.getUint32(at, true)) starts.push(at);
  return starts;
}

function insert(original: Uint8Array, at: number, junk: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(original.length + junk.length);
  bytes.set(original.subarray(0, at));
  bytes.set(junk, at);
  bytes.set(original.subarray(at), at + junk.length);
  return bytes;
}

function flip(original: Uint8Array, at: number, bit: number): Uint8Array {
  const bytes = original.slice();
  bytes[at] ^= 1 << bit;
  return bytes;
}

/** A line of printable junk: log punctuation, digits, tag names and CJK, as a half-copied console gives. */
function garbageLine(rng: Rng): Uint8Array {
  const alphabet = "abcXYZ0123456789=,.:[]{}()-+eE \t\"'#/\\|loss_disc=loss_gen训练损失步数";
  let text = "";
  for (let n = 1 + rng.int(120); n > 0; n--) text += alphabet[rng.int(alphabet.length)];
  return new TextEncoder().encode(`${text}\n`);
}

/** Bytes of any value: NULs, invalid UTF-8, stray CRs and LFs. */
function binaryJunk(rng: Rng): Uint8Array {
  const junk = new Uint8Array(1 + rng.int(64));
  for (let i = 0; i < junk.length; i++) junk[i] = rng.int(256);
  return junk;
}

function utf16(text: string, bigEndian: boolean, bom: boolean): Uint8Array {
  const bytes = new Uint8Array(Buffer.from(`${bom ? "\ufeff" : ""}${text}`, "utf16le"));
  if (bigEndian)
    for (let i = 0; i + 1 < bytes.length; i += 2) [bytes[i], bytes[i + 1]] = [bytes[i + 1], bytes[i]];
  return bytes;
}

function formatOf(path: string, bytes: Uint8Array): LogFormat {
  const format = detectFormat(path, bytes.subarray(0, 16384));
  assert.ok(format, `${path} is a known format`);
  return format;
}

test("text logs: bit flips, garbage lines and binary junk lose nothing before the damage", () => {
  const rng = new Rng(20240613);
  for (const path of TEXT_FILES) {
    const original = new Uint8Array(readFileSync(path));
    const format = formatOf(path, original);
    const starts = lineStarts(original);
    const intact = unitsRead(format, original, starts);
    assert.ok(intact.keys.length > 0, `${basename(path)} has points`);
    for (let i = 0; i < FLIPS_PER_FILE; i++) {
      const at = rng.int(original.length);
      const bit = rng.int(8);
      const what = `${basename(path)}, bit ${bit} of byte ${at}`;
      assertPrefixKept(intact, starts, at, readChunked(format, flip(original, at, bit), rng), what);
    }
    for (let i = 0; i < INSERTIONS_PER_FILE; i++) {
      const line = starts[rng.int(starts.length)];
      const garbled = readChunked(format, insert(original, line, garbageLine(rng)), rng);
      assertPrefixKept(intact, starts, line, garbled, `${basename(path)}, garbage line at byte ${line}`);
      const at = rng.int(original.length);
      const junked = readChunked(format, insert(original, at, binaryJunk(rng)), rng);
      assertPrefixKept(intact, starts, at, junked, `${basename(path)}, binary junk at byte ${at}`);
    }
  }
});

test("text logs in UTF-16 (either byte order, with or without a BOM) or with CRLF read the same", () => {
  const rng = new Rng(7);
  for (const path of TEXT_FILES) {
    const original = new Uint8Array(readFileSync(path));
    const format = formatOf(path, original);
    const text = new TextDecoder().decode(original);
    const reference = readChunked(format, original, rng);
    const variants: [string, Uint8Array][] = [
      ["UTF-16 LE with BOM", utf16(text, false, true)],
      ["UTF-16 BE with BOM", utf16(text, true, true)],
      ["UTF-16 LE without BOM", utf16(text, false, false)],
      ["CRLF", new TextEncoder().encode(text.replace(/\r?\n/g, "\r\n"))],
    ];
    for (const [name, bytes] of variants) {
      const read = readChunked(format, bytes, rng);
      assert.deepEqual(read.points.map(key), reference.points.map(key), `${basename(path)} as ${name}`);
      assert.deepEqual(
        read.problems.map((p) => p.line),
        reference.problems.map((p) => p.line),
        `${basename(path)} as ${name}: problems on the same lines`,
      );
    }
  }
});

test("event files: a flipped bit costs at most its record, or the rest after a broken length", () => {
  const rng = new Rng(1731057626);
  for (const path of EVENT_FILES) {
    const original = new Uint8Array(readFileSync(path));
    const starts = recordStarts(original);
    const intact = unitsRead("tfevents", original, starts);
    for (let i = 0; i < FLIPS_PER_FILE; i++) {
      const at = rng.int(original.length);
      const bit = rng.int(8);
      const what = `${basename(path)}, bit ${bit} of byte ${at}`;
      const read = readChunked("tfevents", flip(original, at, bit), rng);
      assertPrefixKept(intact, starts, at, read, what);
      // CRC32C catches every one-bit error: the damaged record is reported, never read as data.
      let record = 0;
      while (record + 1 < starts.length && starts[record + 1] <= at) record++;
      const inHeader = at - starts[record] < 12;
      const reported = read.problems.find((p) => p.offset === starts[record]);
      assert.ok(reported, `${what}: a problem at the record's offset ${starts[record]}`);
      assert.equal(reported.fatal, inHeader, `${what}: fatal only when the length is unreadable`);
    }
    for (let i = 0; i < INSERTIONS_PER_FILE; i++) {
      const at = starts[1 + rng.int(starts.length - 1)];
      const read = readChunked("tfevents", insert(original, at, binaryJunk(rng)), rng);
      assertPrefixKept(intact, starts, at, read, `${basename(path)}, junk before the record at ${at}`);
      assert.ok(
        read.problems.some((p) => p.offset === at),
        `${basename(path)}: junk at ${at} is reported where it starts`,
      );
    }
  }
});

test("small files truncated at every byte offset keep every whole line or record before the cut", () => {
  const rng = new Rng(316);
  for (const path of TRUNCATED_EVERYWHERE) {
    const original = new Uint8Array(readFileSync(path));
    const format = formatOf(path, original);
    const starts = format === "tfevents" ? recordStarts(original) : lineStarts(original);
    const intact = unitsRead(format, original, starts);
    for (let cut = 0; cut < original.length; cut++) {
      const read = readChunked(format, original.subarray(0, cut), rng);
      assertPrefixKept(intact, starts, cut, read, `${basename(path)} cut at ${cut}`);
      if (format === "tfevents" && cut > 0 && !starts.includes(cut)) {
        assert.ok(
          read.problems.some((p) => !p.fatal && /truncated record/.test(p.message)),
          `${basename(path)} cut at ${cut}: the cut record is reported`,
        );
      }
    }
  }
});

test("every real event decodes the same by the fast path and by the general decoder", () => {
  // An unknown leading field (Event field 15, varint 1) makes the fast path decline; the general
  // decoder skips the field. Both must agree on every record of every event-file fixture.
  let compared = 0;
  for (const path of EVENT_FILES) {
    const bytes = new Uint8Array(readFileSync(path));
    const fast = new EventDecoder();
    const general = new EventDecoder();
    for (const start of recordStarts(bytes)) {
      const length = new DataView(bytes.buffer, bytes.byteOffset + start, 8).getUint32(0, true);
      const payload = bytes.subarray(start + 12, start + 12 + length);
      const detour = new Uint8Array(payload.length + 2);
      detour.set([0x78, 0x01]);
      detour.set(payload, 2);
      assert.deepEqual(general.decode(detour), fast.decode(payload), `${basename(path)}, record at ${start}`);
      compared++;
    }
  }
  assert.ok(compared >= 50, `${compared} records compared`);
});

const scratch = mkdtempSync(join(tmpdir(), "nashboard-fuzz-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

test("damaged files on disk: discovery and reading of a whole directory never throw", async () => {
  const rng = new Rng(99);
  const sources = [...TEXT_FILES, ...EVENT_FILES];
  for (let i = 0; i < 16; i++) {
    const path = sources[rng.int(sources.length)];
    const original = new Uint8Array(readFileSync(path));
    const damaged =
      i % 2 === 0
        ? flip(original, rng.int(original.length), rng.int(8))
        : insert(original, rng.int(original.length), binaryJunk(rng));
    // Event files keep their name (known by name); text logs become loose .log files.
    const name = basename(path).includes("events.out.tfevents.") ? basename(path) : `damaged-${i}.log`;
    writeFileSync(join(scratch, name), damaged);
  }
  writeFileSync(join(scratch, "junk.csv"), binaryJunk(rng));
  const { runs } = await readRuns(scratch);
  assert.ok(runs.length >= 2);
  for (const run of runs) for (const p of run.problems) assert.equal(typeof p.message, "string");
});
