/**
 * What a finished 2D training run did, in plain words: the evaluator's figures set against what a
 * perfect generator would score, and the end of the loss curves set against the loss family's
 * equilibrium. Used by `nashboard demo`; the full diagnosis of any run belongs to the monitor.
 */
import type { EvalResult } from "../eval/index.ts";
import type { Messages } from "../i18n/index.ts";
import { equilibrium } from "../losses/equilibrium.ts";
import type { StepMetrics } from "../train/trainer.ts";
import type { LossFamily } from "../types.ts";

export interface TrainingFacts {
  loss: LossFamily;
  final: EvalResult;
  /** The logged steps of the run, in order. */
  metrics: StepMetrics[];
}

/** Means over the last fifth of the logged steps: one batch is too noisy to describe a run's end. */
export function tailMeans(metrics: StepMetrics[]): {
  lossDisc: number;
  lossGen: number;
  dReal: number;
  dFake: number;
} {
  const tail = metrics.slice(Math.floor(metrics.length * 0.8));
  const mean = (f: (m: StepMetrics) => number) =>
    tail.reduce((s, m) => s + f(m), 0) / Math.max(1, tail.length);
  return {
    lossDisc: mean((m) => m.loss_disc),
    lossGen: mean((m) => m.loss_gen),
    dReal: mean((m) => m.d_real),
    dFake: mean((m) => m.d_fake),
  };
}

export function summarizeTraining(f: TrainingFacts, m: Messages): string[] {
  const lines: string[] = [];
  const e = f.final;
  if (e.modes !== undefined && e.modes_total !== undefined && e.hq !== undefined) {
    lines.push(m.summaryModes(e.modes, e.modes_total, e.hq));
    if (e.modes === e.modes_total && e.hq >= 0.9) lines.push(m.summaryAllModes);
    else if (e.modes <= Math.max(1, e.modes_total / 4)) lines.push(m.summaryCollapse);
    else if (e.modes < e.modes_total) lines.push(m.summaryPartial(e.modes_total - e.modes));
    if (e.hq < 0.5) lines.push(m.summaryLowQuality);
  }
  lines.push(m.summaryJsd(e.jsd));
  const ends = tailMeans(f.metrics);
  const eq = equilibrium(f.loss);
  if (f.loss === "bce" || f.loss === "bce_minimax") {
    lines.push(m.summaryDOutputs(ends.dReal, ends.dFake));
    const gap = ends.dReal - ends.dFake;
    lines.push(gap < 0.15 ? m.summaryNearEquilibrium : gap > 0.5 ? m.summaryDWins : m.summaryDAhead);
  }
  lines.push(m.summaryLosses(ends.lossDisc, ends.lossGen, eq.loss_disc, eq.loss_gen));
  lines.push(m.summaryNotZero);
  return lines;
}
