/**
 * Two rules with several conditions each, kept apart from the classifier's ordered list:
 * - stalled: no learning signal (G's gradient fell to a sliver of its maximum, or both losses are flat
 *   while D's output is uninformative and D does no better than a constant (rules-lead.ts), or D's
 *   lead never moved over the whole run and never came down from its start: frozen);
 * - oscillating: both losses swing, or one swings while the two move against each other.
 */

import type { Oscillation } from "../signals/oscillation.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence } from "../types.ts";
import type { BalanceSignals, Candidate } from "./classifier.ts";
import { confidence, direction, ev, margin } from "./evidence.ts";
import { workingD } from "./rules-lead.ts";

export function stallEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  if (s.gradGRatio !== undefined && s.gradGRatio <= t.stallGradRatio && s.gen.windowSize >= t.warmupSteps) {
    return {
      state: "stalled",
      rule: "g_gradient_vanished",
      confidence: confidence([margin(s.gradGRatio, t.stallGradRatio, t.stallGradRatio)]),
      evidence: [ev("grad_norm_g.ratio_to_max", s.gradGRatio, t.stallGradRatio, "<=")],
    };
  }
  // Frozen: D holds a lead that never changes. A game resting at the equilibrium is not frozen: that
  // is where a balanced game is meant to sit; nor is a voice model, whose adversarial losses barely
  // move in a healthy run (the so-vits-svc test log: 0.07 units over 10,000 steps while D slowly wins).
  const range = s.rvcLike ? undefined : s.disc.runRange;
  const discRel = s.disc.rel;
  const genRel = s.gen.rel;
  if (
    range !== undefined &&
    discRel !== undefined &&
    genRel !== undefined &&
    s.judged >= t.frozenMinSteps &&
    range <= t.frozenRange &&
    discRel <= -t.levelLean &&
    genRel >= t.levelLean &&
    // A dead G leaves D's lead where it was from the start (lead-floor.ts: the suite's SGD-killed
    // generators hold a floor of 0.22 or more); a calm game resting near the equilibrium (R1 and
    // decayed rates: D's gap came down to 0.01 early, 0.07-0.10 later) moves as little but is fine.
    (s.leadFloor === undefined || s.leadFloor >= t.leadFloorGap) &&
    // Both players frozen: a G whose loss still moved by half an equilibrium unit over the run is
    // learning (a plain ring8 run of 12,000 steps, 7 of 8 modes at 90%: D's range 0.11, G's 0.87-1.3).
    (s.gen.runRange === undefined || s.gen.runRange <= t.frozenGenRange)
  ) {
    return {
      state: "stalled",
      rule: "frozen_game",
      confidence: confidence([margin(range, t.frozenRange, t.frozenRange)]),
      evidence: [
        ev("loss_disc.run_range", range, t.frozenRange, "<="),
        ev("judged_steps", s.judged, t.frozenMinSteps, ">="),
        ev("loss_disc.rel", discRel, -t.levelLean, "<="),
        ev("loss_gen.rel", genRel, t.levelLean, ">="),
        ...(s.gen.runRange === undefined
          ? []
          : [ev("loss_gen.run_range", s.gen.runRange, t.frozenGenRange, "<=")]),
        ...(s.leadFloor === undefined
          ? []
          : [ev("d_gap.floor_since_start", s.leadFloor, t.leadFloorGap, ">=")]),
      ],
    };
  }
  const ds = s.disc.spread;
  const gs = s.gen.spread;
  if (ds === undefined || gs === undefined || s.disc.windowSize < Math.min(t.window, 2 * t.warmupSteps)) {
    return undefined;
  }
  const uninformative = s.gap === undefined || Math.abs(s.gap) <= t.gapUninformative;
  // Flat losses around a gap near 0 from a D that still does better than any constant output are a
  // game resting at its equilibrium (flatter still once the learning rates decay), not a dead D.
  if (
    !workingD(s, t) &&
    ds <= t.stallSpread &&
    gs <= t.stallSpread &&
    uninformative &&
    direction(s.disc, t).dir === 0 &&
    direction(s.gen, t).dir === 0
  ) {
    return {
      state: "stalled",
      rule: "frozen_losses",
      confidence: confidence([
        margin(ds, t.stallSpread, t.stallSpread),
        margin(gs, t.stallSpread, t.stallSpread),
      ]),
      evidence: [
        ev("loss_disc.spread", ds, t.stallSpread, "<="),
        ev("loss_gen.spread", gs, t.stallSpread, "<="),
        ...(s.gap === undefined ? [] : [ev("d_gap", s.gap, t.gapUninformative, "<=")]),
      ],
    };
  }
  return undefined;
}

export function oscillationEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  const swings = (o: Oscillation | undefined) =>
    o !== undefined &&
    o.amplitude >= t.oscAmplitude &&
    o.autocorr >= t.oscAutocorr &&
    o.crossings >= t.oscCrossings;
  const d = s.disc.oscillation;
  const g = s.gen.oscillation;
  const both = swings(d) && swings(g);
  const turns = s.crossCorrelation !== undefined && s.crossCorrelation <= t.oscAntiCorrelation;
  if (!both && !((swings(d) || swings(g)) && turns)) return undefined;
  const main = (swings(g) ? g : d) as Oscillation;
  const evidence: Evidence[] = [];
  const entries = [
    ["loss_gen", g],
    ["loss_disc", d],
  ] as const;
  for (const [tag, o] of [...entries].sort((a, b) => Number(swings(b[1])) - Number(swings(a[1])))) {
    if (!o) continue;
    const held = swings(o);
    evidence.push(
      ev(`${tag}.osc_amplitude`, o.amplitude, held ? t.oscAmplitude : undefined, held ? ">=" : undefined),
    );
    evidence.push(
      ev(`${tag}.osc_autocorr`, o.autocorr, held ? t.oscAutocorr : undefined, held ? ">=" : undefined),
    );
    evidence.push(
      ev(`${tag}.osc_crossings`, o.crossings, held ? t.oscCrossings : undefined, held ? ">=" : undefined),
    );
  }
  if (s.crossCorrelation !== undefined) {
    evidence.push(
      ev(
        "loss_cross_correlation",
        s.crossCorrelation,
        both ? undefined : t.oscAntiCorrelation,
        both ? undefined : "<=",
      ),
    );
  }
  return {
    state: "oscillating",
    rule: "oscillation",
    confidence: confidence([
      margin(main.amplitude, t.oscAmplitude, t.oscAmplitude),
      margin(main.autocorr, t.oscAutocorr, 0.4),
    ]),
    evidence,
  };
}
