/**
 * The balance policy's numbered steps, and its first rule since issue 17: do no harm, moving a run the
 * controller has not yet steered only on a clear failure.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { balancePolicy } from "../src/control/balance-policy.ts";
import { DEFAULT_CONTROLLER, LrController } from "../src/control/controller.ts";
import type { Snapshot, StateName } from "../src/monitor/types.ts";
import { snapshot } from "./helpers/control.ts";

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
