/**
 * The classifier's bookkeeping: evidence items, how far past its threshold a condition is (its
 * margin), the confidence a rule's margins give, and the trend direction that counts for a loss.
 */

import { trendDirection } from "../signals/trend.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence } from "../types.ts";
import type { BalanceSignals, LossSignals } from "./classifier.ts";

/** A condition's margin in 0..1: how far past its threshold, relative to `span`. */
export function margin(value: number, threshold: number, span: number): number {
  return Math.min(1, Math.abs(value - threshold) / span);
}

export function confidence(margins: number[]): number {
  return 0.5 + 0.5 * Math.min(...margins, 1);
}

/** An evidence item; a threshold without `op` is a magnitude the signal must reach (trends). */
export function ev(signal: string, value: number, threshold?: number, op?: Evidence["op"]): Evidence {
  const e: Evidence = { signal, value };
  if (threshold !== undefined) e.threshold = threshold;
  if (op !== undefined) e.op = op;
  return e;
}

/** The trend direction that counts: the local window's, else the long (second half of run) one. */
export function direction(l: LossSignals, t: MonitorThresholds): { dir: -1 | 0 | 1; margin: number } {
  const local = trendDirection(l.trend, t.trendZ, t.trendChange);
  if (local !== 0 && l.trend)
    return { dir: local, margin: margin(l.trend.change, local * t.trendChange, 0.3) };
  const long = trendDirection(l.longTrend, t.trendZ, t.longTrendChange);
  if (long !== 0 && l.longTrend) {
    return { dir: long, margin: margin(l.longTrend.change, long * t.longTrendChange, 0.15) };
  }
  return { dir: 0, margin: 0 };
}

export function trendEvidence(tag: string, l: LossSignals, t: MonitorThresholds): Evidence[] {
  const out: Evidence[] = [];
  if (l.trend) {
    out.push(ev(`${tag}.trend`, l.trend.change, t.trendChange));
    out.push(ev(`${tag}.trend_z`, l.trend.z, t.trendZ));
  }
  if (l.longTrend) {
    out.push(ev(`${tag}.long_trend`, l.longTrend.change, t.longTrendChange));
    out.push(ev(`${tag}.long_trend_z`, l.longTrend.z, t.trendZ));
  }
  return out;
}

export function levelEvidence(s: BalanceSignals, t?: MonitorThresholds, side?: "d" | "g"): Evidence[] {
  const out: Evidence[] = [];
  if (s.disc.rel !== undefined) {
    out.push(
      t && side
        ? ev(
            "loss_disc.rel",
            s.disc.rel,
            side === "d" ? -t.levelLean : t.levelLean,
            side === "d" ? "<=" : ">=",
          )
        : ev("loss_disc.rel", s.disc.rel),
    );
  }
  if (s.gen.rel !== undefined) {
    out.push(
      t && side
        ? ev("loss_gen.rel", s.gen.rel, side === "d" ? t.levelLean : -t.levelLean, side === "d" ? ">=" : "<=")
        : ev("loss_gen.rel", s.gen.rel),
    );
  }
  return out;
}
