/**
 * What the classifier reads of one adversarial loss: its level against the equilibrium (from the
 * winsorised EMA), its local and short trends, its oscillation and spread over the window (series.ts),
 * its long trend: Theil–Sen over the second half of the whole-run buckets, and its run range: how far
 * the bucket means spread over the whole run (its first eighth, the start's transient, left out); both
 * recomputed only when a bucket opens (amortised O(1) per step).
 */
import type { Oscillation } from "./oscillation.ts";
import type { SeriesTracker } from "./series.ts";
import { type Trend, trendOf } from "./trend.ts";

/** What the classifier reads of one adversarial loss (rules/classifier.ts). */
export interface LossSignals {
  smoothed: number;
  /** (smoothed - equilibrium) / scale: negative below equilibrium. */
  rel?: number;
  trend?: Trend;
  shortTrend?: Trend;
  longTrend?: Trend;
  oscillation?: Oscillation;
  /** Robust spread of the window in scale units. */
  spread?: number;
  /** Range of the whole-run bucket means (first eighth left out) in scale units: how far the loss
   *  moved over the run. Undefined until the curve has enough buckets. */
  runRange?: number;
  windowSize: number;
}

/** Buckets needed before a long trend means anything (its second half then holds 4). */
const MIN_BUCKETS = 8;
/** Buckets needed before the run range means anything: each then averages a few points at least. */
const MIN_RANGE_BUCKETS = 16;

export class LossSignalReader {
  private readonly cache = new Map<
    string,
    { length: number; trend: Trend | undefined; range: number | undefined }
  >();

  read(tr: SeriesTracker, eq: number | null, scale: number | undefined): LossSignals {
    const st = tr.windowStats();
    const smoothed = tr.level.value;
    const out: LossSignals = { smoothed, windowSize: tr.window.size };
    if (eq !== null && scale !== undefined && Number.isFinite(smoothed)) out.rel = (smoothed - eq) / scale;
    if (st) {
      if (st.trend) out.trend = st.trend;
      if (st.shortTrend) out.shortTrend = st.shortTrend;
      if (st.oscillation) out.oscillation = st.oscillation;
      out.spread = st.spread / tr.scale;
    }
    const { trend: long, range } = this.wholeRun(tr);
    if (long) out.longTrend = long;
    if (range !== undefined) out.runRange = range;
    return out;
  }

  private wholeRun(tr: SeriesTracker): { trend: Trend | undefined; range: number | undefined } {
    const c = tr.curve;
    const cached = this.cache.get(tr.tag);
    if (cached && cached.length === c.length) return cached;
    let trend: Trend | undefined;
    if (c.length >= MIN_BUCKETS) {
      const xs: number[] = [];
      const ys: number[] = [];
      for (let i = c.length >> 1; i < c.length; i++) {
        const b = c.bucket(i);
        if (!Number.isFinite(b.mean)) continue;
        xs.push((b.fromStep + b.toStep) / 2);
        ys.push(b.mean);
      }
      trend = trendOf(xs, ys, xs.length, tr.scale);
    }
    let range: number | undefined;
    if (c.length >= MIN_RANGE_BUCKETS) {
      let lo = Number.POSITIVE_INFINITY;
      let hi = Number.NEGATIVE_INFINITY;
      for (let i = c.length >> 3; i < c.length; i++) {
        const m = c.bucket(i).mean;
        if (!Number.isFinite(m)) continue;
        if (m < lo) lo = m;
        if (m > hi) hi = m;
      }
      if (hi >= lo) range = (hi - lo) / tr.scale;
    }
    const entry = { length: c.length, trend, range };
    this.cache.set(tr.tag, entry);
    return entry;
  }
}
