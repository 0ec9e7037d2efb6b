/**
 * The ground truth of the suite, from outside the losses: the evaluator's figures (modes, high-quality
 * fraction) on 2,500 generated samples and D's accuracy on fresh batches, plus the networks' own
 * numbers for divergence. Never the logged losses or D outputs: those are what the detectors read.
 * These rules were written before any detector was scored on the suite (a 3-run, 600-step smoke test
 * of the pipeline came first; the stalled rule below was added after it, from a run's network data).
 *
 * Per window (the steps between two evaluations), the first rule that holds:
 *
 * 1. diverged: a weight of G or D is NaN / infinite, a fresh generated point or D output is, or the
 *    generator's output blew up: the median generated point lies more than `explodedScale` (10) box
 *    half-widths from the origin. A run whose weights are NaN never comes back, and one whose points
 *    are 10 boxes away has left the data for good at these rates.
 * 2. balanced: the samples are good: more than half the modes covered (modes > K/2) and at least
 *    `goodHq` (25%) of the samples high quality. Whatever D's accuracy: a D that still tells good
 *    samples apart is the game going on, not a failure.
 * 3. collapse: the high-quality samples are there (hq >= goodHq) but cover at most K/2 modes.
 * 4. stalled: the samples are poor and a network is dead: D's outputs, or G's points, do not vary at
 *    all over 2,000 fresh inputs (spread below `deadSpread`, 1e-6; a live network varies by ~1). A
 *    dead D passes no gradient to G and a dead G has none: nothing will change any more, whoever
 *    "wins" by accuracy. (Added after a tiny-network SGD run was seen to kill both networks, with
 *    D's constant output scoring exactly 50% balanced accuracy; before any detector was scored.)
 * 5. the samples are poor (neither good nor collapsed): then D's accuracy says who is winning:
 *    - d_dominant: D classifies at least 95% of both fresh batches right (it separates them at will);
 *    - g_dominant: D's balanced accuracy is at most 0.6 (near chance, or fooled: it rates the fakes as
 *      real), so G is not being taught anything while its samples are bad;
 *    - poor: in between (still learning, or something the detectors' states do not name).
 *
 * Why modes <= K/2 for collapse (ring8: <= 4 of 8; grid25: <= 12 of 25), not the anchors' modes < K-1:
 * a plain GAN in the literature covers 6.3/8 and 17.3/25 modes (PacGAN Table 1) and counts as working,
 * while collapsed GANs cover 1/8 and 3.3/25 (VEEGAN Table 1). K/2 sits between the two clusters: a
 * generator that lost more than half the modes has collapsed on any reading, while missing a mode or
 * two at the end of a short run is a plain GAN's ordinary partial coverage, which moves from window to
 * window (measured: healthy grid25 runs wander between 16 and 22 modes).
 *
 * Why hq >= 25%, not the anchors' 50%: the suite's budget (6,000 steps of 64-wide networks) brings
 * healthy runs to 30-60% high quality with +-15 points of wander between windows, so 50% would label
 * half the healthy runs poor by the luck of the last window; and the literature's working methods score
 * below 50% too (Unrolled GAN 35.6% on ring, 16% on grid; VEEGAN 40% on grid). A generator with no
 * structure at all scores far below 25%: points spread over the box give 0.2% (ring8) and 1.2% (grid25)
 * high quality, and the diffuse blob of an untrained generator measured 0-2%.
 *
 * The strict variant (`STRICT_RULES`: the anchors' modes >= K-1 and hq >= 50%) is reported beside the
 * primary one, as a check that the conclusions do not hang on these choices.
 *
 * A run is unhealthy when its last window is not balanced: collapsed, diverged, or poor samples at
 * the end. Its onset is the step after which every window is unhealthy: the evaluation before the
 * first window of that final stretch (0 when the run never had a good window). The truth changed
 * somewhere in that first unhealthy window; latency is measured from its start, the earliest moment
 * a detector could rightly have said so.
 */
import type { WindowRecord } from "./window-record.ts";

export const TRUTH_STATES = [
  "balanced",
  "d_dominant",
  "g_dominant",
  "collapse",
  "diverged",
  "stalled",
  "poor",
] as const;
export type TruthState = (typeof TRUTH_STATES)[number];

export interface LabelRules {
  name: string;
  /** Good samples need more than this many modes covered, as a function of K. */
  collapseModes(k: number): number;
  /** Good samples need at least this high-quality fraction. */
  goodHq: number;
  /** D dominant: accuracy on each fresh batch at least this. */
  dAccDominant: number;
  /** G dominant: D's balanced accuracy at most this. */
  dAccChance: number;
  /** Diverged: the median generated point this many box half-widths out or more. */
  explodedScale: number;
  /** Stalled: D's output spread or G's point spread below this (a dead network). */
  deadSpread: number;
}

export const PRIMARY_RULES: LabelRules = {
  name: "primary (modes > K/2, hq >= 25%)",
  collapseModes: (k) => Math.floor(k / 2),
  goodHq: 0.25,
  dAccDominant: 0.95,
  dAccChance: 0.6,
  explodedScale: 10,
  deadSpread: 1e-6,
};

export const STRICT_RULES: LabelRules = {
  ...PRIMARY_RULES,
  name: "strict, the anchors' (modes >= K-1, hq >= 50%)",
  collapseModes: (k) => k - 2,
  goodHq: 0.5,
};

export function windowTruth(w: WindowRecord, rules: LabelRules = PRIMARY_RULES): TruthState {
  const dBroken = Number.isNaN(w.dAccReal) || Number.isNaN(w.dAccFake);
  if (w.weightsNonFinite || w.samplesNonFinite > 0 || dBroken || !(w.sampleScale < rules.explodedScale)) {
    return "diverged";
  }
  const enoughModes = w.modes > rules.collapseModes(w.modes_total);
  const goodQuality = w.hq >= rules.goodHq;
  if (enoughModes && goodQuality) return "balanced";
  if (goodQuality) return "collapse";
  if (w.dOutputSpread < rules.deadSpread || w.sampleSpread < rules.deadSpread) return "stalled";
  if (w.dAccReal >= rules.dAccDominant && w.dAccFake >= rules.dAccDominant) return "d_dominant";
  if ((w.dAccReal + w.dAccFake) / 2 <= rules.dAccChance) return "g_dominant";
  return "poor";
}

export interface LabelledWindow {
  /** The window covers the training steps (fromStep, toStep]. */
  fromStep: number;
  toStep: number;
  truth: TruthState;
}

export interface RunTruth {
  label: "healthy" | "unhealthy";
  finalState: TruthState;
  /** Start of the final unhealthy stretch (null for a healthy run). */
  onsetStep: number | null;
  windows: LabelledWindow[];
}

export function labelRun(windows: readonly WindowRecord[], rules: LabelRules = PRIMARY_RULES): RunTruth {
  if (windows.length === 0) throw new Error("a run without any evaluation window cannot be labelled");
  const labelled = windows.map((w, i) => ({
    fromStep: i === 0 ? 0 : windows[i - 1].step,
    toStep: w.step,
    truth: windowTruth(w, rules),
  }));
  const finalState = labelled[labelled.length - 1].truth;
  if (finalState === "balanced") return { label: "healthy", finalState, onsetStep: null, windows: labelled };
  let first = labelled.length - 1;
  while (first > 0 && labelled[first - 1].truth !== "balanced") first--;
  return { label: "unhealthy", finalState, onsetStep: labelled[first].fromStep, windows: labelled };
}
