/**
 * Run-level scores (unhealthy = positive) and their 95% bootstrap intervals. The corpus is a sample of
 * runs from a grid: a figure on 300 runs moves by several points with the draw, so every figure is
 * given with the interval a resampling of the runs puts on it (percentile bootstrap, runs drawn with
 * replacement, seeded so the report is reproducible). A resample where a figure is undefined (no
 * healthy run drawn, say) is left out of that figure's interval.
 */

import { Rng } from "../../src/rng.ts";
import { binaryScores } from "../scenarios/scoring.ts";

/** One run: is it unhealthy by the truth, and did the detector flag it. */
export interface RunPair {
  unhealthy: boolean;
  flagged: boolean;
}

export interface RunScores {
  runs: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
  /** Mean of the recall on unhealthy runs and the specificity on healthy runs. */
  balancedAccuracy: number;
  /** Share of healthy runs flagged (what the brief calls precision on healthy runs: the false alarm rate). */
  healthyFlagged: number;
  /** Share of all runs flagged (the per-class tables read this on a one-class subset). */
  flaggedShare: number;
  /** The F1 the same recall and false-alarm rate would score on a corpus with as many healthy runs as
   *  unhealthy ones: F1 depends on the share of unhealthy runs (flagging everything scores 2p/(1+p)),
   *  this does not, so corpora of different balance can be compared. */
  f1Balanced: number;
}

export function countScores(tp: number, fp: number, fn: number, tn: number): RunScores {
  const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const specificity = ratio(tn, tn + fp);
  return {
    runs: tp + fp + fn + tn,
    tp,
    fp,
    fn,
    tn,
    precision,
    recall,
    // F1 = 2tp / (2tp + fp + fn): 0 when nothing unhealthy was caught, undefined only without any case.
    f1: ratio(2 * tp, 2 * tp + fp + fn),
    balancedAccuracy: (recall + specificity) / 2,
    healthyFlagged: ratio(fp, fp + tn),
    flaggedShare: ratio(tp + fp, tp + fp + fn + tn),
    // With equal classes, tp : fp : fn = recall : false-alarm rate : 1 - recall.
    f1Balanced: ratio(2 * recall, 2 * recall + (1 - specificity) + (1 - recall)),
  };
}

/** The suite's own count (bench/scenarios/scoring.ts), with the scores this corpus adds. */
export function runScores(pairs: readonly RunPair[]): RunScores {
  const { tp, fp, fn, tn } = binaryScores(pairs.map((p) => ({ truth: p.unhealthy, predicted: p.flagged })));
  return countScores(tp, fp, fn, tn);
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export type ScoreName =
  | "f1"
  | "f1Balanced"
  | "balancedAccuracy"
  | "healthyFlagged"
  | "precision"
  | "recall"
  | "flaggedShare";
export const SCORE_NAMES: readonly ScoreName[] = [
  "f1",
  "f1Balanced",
  "balancedAccuracy",
  "healthyFlagged",
  "precision",
  "recall",
  "flaggedShare",
];

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
}

/** The point scores and a 95% percentile interval for each. */
export function bootstrapScores(
  pairs: readonly RunPair[],
  { resamples = 2000, seed = 14 }: BootstrapOptions = {},
): { point: RunScores; intervals: Record<ScoreName, Interval> } {
  const point = runScores(pairs);
  const draws: Record<ScoreName, number[]> = {
    f1: [],
    f1Balanced: [],
    balancedAccuracy: [],
    healthyFlagged: [],
    precision: [],
    recall: [],
    flaggedShare: [],
  };
  const rng = new Rng(seed);
  const n = pairs.length;
  for (let b = 0; b < resamples && n > 0; b++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let i = 0; i < n; i++) {
      const p = pairs[rng.int(n)];
      if (p.unhealthy) p.flagged ? tp++ : fn++;
      else p.flagged ? fp++ : tn++;
    }
    const s = countScores(tp, fp, fn, tn);
    for (const name of SCORE_NAMES) if (!Number.isNaN(s[name])) draws[name].push(s[name]);
  }
  const intervals = {} as Record<ScoreName, Interval>;
  for (const name of SCORE_NAMES) {
    const sorted = draws[name].sort((a, b) => a - b);
    intervals[name] = { value: point[name], low: quantile(sorted, 0.025), high: quantile(sorted, 0.975) };
  }
  return { point, intervals };
}

/** Linear interpolation between order statistics (numpy's default); NaN for no values. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
