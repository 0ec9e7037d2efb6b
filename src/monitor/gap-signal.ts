/**
 * D's gap (mean D(real) - mean D(fake), 0..1 scale) per judged step, from the best source the run
 * has: the logged D outputs (d_real / d_fake), LSGAN's per-sub-discriminator terms, or an estimate
 * from the two losses (reference.ts). The rules read the median of the last `shortWindow` gaps: one
 * batch where D nails (or misses) everything cannot move a median, while a real change (a collapse)
 * shows within half the window; an EMA would carry a tenth of every wild batch for many steps. The
 * curve of the gap (for the report and the phases) is kept as for any tag.
 */
import { estimateDOutputs, gapFromTerms, gapOf, type Reference } from "./reference.ts";
import { SeriesTracker } from "./series.ts";
import type { StepRecord } from "./step-assembler.ts";
import type { MonitorThresholds } from "./thresholds.ts";
import { medianOf, RingWindow } from "./window.ts";

export type GapSource = "logged" | "per_sub_discriminator" | "estimated";

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
