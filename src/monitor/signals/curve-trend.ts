/**
 * The trend of a whole-run bucket curve (curve.ts) as the report states it: Theil–Sen over the bucket
 * means, normalised by a scale, with a direction only when Mann–Kendall says it is significant and
 * the change is at least `longTrendChange`.
 */

import { round3 } from "../round.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { TrendSummary } from "../types.ts";
import type { BucketCurve } from "./curve.ts";
import { trendOf } from "./trend.ts";

/** Theil–Sen of a curve's bucket means (those after step `after`), in units of `scale`. */
export function curveTrend(
  c: BucketCurve,
  scale: number,
  t: MonitorThresholds,
  after = Number.NEGATIVE_INFINITY,
): TrendSummary | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  let first: number | undefined;
  for (let i = 0; i < c.length; i++) {
    const b = c.bucket(i);
    if (!Number.isFinite(b.mean) || b.toStep <= after) continue;
    first ??= b.fromStep;
    xs.push((b.fromStep + b.toStep) / 2);
    ys.push(b.mean);
  }
  const tr = trendOf(xs, ys, xs.length, scale);
  if (!tr || c.length === 0) return undefined;
  const significant = Math.abs(tr.z) >= t.trendZ && Math.abs(tr.change) >= t.longTrendChange;
  return {
    change: round3(tr.change),
    z: round3(tr.z),
    direction: !significant ? "flat" : tr.change > 0 ? "rising" : "falling",
    fromStep: first ?? c.bucket(0).fromStep,
    toStep: c.bucket(c.length - 1).toStep,
  };
}
