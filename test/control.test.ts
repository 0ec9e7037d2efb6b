import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { balancePolicy } from "../src/control/balance-policy.ts";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import type { Snapshot, StateName } from "../src/monitor/types.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { runTraining } from "../src/train/run.ts";
import { RUN_FILES } from "../src/train/run-files.ts";

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

/**
 * The controller's ordinary machinery, as in a run it is already steering (or as it was before issue 17
 * made it hold on a run it has not steered): the tests of that machinery use it.
 */
const ORDINARY = { ...DEFAULT_CONTROLLER, holdUntilSteered: false, settleOnlySteered: false };

test("the policy's numbered steps: diverged, no signal, extreme gaps at once, warm-up, D ahead, G ahead, balanced", () => {
  const table: [StateName, number | undefined, string, string, boolean][] = [
    ["diverged", 0.9, "slow_both", "diverged", true],
    ["balanced", undefined, "hold", "no_signal", false],
    ["warmup", 0.9, "slow_d", "d_ahead", true],
    ["balanced", 0.7, "slow_d", "d_ahead", true],
    ["warmup", -0.5, "slow_g", "g_ahead", true],
    ["warmup", 0.5, "hold", "no_signal", false],
    ["d_dominant", 0.2, "slow_d", "d_ahead", false],
    ["balanced", 0.5, "slow_d", "d_ahead", false],
    ["g_dominant", 0.1, "slow_g", "g_ahead", false],
    ["collapse_suspected", 0.1, "slow_g", "g_ahead", false],
    ["balanced", -0.05, "slow_g", "g_ahead", false],
    ["balanced", 0.15, "hold", "balanced", false],
  ];
  for (const [state, gap, direction, reason, urgent] of table) {
    const d = balancePolicy(snapshot(state, gap), DEFAULT_CONTROLLER, true);
    assert.deepEqual([d.direction, d.reason, d.urgent], [direction, reason, urgent], `${state} gap ${gap}`);
  }
});

test("ordinary moves: every `interval` judged steps, D's update count first, then one fixed step, within bounds", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3, dSteps: 2 }, ORDINARY);
  let lrD = 1e-3;
  let lrG = 1e-3;
  const ahead = (n: number) => snapshot("d_dominant", 0.5, n);
  assert.equal(
    c.observe(ahead(3), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 60),
    undefined,
    "not before the first interval",
  );
  const first = c.observe(ahead(5), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 100);
  assert.ok(first);
  assert.deepEqual([first.dSteps, first.lrD, first.lrG], [1, lrD, lrG], "one D update fewer, rates kept");
  assert.deepEqual(
    first.events.map((e) => [e.kind, e.param, e.from, e.to, e.reason, e.urgent]),
    [["d_steps_change", "d_steps", 2, 1, "d_ahead", undefined]],
  );
  assert.equal(
    c.observe(ahead(7), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 140),
    undefined,
    "not twice within an interval",
  );
  const second = c.observe(ahead(10), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 200);
  assert.ok(second);
  assert.ok(Math.abs(second.lrD - 1e-3 * DEFAULT_CONTROLLER.step) < 1e-15, "then lr_d by one step");
  assert.equal(second.lrG, 1e-3, "the other player is not hurried along");
  assert.deepEqual(
    second.events.map((e) => [e.param, e.from, e.reason]),
    [["lr_d", 1e-3, "d_ahead"]],
  );
  for (let n = 15; n < 1000; n += 5) {
    const r = c.observe(ahead(n), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 20 * n);
    if (r) ({ lrD, lrG } = r);
  }
  // An ordinary lead that never answers the rates (grid25's long learning phase) winds up no further
  // than a quarter of the starting rate.
  assert.ok(
    Math.abs(lrD - 1e-3 * DEFAULT_CONTROLLER.ordinaryMinFactor) < 1e-15,
    `lr_d bottoms out at the ordinary bound (${lrD})`,
  );
  assert.equal(lrG, 1e-3, "no rate ever rises above its start");
  assert.equal(
    c.observe(ahead(2000), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40000),
    undefined,
    "no event when the bounds stop a move",
  );
  assert.equal(
    c.observe(snapshot("balanced", 0.1, 2005), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40100),
    undefined,
    "a balanced game is left alone",
  );
  // G ahead: D's updates come first, one per decision, up to maxDSteps (3); only then is G slowed.
  const back = c.observe(snapshot("g_dominant", 0.05, 2010), { lrD: lrD, lrG: lrG, dSteps: 1, r1: 0 }, 40200);
  assert.deepEqual([back?.dSteps, back?.lrD, back?.lrG], [2, lrD, lrG]);
  const more = c.observe(snapshot("g_dominant", 0.05, 2015), { lrD: lrD, lrG: lrG, dSteps: 2, r1: 0 }, 40300);
  assert.deepEqual([more?.dSteps, more?.lrD, more?.lrG], [3, lrD, lrG], "beyond the configured 2");
  const then = c.observe(snapshot("g_dominant", 0.05, 2020), { lrD: lrD, lrG: lrG, dSteps: 3, r1: 0 }, 40400);
  assert.equal(then?.dSteps, 3, "never beyond maxDSteps");
  assert.ok(then && then.lrG < lrG, "then lr_g comes down");
});

