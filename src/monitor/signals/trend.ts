/**
 * A robust trend over a window: the Theil–Sen slope (the median of all pairwise slopes, unmoved by up
 * to ~29% outliers, so one bad batch does not tilt it) and the Mann–Kendall test (is there a monotonic
 * trend at all, or only noise?). Both are rank-based, so they suit losses whose noise is far from normal
 * (one-batch RVC values, spikes).
 *
 * The slope is normalised by a scale so that one threshold means the same on every loss: `change` is
 * the fitted change across the window divided by the scale (the loss family's equilibrium value for
 * the adversarial losses, the series' own typical level for the others). change = -0.2 reads "fell by
 * 20% of the equilibrium value across the window", whatever the family or K.
 *
 * Cost: O(n²) for n points. The monitor keeps n bounded (a window of the last points, or a bounded
 * number of buckets of the whole run) and recomputes at a stride, so the cost per point is constant.
 */
import { medianOf } from "./window.ts";

export interface Trend {
  /** Theil–Sen slope, in value units per step. */
  slope: number;
  /** slope × (last step − first step) / scale: the fitted change across the window, scale-free. */
  change: number;
  /** Mann–Kendall statistic S = Σ_{i<j} sign(y_j − y_i). */
  s: number;
  /** Mann–Kendall z (continuity-corrected, ties accounted for); |z| > 1.96 is significant at p < 0.05. */
  z: number;
  /** Points used (finite values only). */
  n: number;
}

/** Reusable scratch space, so computing a trend allocates nothing once warm. */
export class TrendScratch {
  private pairs = new Float64Array(0);
  private sorted = new Float64Array(0);

  pairBuffer(n: number): Float64Array {
    const need = (n * (n - 1)) / 2;
    if (this.pairs.length < need) this.pairs = new Float64Array(need);
    return this.pairs;
  }

  sortBuffer(n: number): Float64Array {
    if (this.sorted.length < n) this.sorted = new Float64Array(n);
    return this.sorted;
  }
}

const shared = new TrendScratch();

/**
 * The trend of y over x (x strictly increasing; non-finite y are skipped by the caller). Returns
 * undefined for fewer than 3 points, where no trend can be told from noise.
 */
export function trendOf(
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
  n: number,
  scale: number,
  scratch: TrendScratch = shared,
): Trend | undefined {
  if (n < 3) return undefined;
  const slopes = scratch.pairBuffer(n);
  let m = 0;
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dy = ys[j] - ys[i];
      s += dy > 0 ? 1 : dy < 0 ? -1 : 0;
      const dx = xs[j] - xs[i];
      if (dx > 0) slopes[m++] = dy / dx;
    }
  }
  const slope = m === 0 ? 0 : medianOf(slopes, m);
  const span = xs[n - 1] - xs[0];
  const change = scale > 0 ? (slope * span) / scale : 0;
  return { slope, change, s, z: mannKendallZ(s, ys, n, scratch), n };
}

/**
 * z = (S − sign(S)) / sqrt(Var S), Var S = [n(n−1)(2n+5) − Σ t(t−1)(2t+5)] / 18 over groups of t tied
 * values (Kendall 1975). Logged losses are rounded to 3 decimals, so ties are common and matter.
 */
function mannKendallZ(s: number, ys: ArrayLike<number>, n: number, scratch: TrendScratch): number {
  const sorted = scratch.sortBuffer(n);
  for (let i = 0; i < n; i++) sorted[i] = ys[i];
  const view = sorted.subarray(0, n).sort();
  let ties = 0;
  let run = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && view[i] === view[i - 1]) run++;
    else {
      if (run > 1) ties += run * (run - 1) * (2 * run + 5);
      run = 1;
    }
  }
  const variance = (n * (n - 1) * (2 * n + 5) - ties) / 18;
  if (variance <= 0 || s === 0) return 0;
  return (s - Math.sign(s)) / Math.sqrt(variance);
}

/** A trend that counts: significant (|z| above the threshold) and large enough (|change| above it). */
export function trendDirection(t: Trend | undefined, minZ: number, minChange: number): -1 | 0 | 1 {
  if (t === undefined) return 0;
  if (Math.abs(t.z) < minZ || Math.abs(t.change) < minChange) return 0;
  return t.change > 0 ? 1 : -1;
}
