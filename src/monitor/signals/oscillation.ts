/**
 * Oscillation: a loss that swings back and forth with a large amplitude instead of settling. Three
 * numbers tell a swing from a trend and from one-batch noise, on the window after removing its robust
 * trend line (so a steady rise is not a swing):
 *
 * - amplitude: the robust spread (1.4826·MAD) of the detrended values, in equilibrium units;
 * - autocorrelation at lag 1: white noise (independent batches) gives ~0, a swing with a period of
 *   P points gives cos(2π/P) (0.71 at P = 8), a random walk is high too but crosses rarely;
 * - crossings: sign changes of the detrended values after a 3-point moving average (which removes
 *   the zig-zag of single noisy batches): two full cycles make 4.
 *
 * The anti-correlation of loss_disc and loss_gen (one up while the other is down, the two players
 * taking turns) is computed by the monitor from two of these windows as supporting evidence.
 */
import { medianAndMad } from "./window.ts";

export interface Oscillation {
  amplitude: number;
  autocorr: number;
  crossings: number;
}

export class OscillationScratch {
  residual = new Float64Array(0);
  work = new Float64Array(0);

  ensure(n: number): void {
    if (this.residual.length < n) {
      this.residual = new Float64Array(n);
      this.work = new Float64Array(n);
    }
  }
}

/**
 * Oscillation statistics of ys over xs after removing the line with `slope` through the median point.
 * Leaves the detrended values in `scratch.residual[0..n)` for the caller's cross-correlation.
 */
export function oscillationOf(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  slope: number,
  scale: number,
  scratch: OscillationScratch,
): Oscillation | undefined {
  if (n < 6 || !(scale > 0)) return undefined;
  scratch.ensure(n);
  const r = scratch.residual;
  const w = scratch.work;
  for (let i = 0; i < n; i++) r[i] = ys[i] - slope * xs[i];
  for (let i = 0; i < n; i++) w[i] = r[i];
  const { median, mad } = medianAndMad(w, n);
  for (let i = 0; i < n; i++) r[i] -= median;

  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += r[i] * r[i];
    if (i > 0) num += r[i] * r[i - 1];
  }
  const autocorr = den > 0 ? num / den : 0;

  let crossings = 0;
  let lastSign = 0;
  for (let i = 1; i + 1 < n; i++) {
    const smooth = (r[i - 1] + r[i] + r[i + 1]) / 3;
    const sign = smooth > 0 ? 1 : smooth < 0 ? -1 : 0;
    if (sign !== 0) {
      if (lastSign !== 0 && sign !== lastSign) crossings++;
      lastSign = sign;
    }
  }
  return { amplitude: mad / scale, autocorr, crossings };
}

/** Pearson correlation of a[0..n) and b[0..n) (already centred residuals work best). */
export function correlation(a: ArrayLike<number>, b: ArrayLike<number>, n: number): number {
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma;
    const db = b[i] - mb;
    ab += da * db;
    aa += da * da;
    bb += db * db;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}
