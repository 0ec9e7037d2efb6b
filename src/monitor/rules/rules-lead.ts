/**
 * Two readings of D's lead that look further back than one window:
 * - a working D at the equilibrium (`workingD`): loss_disc below its equilibrium on nearly every recent
 *   step (disc-side.ts: the last 2 x `window` judged steps). The rules for a starved D (pinned) and a dead D (stalled, flat) then
 *   do not apply: a D that still does better than any constant output is neither; a gap near 0 with
 *   flat losses is the game resting where it is meant to (and flat because the learning rates decayed).
 * - D worse than a constant (`constantDEvidence`): loss_disc below its equilibrium on at most
 *   `beatenDShare` of its recent steps, after the early transient, and its level above the equilibrium
 *   by more than `equilibriumBand`: G dominant, whatever D's gap reads. The equilibrium is the best a
 *   constant output can do, so a D that sits above it has nothing to teach G. A D resting AT the
 *   equilibrium (within the band, on both sides by turns) is the game's goal as far as the losses can
 *   tell: balanced, with the report's note on what the losses cannot show.
 * (A third, "D never let go", read D dominant when D's gap never came down to `leadFloorGap` after
 * the early phase. Tuned on the scenario suite, it decided 8 verdicts of the cross-trainer corpus,
 * 5 of them right (63%, below the corpus's 70% of unhealthy runs), and its removal moved balanced
 * accuracy from 0.68 to 0.70 and the healthy runs flagged from 17% to 11%: dropped on 2026-12-07.)
 */

import type { MonitorThresholds } from "../thresholds.ts";
import type { BalanceSignals, Candidate } from "./classifier.ts";
import { confidence, ev, margin } from "./evidence.ts";

export function workingD(s: BalanceSignals, t: MonitorThresholds): boolean {
  return s.discBelowShare !== undefined && s.discBelowShare >= t.workingDShare;
}

export function constantDEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  const share = s.discBelowShare;
  const rel = s.disc.rel;
  if (share === undefined || rel === undefined || s.judged < t.leadFloorFrom || share > t.beatenDShare)
    return undefined;
  if (rel <= t.equilibriumBand) return undefined;
  return {
    state: "g_dominant",
    rule: "worse_than_constant",
    confidence: confidence([margin(share, t.beatenDShare, t.beatenDShare)]),
    evidence: [
      ev("loss_disc.below_equilibrium_share", share, t.beatenDShare, "<="),
      ev("loss_disc.rel", rel, t.equilibriumBand, ">"),
      ...(s.gap === undefined ? [] : [ev("d_gap", s.gap)]),
    ],
  };
}
