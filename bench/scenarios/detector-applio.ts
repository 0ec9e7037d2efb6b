/**
 * Applio's last overtraining detector (the 2024-08 rework, PR #564 / #580, final at 813b1de3
 * rvc/train/train.py; removed in 2026 as "completely obsolete"), reimplemented line for line as a
 * run-level flag. Applio runs it at the end of every epoch after the first:
 *
 *   loss_disc_history += [last batch's loss_disc];  smoothed_disc = ema(..., 0.987)
 *   is_disc = check_overtraining(smoothed_disc_history, 2 * threshold)          (eps 0.004)
 *   consecutive_disc = consecutive_disc + 1 if is_disc else 0
 *   loss_gen_history += [lowest_value];  smoothed_gen = ema(..., 0.987)         (lowest_value: running
 *   is_gen = check_overtraining(smoothed_gen_history, threshold, 0.01)           minimum of step
 *   consecutive_gen = consecutive_gen + 1 if is_gen else 0                       loss_gen_all)
 *   stop when (is_gen and consecutive_gen == threshold) or (is_disc and consecutive_disc == 2 * threshold)
 *
 * check_overtraining(h, N, eps): False with fewer than N + 1 values; else over the last N - 1
 * differences, oldest first: True at the first rise, False at the first change of at least eps, True if
 * every change was smaller. The EMA starts at the first value (no debiasing). Python's NaN comparisons
 * are all false, as JavaScript's are, so a NaN loss behaves here as it did there (a NaN history counts
 * as "every change tiny": overtraining).
 *
 * Mapping onto the suite's runs: one Applio epoch is one logged step (Applio sees one loss_disc per
 * epoch, its last batch's), and loss_gen_all is loss_gen (there is no mel, KL or feature-matching term);
 * the running minimum runs over the logged steps, the only ones a log holds. The default threshold
 * (Applio's UI default, 50) first fires after 101 epochs on the generator side: step 2,020 of a run
 * logged every 20 steps.
 */
import type { Health } from "../../src/monitor/types.ts";
import type { Detector, DetectorSpec } from "./detector.ts";

export const APPLIO_SMOOTHING = 0.987;
export const APPLIO_DEFAULT_THRESHOLD = 50;

export function checkOvertraining(history: readonly number[], threshold: number, epsilon = 0.004): boolean {
  if (history.length < threshold + 1) return false;
  const at = (i: number) => history[history.length + i];
  for (let i = -threshold; i < -1; i++) {
    if (at(i + 1) > at(i)) return true;
    if (Math.abs(at(i + 1) - at(i)) >= epsilon) return false;
  }
  return true;
}

export function updateEma(history: number[], value: number, smoothing = APPLIO_SMOOTHING): number {
  const smoothed =
    history.length > 0 ? smoothing * history[history.length - 1] + (1 - smoothing) * value : value;
  history.push(smoothed);
  return smoothed;
}

export function applioDetector(threshold = APPLIO_DEFAULT_THRESHOLD): DetectorSpec {
  return {
    name:
      threshold === APPLIO_DEFAULT_THRESHOLD
        ? "Applio overtraining"
        : `Applio overtraining (threshold ${threshold})`,
    description: `Applio's 2024-08 detector: EMA 0.987 of loss_disc and of the running minimum of loss_gen, stop after ${threshold} (G) / ${2 * threshold} (D) consecutive epochs without a significant fall; one epoch = one logged step`,
    namesStates: false,
    hasWarning: false,
    create(): Detector {
      const smoothedDisc: number[] = [];
      const smoothedGen: number[] = [];
      let lowest = Number.POSITIVE_INFINITY;
      let epoch = 0;
      let consecutiveGen = 0;
      let consecutiveDisc = 0;
      let done = false;
      return {
        push(m) {
          epoch++;
          // lowest_value is updated at every training step, epoch 1 included
          if (m.loss_gen < lowest) lowest = m.loss_gen;
          if (epoch <= 1 || done) return;
          updateEma(smoothedDisc, m.loss_disc);
          const isDisc = checkOvertraining(smoothedDisc, threshold * 2);
          consecutiveDisc = isDisc ? consecutiveDisc + 1 : 0;
          updateEma(smoothedGen, lowest);
          const isGen = checkOvertraining(smoothedGen, threshold, 0.01);
          consecutiveGen = isGen ? consecutiveGen + 1 : 0;
          if ((isGen && consecutiveGen === threshold) || (isDisc && consecutiveDisc === threshold * 2)) {
            done = true; // Applio stops training here
          }
        },
        end() {},
        state: () => undefined,
        problemNow: () => done,
        health: (): Health => (done ? "unhealthy" : "healthy"),
      };
    },
  };
}
