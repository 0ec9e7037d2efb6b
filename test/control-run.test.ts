/**
 * What the controller records: each event with the monitor's reading that caused it, and a real run's
 * control.jsonl, which a resumed run continues exactly.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import type { Snapshot } from "../src/monitor/types.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { runTraining } from "../src/train/run.ts";
import { RUN_FILES } from "../src/train/run-files.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-control-"));
after(() => rmSync(root, { recursive: true, force: true }));
test("each event carries the monitor's reading that caused it: state, confidence, the policy's rule, its comparison first, then the state's evidence", () => {
  const s: Snapshot = {
    step: 40,
    state: "warmup",
    confidence: 0.7,
    evidence: [{ signal: "judged_steps", value: 2, threshold: 5, op: "<" }],
    signals: { d_gap: 0.85 },
    completedSteps: 2,
  };
  const change = new LrController({ lrD: 1e-2, lrG: 1e-3 }).observe(s, {
    lrD: 1e-2,
    lrG: 1e-3,
    dSteps: 1,
    r1: 0,
  });
  assert.ok(change);
  for (const e of change.events) {
    assert.deepEqual([e.state, e.confidence, e.rule, e.urgent, e.gap], ["warmup", 0.7, 3, true, 0.85]);
    assert.deepEqual(e.evidence, [
      { signal: "d_gap", value: 0.85, threshold: DEFAULT_CONTROLLER.gapExtreme, op: ">=" },
      { signal: "judged_steps", value: 2, threshold: 5, op: "<" },
    ]);
  }
  assert.equal(change.decision.rule, 3);
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

  // R1 is switched on with the first urgent move; a later change eases it (balanced) to its floor,
  // never to 0, until the finish fades it with the rates.
  const r1 = events.filter((e) => e.param === "r1");
  assert.deepEqual([r1[0].kind, r1[0].from, r1[0].to, r1[0].step], ["r1_change", 0, 0.1, events[0].step]);
  for (const e of r1.slice(1))
    assert.ok(
      e.to < e.from &&
        (e.reason === "balanced" ? e.to >= DEFAULT_CONTROLLER.r1Floor : e.reason === "finish" && e.to > 0),
      JSON.stringify(e),
    );
  const faded = r1.filter((e) => e.reason === "finish");
  assert.ok(faded.length > 0 && faded.every((e) => e.step > small.steps / 2), "faded in the last half only");
  // D's update count comes down at once (3 -> 2 -> 1), each change in the file, never out of [1, 3].
  const dSteps = events.filter((e) => e.param === "d_steps");
  assert.deepEqual(
    dSteps.slice(0, 2).map((e) => [e.kind, e.from, e.to, e.urgent]),
    [
      ["d_steps_change", 3, 2, true],
      ["d_steps_change", 2, 1, true],
    ],
  );
  assert.ok(dSteps.every((e) => Math.abs(e.to - e.from) === 1 && e.to >= 1 && e.to <= small.dSteps));
  assert.ok(dSteps[0].step < 50, `the first move comes within the first logged steps (${dSteps[0].step})`);

  // Stopped at step 200 of the same run (as Ctrl-C stops it), so the controller's budget is the same.
  const split = join(root, "split");
  const stop = new AbortController();
  await runTraining(
    small,
    { dir: split },
    { signal: stop.signal, onLog: (m) => m.step >= 200 && stop.abort() },
  );
  await runTraining(small, { dir: split, resume: true });
  assert.equal(
    readFileSync(join(split, RUN_FILES.control), "utf8"),
    readFileSync(join(whole, RUN_FILES.control), "utf8"),
  );
  const withoutTime = (dir: string) =>
    readFileSync(join(dir, RUN_FILES.metrics), "utf8").replace(/"wall_time":[0-9.e+]+,/g, "");
  assert.equal(withoutTime(split), withoutTime(whole), "the resumed run trains exactly as the whole one");
});
