/**
 * Every number the monitor's rules compare against, in one table. The rules never hard-code a
 * threshold: they read it from here (or from the override a caller passes), so the scenario suite can
 * tune them by measurement and a user can change one without touching a rule.
 *
 * Units. Loss levels and trends are normalised by the run's equilibrium (loss family and K), so a
 * threshold means the same for BCE (1.386 / 0.693), RVC v2 (4.5 / 2.25) or so-vits-svc (3.0 / 1.5):
 * - `rel` of a smoothed loss = (value - equilibrium) / |equilibrium|: -0.25 is "25% below equilibrium";
 * - a trend's `change` = Theil–Sen slope × window span / |equilibrium|: the fitted change across the
 *   window in units of the equilibrium value;
 * - the D gap = mean D(real) - mean D(fake) on the 0..1 scale of BCE probabilities and LSGAN's 0-1
 *   targets: 0 at equilibrium, 1 when D separates perfectly, below 0 when D rates fakes as more real.
 * Counts are completed steps (a step with loss_disc and loss_gen), not training steps.
 */

export interface MonitorThresholds {
  /** TensorBoard smoothing weight for level signals. 0.9 ≈ a 10-point memory: enough to average out
   *  one-batch noise (RVC logs one batch per line), short enough to follow a change within ~10 points. */
  emaWeight: number;
  /** Completed steps before any balance state is given: windows need a few points to mean anything,
   *  and the first steps of a GAN are its transient. Short RVC logs (14 lines) must still get states. */
  warmupSteps: number;

  /** Points in the local window (trend, oscillation, robust z). 32 logged points: a trainer logging
   *  every 20 steps sees 640 steps; an RVC log every 200 steps sees ~6k steps. */
  window: number;
  /** Recompute window statistics every this many points (amortises the O(window²) Theil–Sen). */
  stride: number;
  /** Points in the short window that judges "dropping fast" (collapse). */
  shortWindow: number;
  /** Mann–Kendall |z| for a trend to be significant: 1.96 is p < 0.05 two-sided. */
  trendZ: number;
  /** A local trend must also move at least this much across the window (|change|, equilibrium units):
   *  a tiny but regular drift is not a balance change. */
  trendChange: number;
  /** The long trend (second half of the run, on bucket means) counts from this |change| on: the
   *  so-vits-svc run whose D slowly wins moves ~0.1 equilibrium units over its second half. */
  longTrendChange: number;
  /** Drift (one player slowly winning over the run, after its early phase): both losses' whole-run
   *  trends significant and opposite, and |change disc| + |change gen| at least this. The so-vits-svc
   *  run whose D slowly wins moves 0.56; healthy 2k-step trainer runs 0.2-0.35. */
  driftChange: number;
  /** Buckets kept for the whole-run curve that feeds the long trend and the phases (bounded memory). */
  runBuckets: number;

  /** D gap at or above which D dominates whatever the trends: D(real) and D(fake) this far apart means
   *  D separates the two (ddom trainer runs sit at 0.75-0.85; healthy ones at 0.05-0.2). */
  gapDominant: number;
  /** Gap at or below which D is fooled (rates fakes as more real than reals): G dominates. */
  gapFooled: number;
  /** |gap| at or below which D's output is uninformative (collapse, stall). */
  gapUninformative: number;
  /** Gap at or below which D does worse than chance on its own training batches: with the levels on
   *  G's side, G is beating D even if only slightly. A working D stays above 0 even at equilibrium
   *  (it fits its batches); the trainer runs with a starved D (lr_g 1e-2) sit at -0.03 and produce
   *  garbage (0 modes), while healthy runs sit at +0.05..+0.2. */
  gapBeaten: number;
  /** Minimum gap (when the gap is known) for a trend-based dominance: healthy trainer runs drift with
   *  a gap of 0.1-0.2 while D leads moderately, which is the normal game. */
  gapLean: number;
  /** Minimum lean of the levels (|rel| of both losses, on the same side) for a trend-based dominance:
   *  RVC v2 runs sit at disc -0.15 / gen +0.4 and are normal, so a lean alone is not dominance. */
  levelLean: number;

  /** Collapse: loss_gen's change over the short window at most this (falls by half its equilibrium). */
  collapseGenDrop: number;

