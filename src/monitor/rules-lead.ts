/**
 * Three readings of D's lead that look further back than one window:
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
 * - D never let go (`neverCaughtUpEvidence`): D's gap has not come down to `leadFloorGap` since the
 *   early phase (lead-floor.ts), the levels are on D's side, and the segment is long enough for G to
 *   have caught up (`frozenMinSteps`), and its gap has not fallen by `leadLetGo` from a high point (a D
 *   that won outright and came far down did let go): D dominant, though its gap stays under `gapDominant`. Not for
 *   voice models, whose D sits moderately ahead for a whole healthy run.
 */
import type { BalanceSignals, Candidate } from "./classifier.ts";
import { confidence, ev, margin } from "./evidence.ts";
import type { MonitorThresholds } from "./thresholds.ts";

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

export function neverCaughtUpEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  const floor = s.leadFloor;
  const gap = s.gap;
  const discRel = s.disc.rel;
  const genRel = s.gen.rel;
  if (s.rvcLike || floor === undefined || gap === undefined || discRel === undefined || genRel === undefined)
    return undefined;
  if (s.judged < t.frozenMinSteps || floor < t.leadFloorGap) return undefined;
  if ((s.leadLetGo ?? 0) >= t.leadLetGo) return undefined;
  if (discRel > -t.levelLean || genRel < t.levelLean) return undefined;
  return {
    state: "d_dominant",
    rule: "never_let_go",
    confidence: confidence([
      margin(floor, t.leadFloorGap, 0.2),
      margin(-discRel, t.levelLean, 0.25),
      margin(genRel, t.levelLean, 0.25),
    ]),
    evidence: [
      ev("d_gap.floor_since_start", floor, t.leadFloorGap, ">="),
      ev("d_gap", gap),
      ev("judged_steps", s.judged, t.frozenMinSteps, ">="),
      ev("loss_disc.rel", discRel, -t.levelLean, "<="),
      ev("loss_gen.rel", genRel, t.levelLean, ">="),
    ],
  };
}
