/**
 * What the controller does once a game is balanced again, and at the end of its budget: R1 eased to its
 * floor, both rates settled, and a steered run's rates faded within the run's planned length.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { balancePolicy } from "../src/control/balance-policy.ts";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import type { StateName } from "../src/monitor/types.ts";
import { ORDINARY, snapshot } from "./helpers/control.ts";

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