  /** The equilibrium band: both losses within this many equilibrium units of their equilibrium
   *  (|rel|) are AT the equilibrium. The report says "near the equilibrium" only inside it and notes
   *  there what the losses cannot show (G matching the data and a D too weak to learn write the same
   *  losses); a D whose loss sits above it, on most steps, does worse than a constant (beaten). 0.05:
   *  the smoothed level of a game at rest jitters by 1e-3 to 1e-2 (cross-trainer corpus, scenario
   *  suite), and the suite's starved D that beat its D sat 0.1-0.3 above. Replaces the "pinned" rule's
   *  pinnedGap / pinnedLevel (0.02 / 0.03), which read a game at its equilibrium as G dominant. */
  equilibriumBand: number;
  /** A working D at the equilibrium (disc-side.ts): loss_disc's smoothed level below its equilibrium
   *  on at least this share of the last 2 x `window` judged steps (a longer memory than the window's:
   *  a starved D wins for a few dozen steps at a time). The equilibrium is the best a constant D can do, so a dead
   *  or starved D sits at or above it by turns, while a D that still tells real from fake a little sits
   *  below it step after step. Such a game is balanced, not pinned or stalled. The steer benchmark's
   *  remedy runs (25/25 modes, ~95% high quality, gap 0.00-0.01) sit below on 100% of their steps; the
   *  suite's starved-D runs on at most 45% (one run 70%) while pinned, and no healthy suite run fell
   *  under 0.9 after its first 600 steps. 0.9 leaves room for a noisy step or two of a working D. */
  workingDShare: number;
  /** ... "below" meaning at least this far below (rel units): a dead D that outputs exactly 0.5 logs
   *  loss_disc 1.3862922 against ln 4 = 1.3862944 (float32 rounding, 1.5e-6 below), every step. A
   *  working D at rest sits 1e-3 to 1e-2 below. */
  workingDMargin: number;
  /** D no better than a constant (rules-lead.ts): loss_disc below its equilibrium on at most this
   *  share of the last 2 x `window` judged steps (at or above it the rest of the time) is G dominant: D does no better on its
   *  own batches than outputting the uninformative value everywhere, so it teaches G nothing.
   *  Scenario suite (tuning seeds, after the first 600 steps): no healthy run's share ever fell to 0.5
   *  (most sit at 1.0); the starved-D runs (a 4-unit D against a 10x faster G) spent 19-100% of
   *  their steps after the first 600 at or under it, from their first measured step on (74-100% but
   *  for two runs whose D won for long stretches). */
  beatenDShare: number;
  /** D's lead floor (lead-floor.ts): judged steps of the segment before D's gap starts counting
   *  towards its floor (the early transient: 300 trainer steps logged every 20); also the judged steps
   *  before "D worse than a constant" may be read. */
  leadFloorFrom: number;
  /** A frozen game needs D's gap to have stayed at least this since `leadFloorFrom` (a dead G leaves
   *  D's lead where it was). Scenario suite (tuning seeds): healthy ring8 runs' floors are 0.02-0.10 (grid25 0.00-0.06); the
   *  ring8 runs with two D steps per G step, which collapsed onto 2-4 modes, 0.25-0.44. 0.2 is twice
   *  the highest healthy floor. */
  leadFloorGap: number;

  /** Stalled: both losses' robust spread (1.4826·MAD / |equilibrium|) below this across the window:
   *  the losses no longer move at all, which a network that still computes cannot do, since every
   *  minibatch is a new sample (a dead D, dead ReLUs, NaN weights giving constants). Losses resting
   *  at the equilibrium with the jitter of the batches are a game at its goal, not a stall (issue 14):
   *  the cross-trainer corpus's healthy equilibria jitter by 1e-3 of the equilibrium and more, its dead
   *  networks by 1e-7 or less (float rounding). Until 2026-12-07 this was 0.01 (tuned on the scenario
   *  suite's starved-D runs), which read healthy equilibria as "stalled: D has stopped learning". */
  stallSpread: number;
  /** Stalled, frozen: loss_disc's whole-run curve (bucket means, its first eighth left out) spans at
   *  most this many equilibrium units after `frozenMinSteps` judged steps: the game never moved. A GAN
   *  that learns always moves: D first pulls ahead, then G catches up. Scenario suite (tuning seeds):
   *  generators killed by SGD at lr 1-3 span 0.04-0.09 while D keeps a constant lead; healthy runs
   *  span 0.17 or more. Not for voice models (RVC / VITS), whose adversarial losses barely move. */
  frozenRange: number;
  /** Frozen needs G's loss frozen too: its whole-run curve spans at most this many equilibrium units.
   *  On the scenario suite every frozen run the rule catches is under it (0.5 and 0.8 score the same,
   *  seeds 0-7); a plain ring8 run of 12,000 steps whose D led all along (7 of 8 modes at 90%) spans
   *  0.87-1.3 and read stalled ("D stopped learning") without it, rather than D dominant. */
  frozenGenRange: number;
  /** Stalled, frozen: judged steps in the segment before the run range is read (1,000 trainer steps
   *  logged every 20: a healthy run's D has pulled ahead by then). */
  frozenMinSteps: number;
  /** Stalled: grad_norm_g's smoothed value below this fraction of its run maximum (G gets no gradient).
   *  Dead generators in the SGD lr = 1 runs log exactly 0. */
  stallGradRatio: number;

