import assert from "node:assert/strict";
import { test } from "node:test";
import { JsonlParser } from "../src/sources/jsonl.ts";
import { parseAll } from "./helpers/parse-all.ts";

function parse(text: string, chunk?: number) {
  return parseAll(new JsonlParser("metrics.jsonl"), new TextEncoder().encode(text), chunk);
}

/** Two records as the trainer's metrics.jsonl writes them (src/train/run.ts: non-finite as strings). */
const TRAINER = [
  JSON.stringify({
    step: 10,
    wall_time: 1764160000.25,
    loss_disc: 1.38,
    loss_gen: 0.7,
    d_real: 0.51,
    d_fake: 0.49,
    lr_d: 0.0002,
    lr_g: 0.0002,
    grad_norm_d: 0.3,
    grad_norm_g: 0.2,
  }),
  JSON.stringify({
    step: 20,
    wall_time: 1764160001,
    loss_disc: "NaN",
    loss_gen: "Infinity",
    d_real: "-Infinity",
  }),
].join("\n");

test("the trainer's records: every numeric field but step and wall_time is a tag", () => {
  const { points, problems } = parse(TRAINER);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points
      .filter((p) => p.step === 10)
      .map((p) => p.tag)
      .sort(),
    ["d_fake", "d_real", "grad_norm_d", "grad_norm_g", "loss_disc", "loss_gen", "lr_d", "lr_g"],
  );
  assert.ok(points.every((p) => p.segment === 0));
  assert.equal(points[0].wallTime, 1764160000.25);
  const late = points.filter((p) => p.step === 20);
  assert.ok(Number.isNaN(late[0].value));
  assert.equal(late[1].value, Number.POSITIVE_INFINITY);
  assert.equal(late[2].value, Number.NEGATIVE_INFINITY);
});

test("Python's bare NaN / Infinity tokens and JSON.stringify's null are read as non-finite values", () => {
  const { points, problems } = parse(
    '{"step": 1, "loss_disc": NaN, "loss_gen": -Infinity, "d_fake": Infinity, "note": "NaN here stays text"}\n' +
      '{"step": 2, "loss_disc": null, "loss_gen": 0.5, "ok": true}',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.map((p) => [p.tag, p.step, String(p.value)]),
    [
      ["loss_disc", 1, "NaN"],
      ["loss_gen", 1, "-Infinity"],
      ["d_fake", 1, "Infinity"],
      ["loss_disc", 2, "NaN"],
      ["loss_gen", 2, "0.5"],
    ],
  );
});

test("nested objects and arrays are flattened with '/', tensorboard names become canonical", () => {
  const { points } = parse(
    '{"global_step": 5, "epoch": 2, "loss": {"d": {"total": 3.5}}, "mode_counts": [4, 0]}',
  );
  assert.deepEqual(
    points.map((p) => [p.tag, p.sourceTag, p.value, p.step, p.epoch]),
    [
      ["loss_disc", "loss/d/total", 3.5, 5, 2],
      ["mode_counts/0", "mode_counts/0", 4, 5, 2],
      ["mode_counts/1", "mode_counts/1", 0, 5, 2],
    ],
  );
});

test("a bad line is a problem with its line number; the lines after it are still read", () => {
  const text = [
    '{"step": 1, "loss_disc": 1.0}',
    '{"step": 2, "loss_disc": 1.1', // cut
    "[1, 2, 3]",
    "\u0000\u00ff binary",
    '{"step": "soon", "loss_disc": 1.2}',
    "",
    '{"step": 3, "loss_disc": 1.3}',
  ].join("\n");
  const { points, problems } = parse(text);
  assert.deepEqual(
    problems.map((p) => p.line),
    [2, 3, 4, 5],
  );
  assert.match(problems[1].message, /not a JSON object/);
  assert.deepEqual(
    points.map((p) => [p.step, p.value]),
    [
      [1, 1],
      [3, 1.3],
    ],
  );
});

test("records without a step continue from the previous one; a step going back is a new segment", () => {
  const { points, meta } = parse(
    '{"step": 7, "a": 1}\n{"a": 2}\n{"step": 3, "a": 3}\n{"a": 4, "time": 1700000000123}',
  );
  assert.deepEqual(
    points.map((p) => [p.step, p.segment, p.wallTime]),
    [
      [7, 0, undefined],
      [8, 0, undefined],
      [3, 1, undefined],
      [4, 1, 1700000000.123],
    ],
  );
  assert.ok(meta.notes!.includes("2 record(s) without a step: numbered after the previous one"));
});

test("1-byte and 7-byte chunks, CRLF and a UTF-8 BOM give the same points", () => {
  const whole = parse(TRAINER);
  assert.deepEqual(parse(TRAINER, 1), whole);
  assert.deepEqual(parse(TRAINER, 7), whole);
  assert.deepEqual(parse(TRAINER.replaceAll("\n", "\r\n"), 7).points, whole.points);
  assert.deepEqual(parse(`\uFEFF${TRAINER}`).points, whole.points);
  assert.equal(whole.points.length, 11);
});
