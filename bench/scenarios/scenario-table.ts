/**
 * The labelled scenario suite's configurations: each one is known (from the literature and from the
 * project's own runs) to push a GAN into one behaviour. What a run actually did is decided afterwards
 * by the evaluator (labels.ts), never by this table: `meantToCause` is the intent, printed beside the
 * measured label so a scenario that did not do what it was meant to is visible.
 *
 * Sizes. 64-wide two-layer networks, batch 256, Adam(0.5, 0.999) at 2e-3 for both players, 6,000
 * steps: measured on this machine, grid25 does not learn at all in 4,000 steps at batch 128 and lr 1e-3
 * (samples stay a diffuse blob: 2% high quality, grid JSD 0.64 nats, no better than spreading points
 * over the box), while batch 256 at 2e-3 reaches 20+ modes and 30-50% high quality by 5,000-6,000
 * steps, and ring8 all 8 modes and ~60% by 4,000. The failures are defined relative to that base.
 */
import { DEFAULT_CONFIG, type TrainConfig } from "../../src/train/config.ts";

export type SuiteDataset = "ring8" | "grid25";
export const SUITE_DATASETS: readonly SuiteDataset[] = ["ring8", "grid25"];

export interface Scenario {
  name: string;
  /** Changes to the suite's base configuration. */
  overrides: Partial<TrainConfig>;
  /** The failure (or health) the configuration is meant to cause; the labels say what happened. */
  meantToCause: string;
  /** What the configuration is expected to give, for the report's intent-vs-outcome column. */
  expected: "healthy" | "unhealthy";
}

/** The base learning rate of both players (see the header for why 2e-3). */
export const BASE_LR = 2e-3;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "healthy",
    overrides: {},
    meantToCause: "nothing: equal rates, Adam(0.5, 0.999), one D step (DCGAN practice)",
    expected: "healthy",
  },
  {
    name: "minimax_equal",
    overrides: { loss: "bce_minimax" },
    meantToCause:
      "nothing visible: the saturating minimax G loss at equal rates (it starves G only once D wins; negative loss_gen)",
    expected: "healthy",
  },
  {
    name: "healthy_2dsteps",
    overrides: { dSteps: 2 },
    meantToCause: "nothing: two D steps per G step at equal rates (WGAN-style k = 2, mild)",
    expected: "healthy",
  },
  {
    name: "d_strong",
    overrides: { lrD: 10 * BASE_LR, dSteps: 3 },
    meantToCause: "D dominant: lr_d 10x lr_g and 3 D steps per G step",
    expected: "unhealthy",
  },
  {
    name: "g_strong_tiny_d",
    overrides: { lrG: 10 * BASE_LR, dHidden: [4] },
    meantToCause: "G dominant: lr_g 10x lr_d against a 4-unit D that cannot tell the modes apart",
    expected: "unhealthy",
  },
  {
    name: "minimax_fast_d",
    overrides: { loss: "bce_minimax", lrD: 5 * BASE_LR, dSteps: 2 },
    meantToCause:
      "D dominant / stalled: the saturating minimax G loss against a D 5x faster with 2 steps (its gradient vanishes when D wins)",
    expected: "unhealthy",
  },
  {
    name: "sgd_huge_lr",
    overrides: { optimizer: "sgd", lrD: 3, lrG: 3 },
    meantToCause: "diverged: SGD at lr 3 (weights and losses blow up to NaN)",
    expected: "unhealthy",
  },
  {
    name: "sgd_lr1",
    overrides: { optimizer: "sgd", lrD: 1, lrG: 1 },
    meantToCause: "diverged or stalled: SGD at lr 1 (G's ReLUs die or the weights blow up)",
    expected: "unhealthy",
  },
  {
    name: "remedy_set",
    overrides: { r1: 0.1, lrDecay: 0.5, latent: 2 },
    meantToCause:
      "nothing: the steer benchmark's remedy set (R1 0.1, both rates decayed over the second half, 2-D latent); the game comes to rest at the equilibrium, which the monitor once read as stalled",
    expected: "healthy",
  },
  {
    name: "lsgan",
    overrides: { loss: "lsgan" },
    meantToCause:
      "oscillation: least-squares losses at the base rates (the losses swing after D's early lead; the samples may still be fine)",
    expected: "healthy",
  },
];

export interface SuiteSizes {
  steps: number;
  /** The evaluator (and D's accuracy on fresh batches) every this many steps: the labelled windows. */
  evalInterval: number;
  logInterval: number;
}

export const DEFAULT_SIZES: SuiteSizes = { steps: 6000, evalInterval: 300, logInterval: 20 };

/**
 * The full trainer configuration of one (scenario, dataset, seed). `base` changes the suite's base
 * before the scenario's own overrides apply (the tests shrink the networks this way; a scenario's tiny
 * D stays tiny).
 */
export function scenarioConfig(
  scenario: Scenario,
  dataset: SuiteDataset,
  seed: number,
  sizes: SuiteSizes = DEFAULT_SIZES,
  base: Partial<TrainConfig> = {},
): TrainConfig {
  return {
    ...DEFAULT_CONFIG,
    dataset,
    seed,
    lrD: BASE_LR,
    lrG: BASE_LR,
    gHidden: [64, 64],
    dHidden: [64, 64],
    batch: 256,
    steps: sizes.steps,
    logInterval: sizes.logInterval,
    evalInterval: sizes.evalInterval,
    evalSamples: 2500,
    // The suite replays saved runs; it never resumes one, so one checkpoint at the end is enough.
    checkpointInterval: 0,
    ...base,
    ...scenario.overrides,
  };
}

export function findScenario(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s) throw new Error(`unknown scenario "${name}" (known: ${SCENARIOS.map((x) => x.name).join(", ")})`);
  return s;
}

/** A run's directory name: scenario, dataset and seed. */
export function runName(scenario: string, dataset: string, seed: number): string {
  return `${scenario}__${dataset}__s${seed}`;
}
