/**
 * One step's candidate state from its signals, with a raw confidence and the numbers behind it. The
 * rules, in the order they are tried (the first that holds wins):
 *
 * 1. diverged: a loss, D output or gradient norm is NaN / ±Infinity, or a loss exploded (beyond
 *    `explodeAbs` equilibrium units, or `explodeSustain` spikes in a row).
 * 2. warmup: fewer than `warmupSteps` steps judged in this segment.
 * 3. collapse_suspected: loss_gen drops fast (short-window change <= `collapseGenDrop`, significant)
 *    while D's output becomes uninformative (gap <= `gapUninformative`): G found outputs that fool D,
 *    which on 2D mixtures means it piles onto what D misjudges.
 * 3b. stalled, dead G: grad_norm_g exactly 0 for `deadGradSteps` steps: nothing else matters then.
 * 4. d_dominant, strong: gap >= `gapDominant` (D's outputs far apart). Before "stalled": a D that
 *    wins outright also starves G of gradient (the minimax loss saturates), and the cause is the news.
 * 5. g_dominant, strong: gap <= `gapFooled` (D rates fakes above reals).
 * 6. stalled: no learning signal: G's gradient norm fell below `stallGradRatio` of its maximum, or
 *    both losses are flat to within `stallSpread` while D's output is uninformative (a dead D), or
 *    D is ahead (levels on its side by `levelLean`), its gap never came down to `leadFloorGap` since
 *    the early phase, and loss_disc has not moved by `frozenRange` over the whole run (a dead G:
 *    nothing ever changed).
 *    Not for a working D (rules-lead.ts): loss_disc below its equilibrium on nearly every recent step
 *    means D still does better than any constant output, so flat losses are a game at rest.
 *    Losses resting AT the equilibrium with the jitter of the batches are not a stall: D cannot tell
 *    real from generated, which is the game's goal (issue 14). From the losses alone that reads
 *    balanced, and the report's note says what they cannot show (a D too weak to learn looks the
 *    same; until 2026-12-07 a "pinned" rule read it as G dominant and flagged healthy equilibria).
 * 6b. Wasserstein only (rules-wasserstein.ts): g_dominant when the critic's estimate -loss_disc fell
 *    below 0 by `criticBeaten` of its peak (the critic rates generated data above real), d_dominant
 *    when after the early phase it keeps `criticKept` of its peak (G has not caught up).
 * 7. g_dominant, beaten: gap <= `gapBeaten` with the levels on G's side (disc above, gen below the
 *    equilibrium): D does worse than chance on its own batches, so G is fooling it with whatever it
 *    makes ("G loss steadily decreasing: fooling D with garbage", ganhacks).
 * 8. oscillating: both losses swing (amplitude, autocorrelation and crossings over their thresholds),
 *    or one does while the two move against each other.
 * 8b. g_dominant, D worse than a constant (rules-lead.ts): loss_disc below its equilibrium on at
 *    most `beatenDShare` of its recent steps and its level above the equilibrium band: D has lost the
 *    game on its own batches (after the oscillation rule: players taking turns around the equilibrium
 *    also sit below it half the time; a game resting at the equilibrium sits on both sides).
 * 9. d_dominant by trend: loss_disc falling (local or long trend) while loss_gen rises or stalls, with
 *    the levels on D's side of the equilibrium (disc below, gen above by `levelLean`) and, when the
 *    gap is known, D's outputs at least `gapLean` apart.
 * 10. g_dominant by trend: the mirror: loss_disc rising while loss_gen falls, levels on G's side.
 * 11. balanced otherwise.
 *
 * Confidence 0.5..1: 0.5 when the rule's tightest condition only just holds, 1 when it holds with a
 * full margin (a margin per condition is given below); the hysteresis then weighs it by agreement.
 */