  /** WGAN (rules-wasserstein.ts): the critic is beaten when its Wasserstein estimate -loss_disc falls
   *  below 0 by this fraction of its peak. Cross-trainer corpus (tuning runs): healthy WGAN-GP runs end
   *  between -0.21 and 0.41 of their peak; 0.3 is past the lowest healthy one, and a game where G has
   *  caught up jitters around 0, not a third of the critic's peak below it. */
  criticBeaten: number;
  /** WGAN: the critic is still ahead when, after `leadFloorFrom` judged steps, its estimate keeps at
   *  least this fraction of its peak: G has not closed half the distance. Corpus: healthy runs keep at
   *  most 0.41 of it at their end. */
  criticKept: number;

  /** Oscillation: robust amplitude (1.4826·MAD of the detrended window / |equilibrium|) at least this. */
  oscAmplitude: number;
  /** Oscillation: lag-1 autocorrelation of the detrended window at least this (structure, not white
   *  noise, whose autocorrelation is ~0; a swing with period P has cos(2π/P): 0.7 at P = 8). */
  oscAutocorr: number;
  /** Oscillation: sign changes of the smoothed, detrended window at least this (two full cycles). */
  oscCrossings: number;
  /** Oscillation with only one loss swinging counts when the two losses' detrended windows correlate
   *  at most this: the players visibly take turns. */
  oscAntiCorrelation: number;
  /** Consecutive exact zeros of grad_norm_g that mean G is dead (no gradient at all, not just small):
   *  the SGD lr >= 1 trainer runs log exactly 0 from then on. */
  deadGradSteps: number;

  /** Robust z-score (|x - median| / (1.4826·MAD)) of a loss against its window that marks a spike. */
  spikeZ: number;
  /** ... and the jump must also exceed this many equilibrium units, so a near-constant series with a
   *  tiny MAD does not raise alarms over a 0.01 wobble. */
  spikeMin: number;
  /** Consecutive upward spikes that make an explosion (diverged), rather than one bad batch... */
  explodeSustain: number;
  /** Training steps a streak of non-finite gradient norms may span and still be fp16 skips. PyTorch's
   *  GradScaler halves its scale at each skipped step from 2^16, so a working scaler cannot skip more
   *  than ~16 steps in a row; 32 leaves room. A streak longer than this (two logged values at least) is
   *  weights gone non-finite: divergence, even when the losses look finite (a dead D can output a
   *  constant, and then both losses sit exactly at their equilibrium). Not tuned on any run. */
  skipStreakSteps: number;
  /** ... each at least this many equilibrium units above the window's median: a loss blowing up, not
   *  a loss changing level (a collapse drops loss_gen by ~1 unit in a few steps and is no explosion). */
  explodeJump: number;
  /** |loss| beyond this many equilibrium units is an explosion at once (no window needed: the SGD
   *  lr = 10 trainer run logs loss_disc = 9.8e5 at its first logged step). */
  explodeAbs: number;
  /** Gradient norm above which D's gradients are suspect (ganhacks §10: "over 100" means trouble;
   *  RVC guidance: grad_norm_d < 100 when fine-tuning). An alert, not a state. */
  gradNormHighD: number;
  /** The same for G (RVC guidance: grad_norm_g < 1000). */
  gradNormHighG: number;

  /** Verdict: a run that ends in a (persistent) problem state is unhealthy when problem states together
   *  held at least this share of the second half of its judged steps. 0.4 rather than 0.5: a starved D
   *  reads g_dominant and stalled with balanced spells between; on the suite's tuning seeds 0.3-0.4
   *  catch one such run more than 0.5, with no healthy run more flagged. */
  verdictShareFinal: number;
  /** Verdict: ... or when stalled / collapse_suspected held at least this share (they are severe). */
  verdictShareSevere: number;
  /** Verdict: a problem state that held at least this share makes the run a warning. */
  verdictShareWarn: number;
  /** Verdict persistence: a problem makes the run unhealthy only once it has held this many judged
   *  steps in a row (the final timeline entry), so a state just entered (a collapse_suspected at the
   *  last check of a healthy run) is a warning until it lasts. Diverged is exempt: a NaN is certain.
   *  Scenario suite (tuning seeds): 3 lets that healthy run end unhealthy, 5-10 score alike; 6 keeps
   *  the small suite's 300-step runs (30 logged steps) detected in their first half. */
  verdictMinSteps: number;

