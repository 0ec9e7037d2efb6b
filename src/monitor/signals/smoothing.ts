/**
 * TensorBoard's smoothing, streamed: a debiased exponential moving average.
 *
 *   last = last * w + (1 - w) * x;   smoothed = last / (1 - w^n)
 *
 * where n counts the finite values seen so far. This is the formula of TensorBoard's scalar chart
 * (`classicSmoothing` in its line chart, formerly `resmoothDataset` in vz_line_chart2) and of Applio's
 * `smooth()`, so a smoothed value here equals the one a user reads off their TensorBoard at the same
 * weight. Like TensorBoard:
 * - a non-finite value (NaN, ±Infinity) is shown as itself and does not enter the average, so one NaN
 *   does not poison every later smoothed value;
 * - a series that is constant so far is returned exactly (TensorBoard skips smoothing constant series,
 *   its issue #786), which also keeps the debiasing's rounding out of flat lines.
 */
export class DebiasedEma {
  readonly weight: number;
  private last = 0;
  private finiteCount = 0;
  private firstFinite = Number.NaN;
  private constant = true;
  private current = Number.NaN;

  constructor(weight: number) {
    if (!(weight >= 0 && weight < 1)) throw new Error(`DebiasedEma: weight must be in [0, 1), got ${weight}`);
    this.weight = weight;
  }

  /** Feeds one value and returns its smoothed value (the value itself when it is not finite). */
  push(x: number): number {
    if (!Number.isFinite(x)) return x;
    this.finiteCount++;
    if (this.finiteCount === 1) this.firstFinite = x;
    else if (x !== this.firstFinite) this.constant = false;
    this.last = this.last * this.weight + (1 - this.weight) * x;
    this.current = this.constant ? x : this.last / (1 - this.weight ** this.finiteCount);
    return this.current;
  }

  /** The latest smoothed finite value; NaN before the first finite value. */
  get value(): number {
    return this.current;
  }

  /** How many finite values have been averaged. */
  get count(): number {
    return this.finiteCount;
  }
}
