import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { balancePolicy } from "../src/control/balance-policy.ts";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import type { Snapshot, StateName } from "../src/monitor/types.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { RUN_FILES, runTraining } from "../src/train/run.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-control-"));
after(() => rmSync(root, { recursive: true, force: true }));

function snapshot(state: StateName, gap: number | undefined, completedSteps = 10, step = 200): Snapshot {
  return {
    step,
    state,
    confidence: 1,
    evidence: [],
    signals: gap === undefined ? {} : { d_gap: gap },
    completedSteps,
  };
}

test("the policy's numbered steps: diverged, no signal, D ahead, G ahead, balanced", () => {
  const table: [StateName, number | undefined, string, string][] = [
    ["diverged", 0.9, "slow_both", "diverged"],
    ["warmup", 0.9, "hold", "no_signal"],
    ["balanced", undefined, "hold", "no_signal"],
    ["d_dominant", 0.2, "slow_d", "d_ahead"],
    ["balanced", 0.6, "slow_d", "d_ahead"],
    ["g_dominant", 0.1, "slow_g", "g_ahead"],
    ["collapse_suspected", 0.1, "slow_g", "g_ahead"],
    ["balanced", -0.05, "slow_g", "g_ahead"],
    ["balanced", 0.15, "hold", "balanced"],
  ];
  for (const [state, gap, direction, reason] of table) {
    const d = balancePolicy(snapshot(state, gap));
    assert.deepEqual([d.direction, d.reason], [direction, reason], `${state} gap ${gap}`);
  }
});

test("the controller acts every `interval` judged steps, by one fixed step, within its bounds", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3 });
  let lrD = 1e-3;
  let lrG = 1e-3;
  assert.equal(
    c.observe(snapshot("d_dominant", 0.8, 3), lrD, lrG),
    undefined,
    "not before the first interval",
  );
  const first = c.observe(snapshot("d_dominant", 0.8, 5), lrD, lrG);
  assert.ok(first);
  assert.ok(Math.abs(first.lrD - 1e-3 * DEFAULT_CONTROLLER.step) < 1e-15);
  assert.ok(first.lrG > 1e-3, "slowing D speeds G a little");
  assert.deepEqual(
    first.events.map((e) => [e.param, e.from, e.reason]),
    [
      ["lr_d", 1e-3, "d_ahead"],
      ["lr_g", 1e-3, "d_ahead"],
    ],
  );
  assert.equal(
    c.observe(snapshot("d_dominant", 0.8, 7), first.lrD, first.lrG),
    undefined,
    "not twice within an interval",
  );
  for (let n = 10; n < 1000; n += 5) {
    const r = c.observe(snapshot("d_dominant", 0.8, n), lrD, lrG);
    if (r) ({ lrD, lrG } = r);
  }
  assert.ok(
    Math.abs(lrD - 1e-3 * DEFAULT_CONTROLLER.minFactor) < 1e-15,
    `lr_d bottoms out at its bound (${lrD})`,
  );
  assert.ok(
    Math.abs(lrG - 1e-3 * DEFAULT_CONTROLLER.maxFactor) < 1e-12,
    `lr_g tops out at its bound (${lrG})`,
  );
  assert.equal(
    c.observe(snapshot("d_dominant", 0.8, 2000), lrD, lrG),
    undefined,
    "no event when the bounds stop a move",
  );
  assert.equal(
    c.observe(snapshot("balanced", 0.1, 2005), lrD, lrG),
    undefined,
    "a balanced game is left alone",
  );
});

const small: TrainConfig = {
  ...DEFAULT_CONFIG,
  gHidden: [32, 32],
  dHidden: [32, 32],
  batch: 64,
  logInterval: 5,
  evalInterval: 0,
  evalSamples: 200,
  checkpointInterval: 100,
  steps: 400,
  lrD: 1e-2,
  dSteps: 3,
  controller: true,
};

test("on a run whose D is ten times too fast, the controller lowers lr_d and records why; a resume continues it exactly", async () => {
  const whole = join(root, "whole");
  const r = await runTraining(small, { dir: whole });
  const events = readFileSync(join(whole, RUN_FILES.control), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  const lrD = events.filter((e) => e.param === "lr_d");
  assert.ok(lrD.length >= 2, `the controller acted (${lrD.length} lr_d changes)`);
  assert.equal(lrD[0].reason, "d_ahead");
  assert.ok(lrD.at(-1).to < small.lrD, "lr_d ends lower than it started");
  assert.equal(r.completed, true);
  const metrics = readFileSync(join(whole, RUN_FILES.metrics), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  // Each change is in force from the next update: the next logged step reports the new rate.
  for (const e of lrD) {
    const next = metrics.find((m) => m.step > e.step);
    if (next) assert.ok(Math.abs(next.lr_d - e.to) < 1e-6 * e.to, `step ${next.step} uses lr_d ${e.to}`); // logged as float32
  }

  const split = join(root, "split");
  await runTraining({ ...small, steps: 200 }, { dir: split });
  await runTraining(small, { dir: split, resume: true });
  assert.equal(
    readFileSync(join(split, RUN_FILES.control), "utf8"),
    readFileSync(join(whole, RUN_FILES.control), "utf8"),
  );
});
