/**
 * What the classifier reads of one adversarial loss: its level against the equilibrium (from the
 * winsorised EMA), its local and short trends, its oscillation and spread over the window (series.ts),
 * and its long trend: Theil–Sen over the second half of the whole-run buckets, recomputed only when
 * a bucket opens (amortised O(1) per step).
 */
import type { LossSignals } from "./classifier.ts";
import type { SeriesTracker } from "./series.ts";
import { type Trend, trendOf } from "./trend.ts";

/** Buckets needed before a long trend means anything (its second half then holds 4). */
const MIN_BUCKETS = 8;

export class LossSignalReader {
  private readonly cache = new Map<string, { length: number; trend: Trend | undefined }>();

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
    const long = this.longTrend(tr);
    if (long) out.longTrend = long;
    return out;
  }

  private longTrend(tr: SeriesTracker): Trend | undefined {
    const c = tr.curve;
    const cached = this.cache.get(tr.tag);
    if (cached && cached.length === c.length) return cached.trend;
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
    this.cache.set(tr.tag, { length: c.length, trend });
    return trend;
  }
}