import type { LossSignals } from "../signals/loss-signals.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence, RuleId, StateName } from "../types.ts";
import { confidence, direction, ev, levelEvidence, margin, trendEvidence } from "./evidence.ts";
import { constantDEvidence } from "./rules-lead.ts";
import { oscillationEvidence, stallEvidence } from "./rules-stall-oscillation.ts";
import { type CriticSignal, criticEvidence } from "./rules-wasserstein.ts";

export type { LossSignals } from "../signals/loss-signals.ts";

export interface BalanceSignals {
  step: number;
  /** Steps judged in this segment, this one included. */
  judged: number;
  nonFinite: { tag: string; value: number }[];
  explosion?: { tag: string; value: number; reason: "absolute" | "sustained" };
  disc: LossSignals;
  gen: LossSignals;
  gap?: number;
  /** grad_norm_g smoothed / its maximum so far. */
  gradGRatio?: number;
  /** Consecutive logged steps with grad_norm_g exactly 0. */
  gradGZeros?: number;
  /** Correlation of the two detrended loss windows (negative: the players take turns). */
  crossCorrelation?: number;
  /** Share of the recent judged steps (2 x `window`) with loss_disc below its equilibrium (disc-side.ts): near 1, D still tells
   *  real from fake (a game at its equilibrium); a dead or starved D sits there only by turns. */
  discBelowShare?: number;
  /** The lowest gap since the segment's early phase (lead-floor.ts). */
  leadFloor?: number;
  /** A voice model (RVC / VITS family: reconstruction terms logged): its adversarial losses move by
   *  only ~0.1 equilibrium units over a healthy run, so "frozen" does not apply. */
  rvcLike?: boolean;
  /** Wasserstein only: the critic's estimate -loss_disc and its peak (rules-wasserstein.ts). */
  critic?: CriticSignal;
}

export interface Candidate {
  state: StateName;
  rule: RuleId;
  confidence: number;
  evidence: Evidence[];
}

