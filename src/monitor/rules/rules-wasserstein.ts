/**
 * WGAN / WGAN-GP read as themselves (issue 14, item 5). A Wasserstein critic has no fixed
 * equilibrium: its loss E[C(G(z))] - E[C(x)] (the gradient penalty logged apart) is minus its estimate
 * of the Wasserstein distance, and G's loss -E[C(G(z))] carries the critic's free offset, so neither
 * level means anything against a constant. What does: the estimate W = -loss_disc against its own
 * peak (the distance the critic found once it learned), and its sign.
 *
 * - critic beaten (g_dominant): W below 0 by at least `criticBeaten` of its peak, or below 0 without
 *   ever having been above it: the critic rates generated data above real data, which even a constant
 *   critic (W = 0) does not. A game where G has caught up sits near 0 on both sides with the batches'
 *   jitter, not far below it.
 * - critic ahead (d_dominant): after the early phase (`leadFloorFrom` judged steps), W still at least
 *   `criticKept` of its peak and no longer shrinking: G has not closed half the distance the critic
 *   measured and is not closing it now (a G that does not learn, or a critic running away; a W still
 *   growing is at its peak). A healthy run's estimate rises while the critic learns and then shrinks
 *   as G catches up; a short run can end while it is still shrinking (the keras-io WGAN-GP example's
 *   20 epochs: W 7.7 -> 2.5, every epoch lower), and a G closing the gap is not beaten.
 * - a dead critic (W flat at ~0 from the start, G's loss flat) is the generic frozen-losses stall
 *   (rules-stall-oscillation.ts), tried before these.
 *
 * Cross-trainer corpus (450 PyTorch runs, 61 WGAN-GP; bench/RESULTS-cross-trainer.md): the healthy
 * WGAN-GP runs end with W between -0.21 and 0.41 of its peak; of the unhealthy ones 8 end below -0.3
 * of it or never above 0, and 5 keep at least half of it.
 */

import type { Trend } from "../signals/trend.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { BalanceSignals, Candidate } from "./classifier.ts";
import { confidence, ev, margin } from "./evidence.ts";

/** The critic's estimate now and its peak since the warm-up (smoothed, so one batch is not a peak). */
export interface CriticSignal {
  estimate: number;
  peak: number;
}

/** The peak of the smoothed Wasserstein estimate over a segment: O(1) per step. */
export class CriticPeak {
  private peak = Number.NEGATIVE_INFINITY;

  observe(judged: number, smoothedDisc: number, from: number): CriticSignal | undefined {
    const estimate = -smoothedDisc;
    if (!Number.isFinite(estimate)) return undefined;
    if (judged >= from && estimate > this.peak) this.peak = estimate;
    return Number.isFinite(this.peak) ? { estimate, peak: this.peak } : undefined;
  }

  reset(): void {
    this.peak = Number.NEGATIVE_INFINITY;
  }
}

/** The estimate -loss_disc falls significantly across the local window: loss_disc rises by a
 *  significant trend (the same z and size a trend needs everywhere in the monitor). */
function shrinking(trend: Trend | undefined, t: MonitorThresholds): boolean {
  return trend !== undefined && trend.z >= t.trendZ && trend.change >= t.trendChange;
}

export function criticEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  const c = s.critic;
  if (c === undefined) return undefined;
  const { estimate, peak } = c;
  const evidence = [ev("critic.estimate", estimate), ev("critic.peak", peak)];
  if (estimate < 0 && (peak <= 0 || estimate <= -t.criticBeaten * peak)) {
    const ratio = peak > 0 ? estimate / peak : undefined;
    return {
      state: "g_dominant",
      rule: "critic_beaten",
      confidence: ratio === undefined ? 1 : confidence([margin(ratio, -t.criticBeaten, t.criticBeaten)]),
      evidence: [
        ...(ratio === undefined
          ? [ev("critic.estimate", estimate, 0, "<"), ev("critic.peak", peak, 0, "<=")]
          : [ev("critic.estimate_to_peak", ratio, -t.criticBeaten, "<=")]),
        ...evidence,
      ],
    };
  }
  if (
    s.judged >= t.leadFloorFrom &&
    estimate > 0 &&
    peak > 0 &&
    estimate >= t.criticKept * peak &&
    !shrinking(s.disc.trend, t)
  ) {
    const ratio = estimate / peak;
    return {
      state: "d_dominant",
      rule: "critic_ahead",
      confidence: confidence([margin(ratio, t.criticKept, 1 - t.criticKept)]),
      evidence: [ev("critic.estimate_to_peak", ratio, t.criticKept, ">="), ...evidence],
    };
  }
  return undefined;
}
