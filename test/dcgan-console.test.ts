import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { DcganConsoleParser, isDcganLine } from "../src/sources/dcgan-console.ts";
import { parseAll } from "./helpers/parse-all.ts";

const REAL = "real-logs/dcgan/pytorch-dcgan-tutorial-apachecn-zh-1.7.log";
const realBytes = () => new Uint8Array(readFileSync(new URL(`./fixtures/${REAL}`, import.meta.url)));

function parse(bytes: Uint8Array, chunk = bytes.length) {
  return parseAll(new DcganConsoleParser("dcgan.txt"), bytes, chunk);
}

test("the tutorial's real output: 160 lines, five values each, step = epoch × 1583 + batch", () => {
  const { points, problems, meta } = parse(realBytes());
  assert.deepEqual(problems, []); // the source note and "Starting Training Loop..." are not damage
  assert.equal(points.length, 160 * 5);
  assert.deepEqual(
    points.slice(0, 5).map((p) => [p.tag, p.sourceTag, p.value, p.step, p.epoch]),
    [
      ["loss_disc", "Loss_D", 1.9847, 0, 0],
      ["loss_gen", "Loss_G", 5.5914, 0, 0],
      ["d_real", "D(x)", 0.6004, 0, 0],
      ["d_fake", "D(G(z))", 0.668, 0, 0],
      ["d_fake_after_d_step", "D(G(z)) after the D step", 0.0062, 0, 0],
    ],
  );
  const disc = points.filter((p) => p.tag === "loss_disc");
  assert.equal(disc[32].step, 1583); // [1/5][0/1583]
  assert.equal(disc.at(-1)!.step, 4 * 1583 + 1550);
  assert.equal(disc.at(-1)!.epoch, 4);
  assert.equal(disc.at(-1)!.value, 0.8135);
  // The run's collapse and recovery: D wins outright (Loss_D printed as 0.0000) until [1/5][400/1583].
  const zero = disc.filter((p) => p.value === 0);
  assert.equal(zero.length, 31); // grep -c "Loss_D: 0.0000"
  assert.equal(zero[0].step, 300);
  assert.equal(zero.at(-1)!.step, 1583 + 350);
  const gen = points.filter((p) => p.tag === "loss_gen");
  assert.equal(Math.max(...gen.map((p) => p.value)), 42.5731);
  assert.ok(points.every((p) => p.segment === 0));
  assert.equal(meta.lossFamily, "bce");
  assert.ok(meta.notes!.includes("5 epochs of 1583 batches"));
});

test("chunked feeding, CRLF and tab-separated lines give the same points", () => {
  const bytes = realBytes();
  const whole = parse(bytes);
  assert.deepEqual(parse(bytes, 1), whole);
  assert.deepEqual(parse(bytes, 7), whole);
  const text = new TextDecoder().decode(bytes);
  assert.deepEqual(parse(new TextEncoder().encode(text.replaceAll("\n", "\r\n")), 7).points, whole.points);
  // The tutorial itself prints tabs; the copy has spaces. Both read alike.
  const tabbed = text.replace(/\] +Loss_D/g, "]\tLoss_D").replace(/ +(Loss_G|D\(x\)|D\(G\(z\)\))/g, "\t$1");
  assert.notEqual(tabbed, text);
  assert.deepEqual(parse(new TextEncoder().encode(tabbed)).points, whole.points);
});

test("a damaged progress line is reported with its line number; the next lines are read", () => {
  const log = [
    "[0/2][0/10]\tLoss_D: 1.3863\tLoss_G: 0.7012\tD(x): 0.5000\tD(G(z)): 0.5000 / 0.5000",
    "[0/2][5/10]\tLoss_D: ###\tLoss_G: 0.7012",
    "random output",
    "[1/2][0/10] Loss_D: nan Loss_G: inf D(x): 0.9 D(G(z)): 0.1 / 0.2",
  ].join("\n");
  const { points, problems } = parse(new TextEncoder().encode(log));
  assert.deepEqual(
    problems.map((p) => p.line),
    [2],
  );
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_gen").map((p) => [p.step, p.value]),
    [
      [0, 0.7012],
      [10, Number.POSITIVE_INFINITY],
    ],
  );
  assert.ok(Number.isNaN(points.find((p) => p.tag === "loss_disc" && p.step === 10)!.value));
});

test("a rerun that starts again at [0/N][0/M] is a new segment", () => {
  const line = (e: number, i: number) => `[${e}/2][${i}/10] Loss_D: 1 Loss_G: 1 D(x): 0.5 D(G(z)): 0.5 / 0.5`;
  const { points } = parse(new TextEncoder().encode([line(0, 0), line(1, 5), line(0, 0)].join("\n")));
  assert.deepEqual(
    points.filter((p) => p.tag === "loss_disc").map((p) => [p.step, p.segment]),
    [
      [0, 0],
      [15, 0],
      [0, 1],
    ],
  );
});

test("isDcganLine accepts the tutorial's line and not RVC or CSV lines", () => {
  assert.ok(
    isDcganLine("[4/5][1550/1583]\tLoss_D: 0.6989\tLoss_G: 3.6959\tD(x): 0.9159\tD(G(z)): 0.4117 / 0.0348"),
  );
  assert.ok(!isDcganLine("INFO:exp:loss_disc=4.107, loss_gen=4.434"));
  assert.ok(!isDcganLine("step,Loss_D,Loss_G"));
});