  /** Collapse reading: D's gap averaged at least this over the second half of the run (its whole-run
   *  curve) with loss_gen at least `collapseGenRel` above its equilibrium. In the scenario suite every
   *  collapse came with D ahead (gap 0.33-0.5, loss_gen 1.4-2 units above), not with G fooling D, and
   *  the losses alone cannot tell a collapsed G from one still sharpening its modes (healthy grid25
   *  runs sit at the same values): the advice then says to look at the samples. */
  collapseLeadGap: number;
  /** Collapse reading: loss_gen's final level at least this far above its equilibrium (rel units). */
  collapseGenRel: number;

  /** Hysteresis: the last this-many candidate states vote. */
  hysteresisWindow: number;
  /** A new state needs this many of those votes (and more than the current state has). */
  enterVotes: number;

  /** Phases: D's early lead must exceed its late level by this (gap units) to form an early phase. */
  phaseEarlyLead: number;
  /** Phases: a stretch is flat (late phase) when every loss moves less than this across it; it must
   *  cover at least 1/8 of the buckets (a few flat buckets at the end of a noisy run are chance). */
  phaseFlat: number;

  /** Alerts kept per kind (the rest are counted): memory stays bounded on a run that spikes forever. */
  maxAlertsPerKind: number;
}

export const MONITOR_THRESHOLDS: Readonly<MonitorThresholds> = Object.freeze({
  emaWeight: 0.9,
  warmupSteps: 5,
  window: 32,
  stride: 4,
  shortWindow: 8,
  trendZ: 1.96,
  trendChange: 0.1,
  longTrendChange: 0.06,
  driftChange: 0.4,
  runBuckets: 64,
  gapDominant: 0.5,
  gapFooled: -0.15,
  gapUninformative: 0.1,
  gapBeaten: -0.02,
  gapLean: 0.25,
  levelLean: 0.1,
  collapseGenDrop: -0.5,
  equilibriumBand: 0.05,
  workingDShare: 0.9,
  workingDMargin: 1e-4,
  beatenDShare: 0.5,
  leadFloorFrom: 15,
  leadFloorGap: 0.2,
  stallSpread: 1e-4,
  stallGradRatio: 0.01,
  frozenRange: 0.12,
  frozenGenRange: 0.5,
  frozenMinSteps: 50,
  criticBeaten: 0.3,
  criticKept: 0.5,
  oscAmplitude: 0.15,
  oscAutocorr: 0.3,
  oscCrossings: 4,
  oscAntiCorrelation: -0.5,
  deadGradSteps: 5,
  spikeZ: 8,
  spikeMin: 1,
  explodeSustain: 3,
  skipStreakSteps: 32,
  explodeJump: 5,
  explodeAbs: 1000,
  gradNormHighD: 100,
  gradNormHighG: 1000,
  verdictShareFinal: 0.4,
  verdictShareSevere: 0.25,
  verdictShareWarn: 0.1,
  verdictMinSteps: 6,
  collapseLeadGap: 0.35,
  collapseGenRel: 1,
  hysteresisWindow: 8,
  enterVotes: 4,
  phaseEarlyLead: 0.1,
  phaseFlat: 0.1,
  maxAlertsPerKind: 20,
});

/** The table with a caller's overrides; rejects unknown names and non-finite values. */
export function resolveThresholds(overrides: Partial<MonitorThresholds> = {}): MonitorThresholds {
  const out: MonitorThresholds = { ...MONITOR_THRESHOLDS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(MONITOR_THRESHOLDS, name)) throw new Error(`unknown monitor threshold "${name}"`);
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new Error(`monitor threshold "${name}" must be a finite number, got ${value}`);
    }
    (out as unknown as Record<string, number>)[name] = value;
  }
  if (!(out.emaWeight >= 0 && out.emaWeight < 1)) throw new Error("emaWeight must be in [0, 1)");
  for (const name of ["window", "stride", "shortWindow", "runBuckets", "hysteresisWindow"] as const) {
    if (!Number.isInteger(out[name]) || out[name] < 1) throw new Error(`${name} must be a positive integer`);
  }
  if (out.window < 4 || out.shortWindow < 3) throw new Error("window must be >= 4 and shortWindow >= 3");
  if (out.runBuckets < 8 || out.runBuckets % 2 !== 0) throw new Error("runBuckets must be even and >= 8");
  return out;
}
