/**
 * Everything the monitor keeps about one tag, in bounded memory: its smoothed value (TensorBoard's
 * EMA), a window of its latest finite values with their robust statistics (median and MAD for spikes;
 * trend and oscillation, computed only when asked, for the two losses), its whole-run bucket curve
 * (long trend, phases, candidates), and the counts a report quotes (non-finite and clamped values,
 * extremes). Window statistics are recomputed every `stride` points, so each point costs
 * O(window² / stride) at worst: a constant.
 */

import type { MonitorThresholds } from "../thresholds.ts";
import { BucketCurve } from "./curve.ts";
import { type Oscillation, OscillationScratch, oscillationOf } from "./oscillation.ts";
import { DebiasedEma } from "./smoothing.ts";
import { type Trend, TrendScratch, trendOf } from "./trend.ts";
import { medianAndMad, RingWindow } from "./window.ts";

export interface WindowStats {
  trend?: Trend;
  /** The trend over the last `shortWindow` points ("dropping fast"). */
  shortTrend?: Trend;
  oscillation?: Oscillation;
  median: number;
  /** 1.4826·MAD of the window: a robust standard deviation. */
  spread: number;
  /** Detrended window values, for the cross-correlation of two tags (valid until the next refresh). */
  residual: Float64Array;
  n: number;
}

export interface RobustStats {
  median: number;
  /** 1.4826·MAD of the window: a robust standard deviation. */
  spread: number;
  n: number;
}

export interface PushResult {
  /** Robust z-score of this value against the window before it (undefined while the window is short). */
  z?: number;
  /** |value - window median|, for the minimum-jump condition of a spike. */
  jump?: number;
}

const scratchTrend = new TrendScratch();
const scratchOsc = new OscillationScratch();

export class SeriesTracker {
  readonly tag: string;
  /** TensorBoard's smoothing of the raw values: what the user sees, what the report's curves carry. */
  readonly ema: DebiasedEma;
  /**
   * The level the rules compare with the equilibrium: the same EMA fed with values winsorised to
   * median ± max(spikeZ·spread, spikeMin·scale) of the window, and without explosions (|x| > explodeAbs·scale). One
   * exploded batch (9.8e5 in a loss that lives near 1) would otherwise hold the EMA far off for
   * hundreds of steps and every level rule with it.
   */
  readonly level: DebiasedEma;
  readonly window: RingWindow;
  readonly curve: BucketCurve;
  /** The scale (|equilibrium| or the series' own level) used to normalise trends; set by the monitor. */
  scale = 1;
  /** True once `scale` is decided (from the reference, or from the series' early level). */
  scaleFixed = false;
  count = 0;
  nonFinite = 0;
  firstNonFinite?: { step: number; value: number };
  lastNonFiniteStep?: number;
  lowerBound = 0;
  firstLowerBound?: number;
  lastLowerBound?: number;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  lastValue = Number.NaN;
  lastStep = Number.NaN;
  firstStep = Number.NaN;
  /** Largest level so far (grad norms: "fell to 1% of its maximum"). */
  maxSmoothed = Number.NEGATIVE_INFINITY;
  /** Whether this tag keeps a window (losses and gradient norms); the others only need the EMA and curve. */
  readonly windowed: boolean;
  private sinceRefresh = Number.POSITIVE_INFINITY;
  private sinceRobust = Number.POSITIVE_INFINITY;
  private stats: WindowStats | undefined;
  private robust: RobustStats | undefined;
  private readonly t: MonitorThresholds;
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  private readonly work: Float64Array;

  constructor(tag: string, t: MonitorThresholds, windowed = true) {
    this.tag = tag;
    this.windowed = windowed;
    this.t = t;
    this.ema = new DebiasedEma(t.emaWeight);
    this.level = new DebiasedEma(t.emaWeight);
    this.window = new RingWindow(t.window);
    this.curve = new BucketCurve(t.runBuckets);
    this.xs = new Float64Array(t.window);
    this.ys = new Float64Array(t.window);
    this.work = new Float64Array(t.window);
  }

