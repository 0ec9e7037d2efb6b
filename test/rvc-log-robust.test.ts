import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { Rng } from "../src/rng.ts";
import { RvcLogParser } from "../src/sources/rvc-log.ts";
import { parseAll } from "./helpers/parse-all.ts";

/** Every real RVC-family log, fed in awkward ways: the points must not change. */

const DIR = new URL("./fixtures/real-logs/", import.meta.url);
const NAMES = [
  ...readdirSync(DIR).filter((f) => f.endsWith(".log")),
  ...readdirSync(new URL("vits-family/", DIR))
    .filter((f) => f.endsWith(".log"))
    .map((f) => `vits-family/${f}`),
];
const bytesOf = (name: string) => new Uint8Array(readFileSync(new URL(name, DIR)));
const text = (name: string) => new TextDecoder().decode(bytesOf(name));
const utf8 = (s: string) => new TextEncoder().encode(s);

function parse(bytes: Uint8Array, chunk = bytes.length) {
  return parseAll(new RvcLogParser("test.log"), bytes, chunk);
}

function utf16(s: string, bigEndian: boolean): Uint8Array {
  const units = `\uFEFF${s}`;
  const out = new Uint8Array(units.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < units.length; i++) view.setUint16(i * 2, units.charCodeAt(i), !bigEndian);
  return out;
}

test("the fixtures hold the fourteen real RVC-family logs", () => {
  assert.equal(NAMES.length, 14);
});

test("1-byte, 7-byte and whole-file feeding give identical points, problems and hints", () => {
  for (const name of NAMES) {
    const bytes = bytesOf(name);
    const whole = parse(bytes);
    assert.ok(whole.points.length > 0, name);
    for (const chunk of [1, 7]) assert.deepEqual(parse(bytes, chunk), whole, `${name}, chunks of ${chunk}`);
  }
});

test("CRLF, lone-CR and UTF-16 LE/BE copies of each log give the same points", () => {
  for (const name of NAMES) {
    const original = text(name);
    const expected = parse(utf8(original)).points;
    const variants: [string, Uint8Array][] = [
      ["CRLF", utf8(original.replaceAll("\n", "\r\n"))],
      ["CR", utf8(original.replaceAll("\n", "\r"))],
      ["UTF-16 LE", utf16(original, false)],
      ["UTF-16 BE", utf16(original, true)],
      ["UTF-8 BOM", utf8(`\uFEFF${original}`)],
    ];
    for (const [label, bytes] of variants) {
      assert.deepEqual(parse(bytes, 7).points, expected, `${name} as ${label}`);
    }
  }
});

test("garbage text and binary junk between the lines: no exception, every good line still read", () => {
  const rng = new Rng(2024);
  for (const name of NAMES) {
    const lines = text(name).split("\n");
    const expected = parse(utf8(lines.join("\n"))).points;
    const parts: Uint8Array[] = [];
    for (const line of lines) {
      parts.push(utf8(`${line}\n`));
      if (rng.uniform() < 0.3) {
        // Random bytes, any value but the line breaks, so the good lines stay whole around them.
        const junk = Array.from({ length: 1 + Math.floor(rng.uniform() * 40) }, () =>
          Math.floor(rng.uniform() * 256),
        );
        parts.push(new Uint8Array([...junk.filter((b) => b !== 10 && b !== 13), 10]));
      }
      if (rng.uniform() < 0.1) parts.push(utf8("Traceback (most recent call last): ]][[ ==== %% \u0000\n"));
    }
    const dirty = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      dirty.set(p, at);
      at += p.length;
    }
    const result = parse(dirty, 13);
    assert.deepEqual(result.points, expected, name);
  }
});

test("a damaged loss line is a problem with its line number; the lines after it are read", () => {
  const log = [
    "INFO:exp:Train Epoch: 3 [50%]",
    "INFO:exp:[400, 9.9975e-05]",
    "INFO:exp:loss_disc=\u0007\u0003garbage, loss_gen=3.5, loss_fm=x1,loss_mel=20.000, loss_kl=1.000",
    "INFO:exp:[2.1, 2.4, oops, 18.0, 1.2, 600, 0.0001]",
    "INFO:exp:[2.2, 2.3, 9.0, 17.0, 1.1, 800, 0.0001",
    "INFO:exp:[1000, 9.99e-05]",
    "INFO:exp:loss_disc=3.900, loss_gen=3.100, loss_fm=9.000,loss_mel=19.000, loss_kl=75",
  ].join("\n");
  const { points, problems } = parse(utf8(log));
  assert.deepEqual(
    problems.map((p) => [p.line, p.fatal]),
    [
      [3, false],
      [3, false],
      [4, false],
      [5, false],
    ],
  );
  assert.match(problems[0].message, /loss_disc has no number/);
  assert.match(problems[1].message, /loss_fm has no number \('x1'\)/);
  assert.match(problems[2].message, /damaged loss row/);
  assert.match(problems[3].message, /damaged loss row/);
  // The readable values of line 3 are kept at its step; line 7 is read normally (kl=75 is not a clamp).
  assert.deepEqual(
    points.filter((p) => p.step === 400 && p.tag !== "lr").map((p) => [p.tag, p.value, p.epoch]),
    [
      ["loss_gen", 3.5, 3],
      ["loss_mel", 20, 3],
      ["loss_kl", 1, 3],
    ],
  );
  assert.deepEqual(
    points.filter((p) => p.step === 1000).map((p) => [p.tag, p.value, p.lowerBound ?? false]),
    [
      ["lr", 9.99e-5, false],
      ["loss_disc", 3.9, false],
      ["loss_gen", 3.1, false],
      ["loss_fm", 9, false],
      ["loss_mel", 19, false],
      ["loss_kl", 75, false],
    ],
  );
});

test("a growing file: a half-written last line waits for end(true), a complete one is read at once", () => {
  const parser = new RvcLogParser("train.log");
  const first = parser.push(utf8("INFO:e:[200, 0.0001]\nINFO:e:loss_disc=3.1"));
  assert.deepEqual(
    first.points.map((p) => p.tag),
    ["lr"],
  );
  assert.deepEqual(parser.end(false).points, []); // may still be "loss_disc=3.125, ..."
  const rest = parser.push(utf8("25, loss_gen=2.500"));
  assert.deepEqual(rest.points, []);
  const final = parser.end(true);
  assert.deepEqual(
    final.points.map((p) => [p.tag, p.value, p.step]),
    [
      ["loss_disc", 3.125, 200],
      ["loss_gen", 2.5, 200],
    ],
  );
});
