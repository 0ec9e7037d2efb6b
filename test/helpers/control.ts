/**
 * The controller's tests' inputs: a monitor snapshot with just what the policy reads, and the
 * controller's ordinary machinery. Shared by the test/control-*.test.ts files, which test the policy,
 * the moves, the settling and finishing, and a steered run, each apart.
 */
import { DEFAULT_CONTROLLER } from "../../src/control/controller.ts";
import type { Snapshot, StateName } from "../../src/monitor/types.ts";

/** A monitor snapshot at `step`: its state, D's gap (none: no signal), and the judged steps so far. */
export function snapshot(
  state: StateName,
  gap: number | undefined,
  completedSteps = 10,
  step = 200,
): Snapshot {
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
export const ORDINARY = { ...DEFAULT_CONTROLLER, holdUntilSteered: false, settleOnlySteered: false };
