/**
 * G dominant, pinned: D no longer tells real from fake at all. A discriminator too small or too slow
 * for its generator (the scenario suite's 4-unit D against a 10x faster G) outputs ~0.5 for every
 * input, so both losses sit exactly at the equilibrium and D's gap at 0, while G
 * produces garbage that nothing teaches it to fix. The losses look "perfectly balanced"; what gives it
 * away is that they are pinned: a working game keeps D a little ahead (gap 0.1-0.2 in healthy runs)
 * and its levels off the equilibrium by a few per cent. The thresholds (`pinnedGap`, `pinnedLevel`)
 * were measured on the suite's tuning seeds; the hysteresis asks for the pin to hold over several steps.
 * A game that converged looks the same for one window (gap ~0, levels within 1-2%), but its D sits
 * below the equilibrium on every step (rules-lead.ts `workingD`): that is not a pin.
 */
import type { BalanceSignals, Candidate } from "./classifier.ts";
import { confidence, ev, margin } from "./evidence.ts";
import { workingD } from "./rules-lead.ts";
import type { MonitorThresholds } from "./thresholds.ts";

export function pinnedEvidence(s: BalanceSignals, t: MonitorThresholds): Candidate | undefined {
  const gap = s.gap;
  const discRel = s.disc.rel;
  const genRel = s.gen.rel;
  if (gap === undefined || discRel === undefined || genRel === undefined) return undefined;
  // not in a run's first steps, when both networks are still near their random start
  if (s.disc.windowSize < Math.min(t.window, 2 * t.warmupSteps)) return undefined;
  // a D still below the equilibrium step after step tells real from fake a little: not starved
  if (workingD(s, t)) return undefined;
  if (Math.abs(gap) > t.pinnedGap || Math.abs(discRel) > t.pinnedLevel || Math.abs(genRel) > t.pinnedLevel) {
    return undefined;
  }
  return {
    state: "g_dominant",
    confidence: confidence([
      margin(Math.abs(gap), t.pinnedGap, t.pinnedGap),
      margin(Math.abs(discRel), t.pinnedLevel, t.pinnedLevel),
      margin(Math.abs(genRel), t.pinnedLevel, t.pinnedLevel),
    ]),
    evidence: [
      ev("d_gap.abs", Math.abs(gap), t.pinnedGap, "<="),
      ev("loss_disc.rel.abs", Math.abs(discRel), t.pinnedLevel, "<="),
      ev("loss_gen.rel.abs", Math.abs(genRel), t.pinnedLevel, "<="),
    ],
  };
}
