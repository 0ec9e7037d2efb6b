/**
 * The rule of thumb a user applies by eye, as the floor every detector must beat: a non-finite loss
 * means diverged; loss_disc below a tenth of its equilibrium value (0.139 for BCE) means D has won.
 * Read on the raw logged value, one step at a time, no smoothing. The run is flagged from the first
 * step the rule holds (a user who saw it would not forget it); the per-window state is the rule on
 * the latest step.
 */
import { equilibrium } from "../../src/losses/index.ts";
import type { Health, StateName } from "../../src/monitor/types.ts";
import type { Detector, DetectorSpec } from "./detector.ts";

export const NAIVE_DISC_FRACTION = 0.1;

export function naiveDetector(fraction = NAIVE_DISC_FRACTION): DetectorSpec {
  return {
    name: "naive threshold",
    description: `unhealthy once loss_disc < ${fraction} x equilibrium or a loss is NaN / infinite (raw values, latched)`,
    namesStates: true,
    hasWarning: false,
    create(config): Detector {
      const limit = fraction * equilibrium(config.loss).loss_disc;
      let state: StateName = "balanced";
      let flagged = false;
      return {
        push(m) {
          if (!Number.isFinite(m.loss_disc) || !Number.isFinite(m.loss_gen)) state = "diverged";
          else if (m.loss_disc < limit) state = "d_dominant";
          else state = "balanced";
          if (state !== "balanced") flagged = true;
        },
        end() {},
        state: () => state,
        problemNow: () => state !== "balanced",
        health: (): Health => (flagged ? "unhealthy" : "healthy"),
      };
    },
  };
}