  push(step: number, value: number, lowerBound = false): PushResult {
    this.count++;
    if (Number.isNaN(this.firstStep)) this.firstStep = step;
    this.lastStep = step;
    this.lastValue = value;
    if (lowerBound) {
      this.lowerBound++;
      this.firstLowerBound ??= step;
      this.lastLowerBound = step;
    }
    const smoothed = this.ema.push(value);
    this.curve.add(step, value, smoothed);
    if (!Number.isFinite(value)) {
      this.nonFinite++;
      this.firstNonFinite ??= { step, value };
      this.lastNonFiniteStep = step;
      return {};
    }
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    const result: PushResult = {};
    const stats = this.windowed ? this.robustStats() : undefined;
    let levelValue = value;
    if (stats && stats.n >= Math.min(8, this.t.window)) {
      const jump = Math.abs(value - stats.median);
      result.jump = jump;
      result.z = stats.spread > 0 ? jump / stats.spread : jump > 0 ? Number.POSITIVE_INFINITY : 0;
      // never narrower than a spike's minimum jump: a flat window (spread ≈ 0) must not freeze the level
      const bound = Math.max(this.t.spikeZ * stats.spread, this.t.spikeMin * this.scale);
      levelValue = Math.min(stats.median + bound, Math.max(stats.median - bound, value));
    }
    if (!(this.scaleFixed && Math.abs(value) > this.t.explodeAbs * this.scale)) {
      const level = this.level.push(levelValue);
      if (level > this.maxSmoothed) this.maxSmoothed = level;
    }
    if (this.windowed) {
      this.window.push(step, value);
      this.sinceRefresh++;
      this.sinceRobust++;
    }
    return result;
  }

  /** Median and spread of the window (for spikes and the winsorised level), refreshed every stride. */
  robustStats(): RobustStats | undefined {
    const n = this.window.size;
    if (n < 3) return undefined;
    if (this.robust !== undefined && this.sinceRobust < this.t.stride) return this.robust;
    this.sinceRobust = 0;
    this.window.copyValues(this.work);
    const { median, mad } = medianAndMad(this.work, n);
    this.robust = { median, spread: mad, n };
    return this.robust;
  }

  /** The window's statistics, recomputed when `stride` points arrived since the last computation. */
  windowStats(): WindowStats | undefined {
    const n = this.window.size;
    if (n < 3) return undefined;
    if (this.stats !== undefined && this.sinceRefresh < this.t.stride) return this.stats;
    this.sinceRefresh = 0;
    const { xs, ys } = this;
    for (let i = 0; i < n; i++) {
      xs[i] = this.window.step(i);
      ys[i] = this.window.value(i);
    }
    const trend = trendOf(xs, ys, n, this.scale, scratchTrend);
    const k = Math.min(this.t.shortWindow, n);
    const shortTrend = trendOf(xs.subarray(n - k), ys.subarray(n - k), k, this.scale, scratchTrend);
    const { median, spread } = this.robustStats() as RobustStats;
    const oscillation = oscillationOf(xs, ys, n, trend?.slope ?? 0, this.scale, scratchOsc);
    const residual = this.stats?.residual.length === n ? this.stats.residual : new Float64Array(n);
    if (oscillation) residual.set(scratchOsc.residual.subarray(0, n));
    else residual.fill(0);
    this.stats = { trend, shortTrend, oscillation, median, spread, residual, n };
    return this.stats;
  }

  /** Forget the window (a resumed segment: its steps are not a continuation of the window's). */
  resetWindow(): void {
    this.window.clear();
    this.stats = undefined;
    this.robust = undefined;
    this.sinceRefresh = Number.POSITIVE_INFINITY;
    this.sinceRobust = Number.POSITIVE_INFINITY;
  }
}
