/**
 * The balance policy: given what the monitor reads now, which way should the learning rates move, and
 * how urgently? A pure function with numbered steps, in the manner of nanoGPT's get_lr, so every
 * decision can be read and tested on its own.
 *
 * The rule is StyleGAN2-ADA's, moved from augmentation strength to learning rates. ADA measures how far
 * D has pulled ahead (r_t = E[sign D(x_real)], target 0.6) and nudges its knob by a fixed step in the
 * direction of the error, sign(r_t - target), every few minibatches: integral control with a bang-bang
 * step. The sign makes it indifferent to the signal's scale and noise (no gain to tune per loss family),
 * the fixed step bounds how fast it can act, and the clamp bounds how far. Here the measure of D's lead
 * is the monitor's D gap (mean D(real) - mean D(fake), the median of the last steps: 0 at equilibrium,
 * 1 when D separates perfectly), which exists for every source, and the knob is the ratio of the two
 * learning rates (TTUR: the players may learn at different speeds). BEGAN's proportional rule on k was
 * the alternative; it needs a gain matched to the loss scale, which a monitor of any GAN cannot assume.
 *
 * One departure from ADA, from measurement: a D ten times too fast separates the data from the first
 * logged steps (gap 0.8-0.9 from step 20 on ring8) and G has collapsed onto one mode by step 100, while
 * the monitor's warm-up ends at step ~100 and ADA-sized steps need ~1,000 steps to undo a factor of
 * ten. So an extreme gap is acted on at once, during warm-up too, and in bigger steps (`urgent`); a
 * healthy run's gap stays below it (measured 0.1-0.45 on ring8 at the default settings).
 */
import type { Evidence, Snapshot, StateName } from "../monitor/types.ts";

export interface PolicyConfig {
  /** D gap above which D is ahead enough to slow it (healthy BCE runs sit at 0.05-0.45, D-dominant
   *  ones at 0.75-0.85: 0.35 leaves most of the normal game alone). */
  gapHigh: number;
  /** D gap below which G is ahead: D rates fakes at least as real as reals. */
  gapLow: number;
  /** D gap from which D separates nearly everything: act at once, even in warm-up. */
  gapExtreme: number;
  /** D gap at or below which D is fooled outright: G far ahead, act at once. */
  gapExtremeLow: number;
  /**
   * Before the controller has steered a run (first, do no harm), only a clear failure moves it: the
   * extreme marks (steps 3-4, `gapExtremeFirst` for D's lead) and a G lead the monitor reads with at
   * least `minConfidence` (step 7); an ordinary D lead holds (step 6). Once steering, the rules are
   * the ordinary ones. False: the ordinary rules from the start.
   */
  holdUntilSteered: boolean;
  /** D gap from which an unsteered run's D lead is a clear failure (holdUntilSteered), past its first
   *  `earlyJudged` judged steps; before them, `gapExtreme`. */
  gapExtremeFirst: number;
  earlyJudged: number;
  /** The monitor's confidence in a G lead before an unsteered run is moved (holdUntilSteered). */
  minConfidence: number;
}

export const DEFAULT_POLICY: Readonly<PolicyConfig> = Object.freeze({
  gapHigh: 0.35,
  gapLow: 0,
  gapExtreme: 0.6,
  gapExtremeLow: -0.3,
  holdUntilSteered: true,
  gapExtremeFirst: 0.75,
  earlyJudged: 50,
  minConfidence: 0.6,
});

/** What the policy asks for: slow D (speed G), slow G (speed D), slow both, or nothing. */
export type Direction = "slow_d" | "slow_g" | "slow_both" | "hold";

export interface Decision {
  direction: Direction;
  /** Why, as a message key of the control catalogue and the numbers behind it. */
  reason: "diverged" | "d_ahead" | "g_ahead" | "balanced" | "no_signal" | "unsure";
  /** Act now and in a bigger step: divergence, or a gap past an extreme mark. */
  urgent: boolean;
  /** The numbered step below that decided (1-8), so a decision can be traced to its rule. */
  rule: number;
  /** The comparison that decided, when the step compares D's gap with a mark. */
  test?: Evidence;
  gap?: number;
  state: StateName;
}

/** `steered`: the controller has already moved a knob for a problem in this run. */
export function balancePolicy(s: Snapshot, c: PolicyConfig = DEFAULT_POLICY, steered = false): Decision {
  const gap = s.signals.d_gap;
  const state = s.state;
  // 1. A diverging run needs smaller steps for both players, whatever the gap says.
  if (state === "diverged")
    return {
      direction: "slow_both",
      reason: "diverged",
      urgent: true,
      rule: 1,
      state,
      ...(gap !== undefined ? { gap } : {}),
    };
  // 2. Without a gap there is nothing to steer by.
  if (gap === undefined || !Number.isFinite(gap))
    return { direction: "hold", reason: "no_signal", urgent: false, rule: 2, state };
  // 3. D separates nearly everything: it is far ahead, even if the monitor is still warming up.
  //    In a run not yet steered, past its first steps, only a lead a healthy game never shows: D's lead
  //    grows as G learns a hard dataset (healthy grid25: gap 0.6-0.68 after 5,000-15,000 steps), while
  //    a D that is too strong separates the data from the first logged steps (0.73-0.96 at step 60).
  const late = c.holdUntilSteered && !steered && s.completedSteps > c.earlyJudged;
  const extreme = late ? c.gapExtremeFirst : c.gapExtreme;
  if (gap >= extreme)
    return {
      direction: "slow_d",
      reason: "d_ahead",
      urgent: true,
      rule: 3,
      test: { signal: "d_gap", value: gap, threshold: extreme, op: ">=" },
      gap,
      state,
    };
  // 4. D is fooled outright: G is far ahead.
  if (gap <= c.gapExtremeLow)
    return {
      direction: "slow_g",
      reason: "g_ahead",
      urgent: true,
      rule: 4,
      test: { signal: "d_gap", value: gap, threshold: c.gapExtremeLow, op: "<=" },
      gap,
      state,
    };
  // 5. Otherwise, before the monitor has judged the game, leave it alone.
  if (state === "warmup")
    return { direction: "hold", reason: "no_signal", urgent: false, rule: 5, gap, state };
  const first = c.holdUntilSteered && !steered;
  // 6. D ahead: the monitor says so, or the gap is past the high mark. A run not yet steered holds:
  //    a healthy grid25 run reads D dominant (confidence 0.6-0.8, gap 0.35-0.6) for thousands of
  //    steps while G learns the grid, and slowing D there cost modes and samples (tuning seeds 100-104).
  const dAhead = state === "d_dominant" || gap > c.gapHigh;
  if (dAhead && !first) return { direction: "slow_d", reason: "d_ahead", urgent: false, rule: 6, gap, state };
  // 7. G ahead (or D fooled while samples collapse): the monitor says so, or the gap is below the low
  //    mark. A run not yet steered moves only on the monitor's own reading, held with confidence.
  const gState = state === "g_dominant" || state === "collapse_suspected";
  const gAhead = first ? gState && s.confidence >= c.minConfidence : gState || gap < c.gapLow;
  if (gAhead) return { direction: "slow_g", reason: "g_ahead", urgent: false, rule: 7, gap, state };
  // 8. Otherwise the game is being played, or the monitor is not sure of a problem: leave the rates alone.
  if (dAhead || gState || gap < c.gapLow)
    return { direction: "hold", reason: "unsure", urgent: false, rule: 8, gap, state };
  return { direction: "hold", reason: "balanced", urgent: false, rule: 8, gap, state };
}