export function classify(s: BalanceSignals, t: MonitorThresholds): Candidate {
  if (s.nonFinite.length > 0) {
    return {
      state: "diverged",
      rule: "non_finite",
      confidence: 1,
      evidence: s.nonFinite.map((n) => ev(`non_finite:${n.tag}`, n.value)),
    };
  }
  if (s.explosion) {
    const e = s.explosion;
    return {
      state: "diverged",
      rule: "exploded",
      confidence: e.reason === "absolute" ? 1 : 0.8,
      evidence: [ev(`explosion:${e.tag}`, e.value)],
    };
  }
  if (s.judged < t.warmupSteps) {
    return {
      state: "warmup",
      rule: "warmup",
      confidence: 1,
      evidence: [ev("judged_steps", s.judged, t.warmupSteps, "<")],
    };
  }

  const gap = s.gap;
  const gapEv = gap === undefined ? [] : [ev("d_gap", gap)];

  if (s.gradGZeros !== undefined && s.gradGZeros >= t.deadGradSteps) {
    return {
      state: "stalled",
      rule: "dead_g_gradient",
      confidence: 1,
      evidence: [ev("grad_norm_g.zero_steps", s.gradGZeros, t.deadGradSteps, ">="), ...gapEv],
    };
  }

  const drop = s.gen.shortTrend;
  if (
    drop !== undefined &&
    gap !== undefined &&
    drop.change <= t.collapseGenDrop &&
    drop.z <= -t.trendZ &&
    gap <= t.gapUninformative
  ) {
    return {
      state: "collapse_suspected",
      rule: "collapse_drop",
      confidence: confidence([
        margin(drop.change, t.collapseGenDrop, 0.5),
        margin(gap, t.gapUninformative, 0.2),
        margin(drop.z, -t.trendZ, 1),
      ]),
      evidence: [
        ev("loss_gen.short_trend", drop.change, t.collapseGenDrop, "<="),
        ev("loss_gen.short_trend_z", drop.z, -t.trendZ, "<="),
        ev("d_gap", gap, t.gapUninformative, "<="),
      ],
    };
  }

  if (gap !== undefined && gap >= t.gapDominant) {
    return {
      state: "d_dominant",
      rule: "d_gap_dominant",
      confidence: confidence([margin(gap, t.gapDominant, 0.3)]),
      evidence: [ev("d_gap", gap, t.gapDominant, ">="), ...levelEvidence(s)],
    };
  }
  if (gap !== undefined && gap <= t.gapFooled) {
    return {
      state: "g_dominant",
      rule: "d_gap_fooled",
      confidence: confidence([margin(gap, t.gapFooled, 0.3)]),
      evidence: [ev("d_gap", gap, t.gapFooled, "<="), ...levelEvidence(s)],
    };
  }

  const stalled = stallEvidence(s, t);
  if (stalled) return stalled;
  const critic = criticEvidence(s, t);
  if (critic) return critic;

  const discRel = s.disc.rel;
  const genRel = s.gen.rel;
  if (
    gap !== undefined &&
    gap <= t.gapBeaten &&
    discRel !== undefined &&
    genRel !== undefined &&
    discRel >= 0 &&
    genRel <= 0
  ) {
    return {
      state: "g_dominant",
      rule: "d_beaten",
      confidence: confidence([
        margin(gap, t.gapBeaten, 0.1),
        margin(discRel, 0, 0.1),
        margin(genRel, 0, 0.1),
      ]),
      evidence: [
        ev("d_gap", gap, t.gapBeaten, "<="),
        ev("loss_disc.rel", discRel, 0, ">="),
        ev("loss_gen.rel", genRel, 0, "<="),
      ],
    };
  }

  const osc = oscillationEvidence(s, t);
  if (osc) return osc;
  const constantD = constantDEvidence(s, t);
  if (constantD) return constantD;

  const discDir = direction(s.disc, t);
  const genDir = direction(s.gen, t);
  const leans = gap === undefined || gap >= t.gapLean;
  const dSide =
    discRel !== undefined && genRel !== undefined && discRel <= -t.levelLean && genRel >= t.levelLean;
  const gSide =
    discRel !== undefined && genRel !== undefined && discRel >= t.levelLean && genRel <= -t.levelLean;
  const trendEv = [...trendEvidence("loss_disc", s.disc, t), ...trendEvidence("loss_gen", s.gen, t)];
  if (discDir.dir < 0 && genDir.dir >= 0 && dSide && leans) {
    return {
      state: "d_dominant",
      rule: "d_trend",
      confidence: confidence([
        discDir.margin,
        margin(discRel as number, -t.levelLean, 0.25),
        margin(genRel as number, t.levelLean, 0.25),
      ]),
      evidence: [
        ...trendEv,
        ...levelEvidence(s, t, "d"),
        ...(gap === undefined ? [] : [ev("d_gap", gap, t.gapLean, ">=")]),
      ],
    };
  }
  if (discDir.dir > 0 && genDir.dir <= 0 && gSide) {
    return {
      state: "g_dominant",
      rule: "g_trend",
      confidence: confidence([
        discDir.margin,
        margin(discRel as number, t.levelLean, 0.25),
        margin(genRel as number, -t.levelLean, 0.25),
      ]),
      evidence: [...trendEv, ...levelEvidence(s, t, "g"), ...gapEv],
    };
  }

  // Balanced: the closer the gap and the levels to the equilibrium, the surer.
  const closeness = gap === undefined ? 0.5 : 1 - Math.min(1, Math.abs(gap) / t.gapDominant);
  return {
    state: "balanced",
    rule: "no_problem",
    confidence: 0.5 + 0.5 * closeness,
    evidence: [
      ...gapEv,
      ...levelEvidence(s),
      ...trendEv,
      ...(s.discBelowShare === undefined ? [] : [ev("loss_disc.below_equilibrium_share", s.discBelowShare)]),
    ],
  };
}
