import assert from "node:assert/strict";
import { test } from "node:test";
import { CsvParser, tagFromFileName } from "../src/sources/csv.ts";
import { parseAll } from "./helpers/parse-all.ts";

function parse(text: string, path = "metrics.csv", chunk?: number) {
  return parseAll(new CsvParser(path), new TextEncoder().encode(text), chunk);
}

test("a header names the tags; step, epoch and wall-time columns are recognised; canonical names are used", () => {
  const csv =
    "global_step,epoch,wall_time,loss/d/total,loss_gen,grad_norm_d\n0,1,1700000000.5,4.1,4.4,12\n200,2,1700000100,3.7,3.3,\n";
  const { points, problems } = parse(csv);
  assert.deepEqual(problems, []);
  assert.deepEqual(
    points.map((p) => [p.tag, p.sourceTag, p.value, p.step, p.epoch, p.wallTime]),
    [
      ["loss_disc", "loss/d/total", 4.1, 0, 1, 1700000000.5],
      ["loss_gen", "loss_gen", 4.4, 0, 1, 1700000000.5],
      ["grad_norm_d", "grad_norm_d", 12, 0, 1, 1700000000.5],
      // The empty grad_norm_d cell is "not logged", not a value.
      ["loss_disc", "loss/d/total", 3.7, 200, 2, 1700000100],
      ["loss_gen", "loss_gen", 3.3, 200, 2, 1700000100],
    ],
  );
});

test("TensorBoard's one-tag export: Wall time,Step,Value named from the file name", () => {
  const csv = "Wall time,Step,Value\n1686471125.123,200,3.859\n1686476702.5,400,NaN\n";
  const { points, meta } = parse(csv, "downloads/run-Kobo-tag-loss_d_total.csv");
  assert.deepEqual(
    points.map((p) => [p.tag, p.sourceTag, p.step, p.wallTime]),
    [
      ["loss_disc", "loss_d_total", 200, 1686471125.123],
      ["loss_disc", "loss_d_total", 400, 1686476702.5],
    ],
  );
  assert.ok(Number.isNaN(points[1].value));
  assert.ok(meta.notes!.some((n) => n.includes("loss_d_total")));
  assert.equal(parse(csv, "").points[0].tag, "value");
  assert.equal(tagFromFileName("C:\\tb\\run_train-tag-loss_g_fm.csv"), "loss_g_fm");
  assert.equal(tagFromFileName("lr.csv"), "lr");
});

test("semicolon and tab separators, quoted fields, Inf spellings, a millisecond wall time", () => {
  const semi = parse('Step;"loss_disc";"note; with separator"\n1;"1.5";"x"\n2;-inf;"say ""hi"""\n');
  assert.deepEqual(
    semi.points.filter((p) => p.tag === "loss_disc").map((p) => [p.step, p.value]),
    [
      [1, 1.5],
      [2, Number.NEGATIVE_INFINITY],
    ],
  );
  // The text column is reported once, at its first non-numeric cell, and skipped.
  assert.deepEqual(
    semi.problems.map((p) => p.line),
    [2],
  );
  assert.ok(semi.meta.notes!.includes("column note; with separator: 2 non-numeric cell(s) skipped"));
  const tabs = parse("iteration\ttimestamp\td_real\n10\t1700000000000\tInfinity\n");
  assert.deepEqual(
    tabs.points.map((p) => [p.tag, p.step, p.value, p.wallTime]),
    [["d_real", 10, Number.POSITIVE_INFINITY, 1700000000]],
  );
});

test("bad rows are reported with their line numbers and skipped; the rest is read", () => {
  const csv = [
    "step,loss_disc,loss_gen",
    "0,1.0,2.0",
    "1,1.1", // too few fields
    "x,1.2,2.2", // no step
    '2,"1.3,2.3', // open quote
    "\u0000\u0001\uFFFD garbage",
    "3,1.4,2.4,", // a trailing separator is tolerated
    "step,loss_disc,loss_gen", // a repeated header (concatenated files) is skipped
    "4,1.5,2.5",
  ].join("\n");
  const { points, problems } = parse(csv);
  assert.deepEqual(
    problems.map((p) => p.line),
    [3, 4, 5, 6],
  );
  assert.ok(problems.every((p) => !p.fatal));
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_gen").map((p) => [p.step, p.value]),
    [
      [0, 2],
      [3, 2.4],
      [4, 2.5],
    ],
  );
});

test("no step column: steps are row numbers; a step that goes back starts a segment; pandas' index is skipped", () => {
  const noStep = parse("loss_disc,loss_gen\n1,2\n3,4\n");
  assert.deepEqual(
    noStep.points.map((p) => [p.tag, p.step]),
    [
      ["loss_disc", 0],
      ["loss_gen", 0],
      ["loss_disc", 1],
      ["loss_gen", 1],
    ],
  );
  assert.ok(noStep.meta.notes!.includes("no step column: steps are row numbers"));
  const pandas = parse(",step,loss_disc\n0,100,1.5\n1,200,1.6\n2,100,1.7\n");
  assert.deepEqual(
    pandas.points.map((p) => [p.tag, p.step, p.value, p.segment]),
    [
      ["loss_disc", 100, 1.5, 0],
      ["loss_disc", 200, 1.6, 0],
      ["loss_disc", 100, 1.7, 1],
    ],
  );
});

test("a headerless table of numbers is read with numbered columns and one problem", () => {
  const { points, problems } = parse("0.5,0.25\n0.4,0.3\n");
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 1);
  assert.deepEqual(
    points.map((p) => [p.tag, p.step, p.value]),
    [
      ["column_1", 0, 0.5],
      ["column_2", 0, 0.25],
      ["column_1", 1, 0.4],
      ["column_2", 1, 0.3],
    ],
  );
});

test("1-byte and 7-byte chunks and CRLF give the same points", () => {
  const csv = "Step,loss_disc,loss_gen\n0,1.386,0.693\n10,1.2,0.9\n20,nan,1.1\n";
  const whole = parse(csv);
  assert.deepEqual(parse(csv, "metrics.csv", 1), whole);
  assert.deepEqual(parse(csv, "metrics.csv", 7), whole);
  assert.deepEqual(parse(csv.replaceAll("\n", "\r\n"), "metrics.csv", 7).points, whole.points);
  assert.equal(whole.points.length, 6);
});