test("a run configured with more D updates than maxDSteps keeps its count as the ceiling", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3, dSteps: 5 }, ORDINARY);
  const g = (n: number, dSteps: number) =>
    c.observe(snapshot("g_dominant", 0.05, n), { lrD: 1e-3, lrG: 1e-3, dSteps, r1: 0 }, 20 * n);
  assert.equal(g(5, 4)?.dSteps, 5);
  const then = g(10, 5);
  assert.equal(then?.dSteps, 5);
  assert.ok(then && then.lrG < 1e-3);
});

test("urgent moves: an extreme gap is acted on from the first judged steps, every 2; the player behind, while slower, is doubled, else the leader halved; D far ahead switches R1 on", () => {
  const c = new LrController({ lrD: 1e-2, lrG: 1e-3, dSteps: 3 });
  const far = (n: number) => snapshot("warmup", 0.85, n, 20 * n);
  assert.equal(c.observe(far(1), { lrD: 1e-2, lrG: 1e-3, dSteps: 3, r1: 0 }, 20), undefined);
  const first = c.observe(far(2), { lrD: 1e-2, lrG: 1e-3, dSteps: 3, r1: 0 }, 40);
  assert.ok(first);
  assert.deepEqual([first.dSteps, first.lrD, first.lrG, first.r1], [2, 1e-2, 2e-3, DEFAULT_CONTROLLER.r1On]);
  assert.ok(first.events.every((e) => e.urgent === true && e.reason === "d_ahead" && e.step === 40));
  assert.deepEqual(
    first.events.map((e) => [e.kind, e.param, e.from, e.to]),
    [
      ["d_steps_change", "d_steps", 3, 2],
      ["r1_change", "r1", 0, 0.1],
      ["lr_change", "lr_g", 1e-3, 2e-3],
    ],
  );
  assert.equal(
    c.observe(far(3), { lrD: 1e-2, lrG: 2e-3, dSteps: 2, r1: 0.1 }, 60),
    undefined,
    "not twice within 2 judged steps",
  );
  const second = c.observe(far(4), { lrD: 1e-2, lrG: 2e-3, dSteps: 2, r1: 0.1 }, 80);
  assert.deepEqual([second?.dSteps, second?.lrD, second?.lrG, second?.r1], [1, 1e-2, 4e-3, 0.1]);
  assert.ok(
    second?.events.every((e) => e.param !== "r1"),
    "R1, once on, stays as it is",
  );
  // G is raised up to raiseCap times its own start (here below the leader's rate), then D is halved.
  const capped = new LrController({ lrD: 1, lrG: 1e-3 });
  let knobs = { lrD: 1, lrG: 1e-3, dSteps: 1, r1: 0.1 };
  const seen: [number, number][] = [];
  for (let n = 2; n <= 12; n += 2) {
    const r = capped.observe(far(n), knobs, 20 * n);
    assert.ok(r);
    knobs = { lrD: r.lrD, lrG: r.lrG, dSteps: r.dSteps, r1: r.r1 };
    seen.push([r.lrD, r.lrG]);
  }
  assert.deepEqual(seen, [
    [1, 2e-3],
    [1, 4e-3],
    [1, 8e-3],
    [1, 1e-2],
    [0.5, 1e-2],
    [0.25, 1e-2],
  ]);
  // Players at the same rate: the leader is halved, the other kept.
  const level = new LrController({ lrD: 1e-3, lrG: 1e-3 }).observe(far(2), {
    lrD: 1e-3,
    lrG: 1e-3,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([level?.lrD, level?.lrG], [5e-4, 1e-3]);
  // G far ahead of a slower D: D is doubled, G kept.
  const g = new LrController({ lrD: 1e-3, lrG: 1e-2 }).observe(snapshot("balanced", -0.5, 2), {
    lrD: 1e-3,
    lrG: 1e-2,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([g?.lrD, g?.lrG, g?.dSteps], [2e-3, 1e-2, 1]);
  // Without the raise (raiseCap 1) the leader alone is halved, as before issue 17's rescue work.
  const noRaise = new LrController({ lrD: 1e-3, lrG: 1e-2 }, { ...DEFAULT_CONTROLLER, raiseCap: 1 });
  const h = noRaise.observe(snapshot("balanced", -0.5, 2), { lrD: 1e-3, lrG: 1e-2, dSteps: 1, r1: 0 });
  assert.deepEqual([h?.lrD, h?.lrG], [1e-3, 5e-3]);
  // A diverging run: both halved at once.
  const both = new LrController({ lrD: 1e-3, lrG: 1e-3 }).observe(snapshot("diverged", Number.NaN, 2), {
    lrD: 1e-3,
    lrG: 1e-3,
    dSteps: 1,
    r1: 0,
  });
  assert.deepEqual([both?.lrD, both?.lrG], [5e-4, 5e-4]);
});

test("R1 the controller switched on is eased once the game is balanced again: halved per interval to its floor, never off; the run's own R1 stays", () => {
  const c = new LrController({ lrD: 1e-3, lrG: 1e-3 }, ORDINARY);
  const knobs = { lrD: 1e-3, lrG: 1e-3, dSteps: 1, r1: 0.1 };
  const balanced = (n: number) => snapshot("balanced", 0.15, n, 20 * n);
  const seen: number[] = [];
  // Within settleAfter balanced decisions, so the rates stay as they are (settling has its own test).
  for (let n = 5; n <= 5 * DEFAULT_CONTROLLER.settleAfter; n += 5) {
    const r = c.observe(balanced(n), knobs);
    if (!r) continue;
    assert.ok(r.events.every((e) => e.param === "r1" && e.reason === "balanced" && !e.urgent));
    knobs.r1 = r.r1;
    seen.push(r.r1);
  }
  assert.deepEqual(seen, [0.05, DEFAULT_CONTROLLER.r1Floor], "0.1 -> 0.05 -> 0.025, and there it stays");
  // D ahead or G ahead is not a balanced game: R1 is left where it is.
  const ahead = new LrController({ lrD: 4e-3, lrG: 1e-3 }, ORDINARY);
  const r = ahead.observe(snapshot("d_dominant", 0.5, 5), { ...knobs, lrD: 4e-3, r1: 0.1 });
  assert.deepEqual(
    r?.events.map((e) => e.param),
    ["lr_d"],
  );
  // A run started with R1 keeps at least its own weight.
  const own = new LrController({ lrD: 1e-3, lrG: 1e-3, r1: 0.05 }, ORDINARY);
  const back = own.observe(balanced(5), { ...knobs, r1: 0.1 });
  assert.equal(back?.r1, 0.05);
  assert.equal(own.observe(balanced(10), { ...knobs, r1: 0.05 }), undefined);
});

test("settling: after settleAfter balanced decisions in a row both rates shrink by `settle` per interval, ratio and bounds kept; any other decision pauses it", () => {
  const { settleAfter, settle, settleFloor } = DEFAULT_CONTROLLER;
  const c = new LrController({ lrD: 2e-3, lrG: 1e-3 }, ORDINARY);
  const knobs = { lrD: 2e-3, lrG: 1e-3, dSteps: 1, r1: 0 };
  let n = 0;
  // One decision: 5 judged steps (100 training steps) after the last.
  const decide = (state: StateName, gap: number) => {
    n += 5;
    const r = c.observe(snapshot(state, gap, n, 20 * n), knobs);
    if (r) Object.assign(knobs, { lrD: r.lrD, lrG: r.lrG, dSteps: r.dSteps, r1: r.r1 });
    return r;
  };
  for (let i = 0; i < settleAfter; i++) assert.equal(decide("balanced", 0.15), undefined);
  const first = decide("balanced", 0.15);
  assert.ok(first, "the first balanced decision past settleAfter moves both rates");
  assert.deepEqual(
    first.events.map((e) => [e.param, e.reason]),
    [
      ["lr_d", "settle"],
      ["lr_g", "settle"],
    ],
  );
  assert.ok(Math.abs(knobs.lrD - 2e-3 * settle) < 1e-12 && Math.abs(knobs.lrG - 1e-3 * settle) < 1e-12);
  // D ahead: the ordinary rule moves lr_d, the settled share stays, and the run of balanced decisions
  // starts again.
  const ahead = decide("d_dominant", 0.5);
  assert.deepEqual(
    ahead?.events.map((e) => [e.param, e.reason]),
    [["lr_d", "d_ahead"]],
  );
  const afterAhead = knobs.lrG;
  for (let i = 0; i < settleAfter; i++) decide("balanced", 0.15);
  assert.equal(knobs.lrG, afterAhead, "a lead resets the count");
  // A long balanced game: the share falls to settleFloor and stops there.
  for (let i = 0; i < 400; i++) decide("balanced", 0.15);
  assert.ok(Math.abs(knobs.lrG - 1e-3 * settleFloor) < 1e-12, `lr_g ${knobs.lrG}`);
  assert.equal(decide("balanced", 0.15), undefined, "no event once at the floor");
  // A resumed run goes on from the same share and count.
  const restored = new LrController({ lrD: 2e-3, lrG: 1e-3 }, ORDINARY);
  restored.restore(c.state());
  assert.deepEqual(restored.state(), c.state(), "the settled share survives a resume");
});

test("settling waits for the monitor's own balanced (an oscillating game does not count) and never runs beside the run's own decay", () => {
  const { settleAfter } = DEFAULT_CONTROLLER;
  const run = (c: LrController, state: StateName) => {
    const knobs = { lrD: 1e-3, lrG: 1e-3, dSteps: 1, r1: 0 };
    const moved: string[] = [];
    for (let n = 5; n <= 5 * (settleAfter + 3); n += 5) {
      const r = c.observe(snapshot(state, 0.15, n, 20 * n), knobs);
      if (r) moved.push(...r.events.map((e) => `${e.param}:${e.reason}`));
    }
    return moved;
  };
  assert.deepEqual(balancePolicy(snapshot("oscillating", 0.15)).reason, "balanced", "the policy holds on it");
  assert.deepEqual(run(new LrController({ lrD: 1e-3, lrG: 1e-3 }, ORDINARY), "oscillating"), []);
  assert.ok(run(new LrController({ lrD: 1e-3, lrG: 1e-3 }, ORDINARY), "balanced").includes("lr_g:settle"));
  assert.deepEqual(run(new LrController({ lrD: 1e-3, lrG: 1e-3, decays: true }, ORDINARY), "balanced"), []);
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

test("first, do no harm: before it has steered a run the controller moves it only on a clear failure, then by the ordinary rules", () => {
  const c = {
    ...DEFAULT_CONTROLLER,
    holdUntilSteered: true,
    gapExtremeFirst: 0.75,
    earlyJudged: 50,
    minConfidence: 0.6,
  };
  const at = (state: StateName, gap: number, completedSteps: number, confidence = 1) => ({
    ...snapshot(state, gap, completedSteps),
    confidence,
  });
  const decide = (s: Snapshot, steered = false) => {
    const d = balancePolicy(s, c, steered);
    return [d.direction, d.reason, d.rule];
  };
  // An ordinary D lead (healthy grid25 while G learns the grid) is held, with the reason said.
  assert.deepEqual(decide(at("d_dominant", 0.5, 200)), ["hold", "unsure", 8]);
  assert.deepEqual(decide(at("balanced", 0.45, 200)), ["hold", "unsure", 8], "the gap alone: held");
  // D's gap at 0.6 is a failure in the first judged steps, not later, where only 0.75 is.
  assert.deepEqual(decide(at("warmup", 0.65, 3)), ["slow_d", "d_ahead", 3]);
  assert.deepEqual(decide(at("d_dominant", 0.65, 200)), ["hold", "unsure", 8]);
  assert.deepEqual(decide(at("d_dominant", 0.8, 200)), ["slow_d", "d_ahead", 3]);
  // A G lead moves the run when the monitor reads it with confidence.
  assert.deepEqual(decide(at("g_dominant", 0.05, 200, 0.5)), ["hold", "unsure", 8]);
  assert.deepEqual(decide(at("collapse_suspected", 0.05, 200, 0.7)), ["slow_g", "g_ahead", 7]);
  assert.deepEqual(decide(at("balanced", -0.1, 200)), ["hold", "unsure", 8], "the gap alone: held");
  // Divergence and D fooled outright are failures whenever they come.
  assert.deepEqual(decide(at("diverged", 0.1, 200)), ["slow_both", "diverged", 1]);
  assert.deepEqual(decide(at("balanced", -0.4, 200)), ["slow_g", "g_ahead", 4]);
  // Once steering, the ordinary rules: D's lead and the gap alone move it again.
  assert.deepEqual(decide(at("d_dominant", 0.5, 200), true), ["slow_d", "d_ahead", 6]);
  assert.deepEqual(decide(at("balanced", 0.45, 200), true), ["slow_d", "d_ahead", 6]);
  assert.deepEqual(decide(at("d_dominant", 0.65, 200), true), ["slow_d", "d_ahead", 3]);
  assert.deepEqual(decide(at("balanced", -0.1, 200), true), ["slow_g", "g_ahead", 7]);
  // The controller knows when it has steered: a run it never moved is never settled either.
  const ctl = new LrController({ lrD: 1e-3, lrG: 1e-3 }, { ...c, settleOnlySteered: true });
  const knobs = { lrD: 1e-3, lrG: 1e-3, dSteps: 1, r1: 0 };
  for (let n = 5; n <= 500; n += 5)
    assert.equal(ctl.observe(snapshot("balanced", 0.2, n, 20 * n), knobs), undefined);
  assert.equal(ctl.state().steered, undefined);
  assert.ok(ctl.observe(at("d_dominant", 0.9, 505), knobs), "a clear failure is acted on");
  assert.equal(ctl.state().steered, true, "and the run counts as steered from then on (kept in checkpoints)");
});

test("finishing within the budget: a steered run's rates fall linearly over the budget's last part; a run never steered keeps its own", () => {
  const c = {
    ...DEFAULT_CONTROLLER,
    holdUntilSteered: true,
    gapExtremeFirst: 0.75,
    earlyJudged: 50,
    finish: 0.5,
    finishFloor: 0.01,
  };
  const play = (steer: boolean) => {
    const ctl = new LrController({ lrD: 1e-3, lrG: 1e-3, steps: 2000 }, c);
    const knobs = { lrD: 1e-3, lrG: 1e-3, dSteps: 1, r1: 0 };
    const reasons: string[] = [];
    for (let n = 5; n <= 100; n += 5) {
      const gap = steer && n === 5 ? 0.9 : 0.2;
      const r = ctl.observe(snapshot(n === 5 && steer ? "warmup" : "balanced", gap, n, 20 * n), knobs);
      if (r) {
        Object.assign(knobs, { lrD: r.lrD, lrG: r.lrG, dSteps: r.dSteps, r1: r.r1 });
        reasons.push(...r.events.map((e) => `${20 * n}:${e.param}:${e.reason}:${e.rule}`));
      }
    }
    return { knobs, reasons };
  };
  const untouched = play(false);
  assert.deepEqual(untouched.reasons, []);
  assert.deepEqual([untouched.knobs.lrD, untouched.knobs.lrG], [1e-3, 1e-3]);
  const steered = play(true);
  assert.ok(steered.reasons.includes("100:lr_d:d_ahead:3"), steered.reasons.join(" "));
  assert.ok(
    !steered.reasons.some((r) => r.includes("finish") && Number(r.split(":")[0]) <= 1000),
    "not before the last half",
  );
  assert.ok(steered.reasons.includes("1100:lr_g:finish:9"));
  // At the budget's end both rates are at the floor's share of where the rescue left them.
  assert.ok(Math.abs(steered.knobs.lrG - 1e-3 * 0.01) < 1e-12, `lr_g ${steered.knobs.lrG}`);
});
