/**
 * One outcome of the steer benchmark (one run scored at one budget), the health rule it is judged by,
 * and the outcomes files bench/steer.ts appends to: apart from the tables because the runners write
 * outcomes and the command line resumes from them, and neither needs the markdown.
 *
 * "Healthy", from the evaluator (decided before the rescue runs were made):
 *   - strict: at least K - 1 modes covered and at least 50% high-quality samples (the anchors' rule,
 *     notes §6); the rule issue 17's goal is stated in;
 *   - lenient: at least K - 1 modes and at least 25% high quality (the labelled scenario suite's
 *     threshold for good samples, bench/scenarios/labels.ts). Never reported alone.
 */
import { readFileSync } from "node:fs";

/** Which run of the benchmark: planned as a job (steer-plan.ts), recorded with its outcome. */
export interface SteerRun {
  part: "table" | "rescue" | "torch";
  /** The arm (table) or "without controller" / "with controller" / "without steer" / "with steer". */
  arm: string;
  setting?: string;
  dataset: string;
  seed: number;
  flags: string[];
}

export interface Outcome extends SteerRun {
  /** Which trainer ran it (absent in the issue-6 files: Nashboard's). */
  trainer?: "nashboard" | "pytorch";
  /** The budget it is scored at: the step of the evaluation (absent in the issue-6 files: the run's end). */
  steps?: number;
  modes: number;
  modes_total: number;
  hq: number;
  reverse_kl: number | null;
  jsd: number;
  seconds: number;
  /** The monitor's verdict on the whole run (at the run's end only). */
  verdict?: string;
  controlEvents: number;
  r1SwitchedOn: boolean;
  /** The machine's 1-minute load average when the run ended (both cores busy: about 2). */
  load?: number;
  /** Steered PyTorch runs: watch's learning-rate decisions, how many the trainer's log shows applied,
   *  and the median training steps from a decision to the first logged step showing it. */
  decisions?: number;
  shown?: number;
  lagSteps?: number;
}

/** The table's full lengths (bench/steer-plan.ts STEPS), for outcomes that do not say their budget. */
export const FULL: Record<string, number> = { ring8: 12000, grid25: 16000 };
const RESCUE_FULL = 6000;

export function budgetOf(o: Outcome): number {
  return o.steps ?? (o.part === "table" ? FULL[o.dataset]! : RESCUE_FULL);
}

/** Strict (the default) or lenient health. */
export function healthy(o: Outcome, lenient = false): boolean {
  return o.modes >= o.modes_total - 1 && o.hq >= (lenient ? 0.25 : 0.5);
}

/** One outcome's identity: a later file's outcome with the same key replaces an earlier one's. */
export function outcomeKey(
  o: Pick<Outcome, "part" | "arm" | "setting" | "dataset" | "seed" | "steps">,
): string {
  // An issue-6 outcome says no budget: it is the run's end, the same outcome as one that says so.
  return JSON.stringify([o.part, o.arm, o.setting, o.dataset, o.seed, budgetOf(o as Outcome)]);
}

/** The outcomes of one or more files (comma-separated); a later file's outcome replaces an earlier one's. */
export function readOutcomes(paths: string): Outcome[] {
  const byRun = new Map<string, Outcome>();
  for (const path of paths.split(","))
    for (const line of readFileSync(path, "utf8").split("\n").filter(Boolean)) {
      const o = JSON.parse(line) as Outcome;
      byRun.set(outcomeKey(o), o);
    }
  return [...byRun.values()];
}
