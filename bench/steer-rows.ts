/**
 * The steer benchmark's figures, before any markdown: runs paired with their twins (same setting,
 * dataset, seed and budget, without and with steering), the do-no-harm rows, the ceiling of a rescue,
 * the rescue counts; mean ± standard error over seeds, as PacGAN reports them, and Wilson's interval
 * for shares. Apart from the tables so that each figure is computed, and tested, in one place.
 *
 * "Broken": a run that is not healthy without the controller; "rescued": a broken run whose twin (same
 * setting, dataset, seed and budget) is healthy with it, under the same rule.
 * "No harm" on a healthy setting, paired over seeds: the mean difference of high quality (controller
 * minus without) is at least -2 points, and no seed ends with fewer modes with the controller.
 */
import { budgetOf, healthy, type Outcome } from "./steer-outcomes.ts";

/** The datasets of every table, in their order. */
export const DATASETS = ["ring8", "grid25"];

/** The healthy settings of the table: each arm without the controller and its twin with it. */
export const HARM_PAIRS: [string, string][] = [
  ["plain GAN", "controller"],
  ["remedies", "controller + remedies"],
];

export function meanSe(xs: number[]): { m: number; se: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
}

/** Wilson's 95% interval of k successes in n. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) as number;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** The outcomes `f` selects, in seed order. */
export const at = (outcomes: Outcome[], f: (o: Outcome) => boolean) =>
  outcomes.filter(f).sort((a, b) => a.seed - b.seed);

/** Runs both arms of a pair made: [without, with], the same setting, dataset, seed and budget. */
export function paired(
  outcomes: Outcome[],
  part: string,
  without: string,
  withArm: string,
  f: (o: Outcome) => boolean,
) {
  const a = at(outcomes, (o) => o.part === part && o.arm === without && f(o));
  return a
    .map(
      (w) =>
        [
          w,
          outcomes.find(
            (o) =>
              o.part === part &&
              o.arm === withArm &&
              f(o) &&
              o.seed === w.seed &&
              o.setting === w.setting &&
              o.dataset === w.dataset &&
              budgetOf(o) === budgetOf(w),
          ),
        ] as const,
    )
    .filter((p): p is readonly [Outcome, Outcome] => p[1] !== undefined);
}

export interface HarmRow {
  pair: string;
  dataset: string;
  steps: number;
  seeds: number[];
  hqWithout: number;
  hqWith: number;
  diff: { m: number; se: number };
  /** Seeds that end with fewer modes with the controller. */
  lostModes: number[];
  /** Seeds whose run the controller moved at all (any event up to this budget). */
  moved: number[];
  pass: boolean;
}

/** The do-no-harm rows: per healthy setting, dataset and budget, the paired difference over seeds. */
export function harmRows(outcomes: Outcome[]): HarmRow[] {
  const rows: HarmRow[] = [];
  for (const [without, withArm] of HARM_PAIRS)
    for (const dataset of DATASETS)
      for (const steps of [
        ...new Set(outcomes.filter((o) => o.part === "table" && o.dataset === dataset).map(budgetOf)),
      ].sort((a, b) => a - b)) {
        const pairs = paired(
          outcomes,
          "table",
          without,
          withArm,
          (o) => o.dataset === dataset && budgetOf(o) === steps,
        );
        if (pairs.length === 0) continue;
        const diff = meanSe(pairs.map(([w, c]) => 100 * (c.hq - w.hq)));
        const lostModes = pairs.filter(([w, c]) => c.modes < w.modes).map(([w]) => w.seed);
        const moved = pairs.filter(([, c]) => c.controlEvents > 0).map(([w]) => w.seed);
        rows.push({
          pair: `${without} → ${withArm}`,
          dataset,
          steps,
          seeds: pairs.map(([w]) => w.seed),
          hqWithout: meanSe(pairs.map(([w]) => 100 * w.hq)).m,
          hqWith: meanSe(pairs.map(([, c]) => 100 * c.hq)).m,
          diff,
          lostModes,
          moved,
          pass: diff.m >= -2 && lostModes.length === 0,
        });
      }
  return rows;
}

export interface CeilingRow {
  arm: string;
  dataset: string;
  steps: number;
  seeds: number[];
  strict: number;
  lenient: number;
}

/**
 * The ceiling of a rescue (issue 17): how often a healthy setting's run without the controller passes
 * the rescue's rules at each budget. A broken run cannot be expected to do better once rescued than a
 * run that was never broken, so a setting's rescue rate is read against this.
 */
export function ceilingRows(outcomes: Outcome[]): CeilingRow[] {
  const rows: CeilingRow[] = [];
  for (const [arm] of HARM_PAIRS)
    for (const dataset of DATASETS) {
      const mine = outcomes.filter((o) => o.part === "table" && o.arm === arm && o.dataset === dataset);
      for (const steps of [...new Set(mine.map(budgetOf))].sort((a, b) => a - b)) {
        const rs = at(mine, (o) => budgetOf(o) === steps);
        rows.push({
          arm,
          dataset,
          steps,
          seeds: rs.map((o) => o.seed),
          strict: rs.filter((o) => healthy(o)).length,
          lenient: rs.filter((o) => healthy(o, true)).length,
        });
      }
    }
  return rows;
}

export interface RescueCount {
  broken: number;
  rescued: number;
  /** Healthy without and not with: runs the steering cost. */
  harmed: number;
}

/** Broken, rescued and harmed runs among the pairs `f` selects, under one rule. */
export function rescueCount(pairs: (readonly [Outcome, Outcome])[], lenient: boolean): RescueCount {
  const broken = pairs.filter(([w]) => !healthy(w, lenient));
  return {
    broken: broken.length,
    rescued: broken.filter(([, c]) => healthy(c, lenient)).length,
    harmed: pairs.filter(([w, c]) => healthy(w, lenient) && !healthy(c, lenient)).length,
  };
}
