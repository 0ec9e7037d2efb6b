/**
 * D's gap (mean D(real) - mean D(fake), 0..1 scale) per judged step, from the best source the run
 * has: the logged D outputs (d_real / d_fake), D's logged accuracy (Keras-style GAN scripts log it
 * instead of D(x): 2·accuracy - 1 is the same gap measured on D's decisions, 0 at chance and 1 for a
 * D that is always right), LSGAN's per-sub-discriminator terms, or an estimate from the two losses
 * (reference.ts). The rules read the median of the last `shortWindow` gaps: one
 * batch where D nails (or misses) everything cannot move a median, while a real change (a collapse)
 * shows within half the window; an EMA would carry a tenth of every wild batch for many steps. The
 * curve of the gap (for the report and the phases) is kept as for any tag.
 */

import type { MonitorThresholds } from "../thresholds.ts";
import { estimateDOutputs, gapFromTerms, gapOf, type Reference } from "./reference.ts";
import { SeriesTracker } from "./series.ts";
import type { StepRecord } from "./step-assembler.ts";
import { medianOf, RingWindow } from "./window.ts";

export type GapSource = "logged" | "accuracy" | "per_sub_discriminator" | "estimated";

/**
 * D's decision gap from its logged accuracy: the share of real samples called real minus the share of
 * generated ones called real, = acc_real + acc_fake - 1, or 2·acc - 1 from a balanced accuracy (a
 * percentage is read as a fraction). Undefined without a finite accuracy in 0..1.
 */
function accuracyGap(r: StepRecord): number | undefined {
  const frac = (tag: string) => {
    const v = r.values.get(tag)?.value;
    if (v === undefined || !Number.isFinite(v) || v < 0) return undefined;
    const f = v > 1 && v <= 100 ? v / 100 : v;
    return f <= 1 ? f : undefined;
  };
  const real = frac("d_acc_real");
  const fake = frac("d_acc_fake");
  if (real !== undefined && fake !== undefined) return real + fake - 1;
  const acc = frac("d_acc");
  return acc === undefined ? undefined : 2 * acc - 1;
}

export class GapSignal {
  readonly tracker: SeriesTracker;
  /** The best source used so far. */
  source?: GapSource;
  private readonly recent: RingWindow;
  private readonly scratch: Float64Array;

  constructor(t: MonitorThresholds) {
    this.tracker = new SeriesTracker("d_gap", t, false);
    this.recent = new RingWindow(t.shortWindow);
    this.scratch = new Float64Array(t.shortWindow);
  }

  /** Records the gap of a judged step (which has loss_disc and loss_gen). */
  observe(r: StepRecord, ref: Reference, subReal: number[], subFake: number[]): void {
    const gap = this.rawGap(r, ref, subReal, subFake);
    this.tracker.push(r.step, gap);
    if (Number.isFinite(gap)) this.recent.push(r.step, gap);
  }

  /** The median of the recent gaps, or undefined before the first finite one. */
  value(): number | undefined {
    const n = this.recent.copyValues(this.scratch);
    return n === 0 ? undefined : medianOf(this.scratch, n);
  }

  /** A new segment: the recent window starts again (the curve goes on). */
  reset(): void {
    this.recent.clear();
    this.tracker.resetWindow();
  }

  private rawGap(r: StepRecord, ref: Reference, subReal: number[], subFake: number[]): number {
    const dr = r.values.get("d_real");
    const df = r.values.get("d_fake");
    if (dr && df && Number.isFinite(dr.value) && Number.isFinite(df.value)) {
      this.source = "logged";
      return gapOf(ref, { dReal: dr.value, dFake: df.value }) ?? Number.NaN;
    }
    const acc = accuracyGap(r);
    if (acc !== undefined) {
      this.source = "accuracy";
      return acc;
    }
    if (ref.family === "lsgan" && subReal.length > 0 && subReal.length === subFake.length) {
      const gap = gapFromTerms([...subReal], [...subFake]);
      if (gap !== undefined) {
        this.source = "per_sub_discriminator";
        return gap;
      }
    }
    const disc = r.values.get("loss_disc")?.value ?? Number.NaN;
    const gen = r.values.get("loss_gen")?.value ?? Number.NaN;
    const est = estimateDOutputs(ref, disc, gen);
    if (!est) return Number.NaN;
    this.source ??= "estimated";
    return gapOf(ref, est) ?? Number.NaN;
  }
}
