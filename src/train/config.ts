/**
 * The trainer's whole configuration: one flat object whose defaults say why they are what they are.
 * The CLI builds it from flags, a checkpoint stores it, and `validateConfig` is the one place that
 * turns a bad value into a one-line error naming what is allowed.
 */
import { NashboardError } from "../errors.ts";
import { TRAINED_FAMILIES } from "../losses/equilibrium.ts";
import type { TrainedFamily } from "../types.ts";
import { ACTIVATIONS, type Activation, OPTIMIZERS, type OptimizerName } from "./choices.ts";

export interface TrainConfig {
  /** A built-in dataset name, or the path of a CSV of 2D points. */
  dataset: string;
  /** Generator updates; each follows `dSteps` discriminator updates. */
  steps: number;
  seed: number;
  loss: TrainedFamily;
  optimizer: OptimizerName;
  lrD: number;
  lrG: number;
  /** Adam's betas for both networks. */
  beta1: number;
  beta2: number;
  dSteps: number;
  latent: number;
  gHidden: number[];
  dHidden: number[];
  gActivation: Activation;
  dActivation: Activation;
  batch: number;
  /** Metrics are read back from the backend (a host sync) only every this many steps. */
  logInterval: number;
  /** The evaluator runs every this many steps (0: only at the end). */
  evalInterval: number;
  /** Generated samples per evaluation: 2,500 in the VEEGAN / PacGAN protocol. */
  evalSamples: number;
  /** A checkpoint is written every this many steps (0: only at the end). */
  checkpointInterval: number;
  /** Let the learning-rate controller (src/control) steer lr_d and lr_g to hold the balance. */
  controller: boolean;
  // The collapse remedies (remedies.ts says what each does and where it acts). Each is off at its
  // default, and a run with all of them off is the plain GAN, bit for bit, on the fast path.
  /** Weight of Salimans et al.'s feature-matching term in G's loss (0: off). */
  featureMatching: number;
  /** Append the minibatch standard deviation of D's last hidden layer to that layer (Karras et al.). */
  minibatchStd: boolean;
  /** PacGAN's packing: D judges this many samples at once (1: off). The batch must be a multiple. */
  pack: number;
  /** R1 penalty weight gamma on D's input gradient at real data (0: off). */
  r1: number;
  /** WGAN-GP penalty weight lambda at points between real and generated data (0: off). */
  gradientPenalty: number;
  /** Spectral normalisation of every D layer (Miyato et al.): one power iteration per D update. */
  spectralNorm: boolean;
  /** One-sided label smoothing: D's real target is 1 - this (0: off; Salimans et al. use 0.1). */
  labelSmoothing: number;
  /** Both learning rates fall linearly to 1% over this final fraction of the run (0: constant). */
  lrDecay: number;
  /** Samples come from a moving average of G's weights with this beta (0: off; e.g. 0.999). */
  gEma: number;
  /** Samples come through D, which discards this share of G's draws, the ones it scores lowest
   *  (rejection.ts; 0: off; e.g. 0.05). Only what is shown and evaluated changes, never training. */
  reject: number;
}

export const DEFAULT_CONFIG: TrainConfig = {
  dataset: "ring8",
  steps: 4000,
  seed: 0,
  loss: "bce",
  optimizer: "adam",
  // Equal rates with Adam(0.5, 0.999), as in DCGAN and the speed benchmark; 1e-3 rather than 1e-4
  // because the 2D benchmarks converge in a few thousand steps at this rate.
  lrD: 1e-3,
  lrG: 1e-3,
  beta1: 0.5,
  beta2: 0.999,
  dSteps: 1,
  latent: 64,
  gHidden: [128, 128],
  dHidden: [128, 128],
  gActivation: "relu",
  dActivation: "relu",
  batch: 256,
  logInterval: 20,
  evalInterval: 1000,
  evalSamples: 2500,
  checkpointInterval: 1000,
  // Off by default: a plain run is the reference the controller is measured against.
  controller: false,
  featureMatching: 0,
  minibatchStd: false,
  pack: 1,
  r1: 0,
  gradientPenalty: 0,
  spectralNorm: false,
  labelSmoothing: 0,
  lrDecay: 0,
  gEma: 0,
  reject: 0,
};

/**
 * A configuration stored before a field existed (an older config.json or checkpoint) gets that field's
 * default, which is always "off": the stored run trains on as it did.
 */
export function withDefaults(c: Partial<TrainConfig>): TrainConfig {
  return { ...DEFAULT_CONFIG, ...c };
}

/** A field that must lie in [0, 1): Adam's betas, G's average beta, the share D rejects. */
function inUnitInterval(name: string, v: number): void {
  if (!(v >= 0 && v < 1))
    fail(`${name} must be in [0, 1), got ${v}`, `${name} 必须在 [0, 1) 内，实际为 ${v}`);
}

/** Throws a usage error naming the allowed values when any field is out of range. */
export function validateConfig(c: TrainConfig): TrainConfig {
  const positiveInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 1)
      fail(`${name} must be a positive integer, got ${v}`, `${name} 必须是正整数，实际为 ${v}`);
  };
  const nonNegativeInt = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 0)
      fail(`${name} must be an integer >= 0, got ${v}`, `${name} 必须是 >= 0 的整数，实际为 ${v}`);
  };
  const oneOf = <T>(name: string, v: T, allowed: readonly T[]) => {
    if (!allowed.includes(v))
      fail(
        `${name} must be one of ${allowed.join(", ")}; got "${v}"`,
        `${name} 必须是 ${allowed.join(", ")} 之一；实际为 "${v}"`,
      );
  };
  positiveInt("steps", c.steps);
  nonNegativeInt("seed", c.seed);
  oneOf("loss", c.loss, TRAINED_FAMILIES);
  oneOf("optimizer", c.optimizer, OPTIMIZERS);
  for (const [name, lr] of [
    ["lr-d", c.lrD],
    ["lr-g", c.lrG],
  ] as const) {
    if (!(lr > 0 && Number.isFinite(lr)))
      fail(`${name} must be a positive number, got ${lr}`, `${name} 必须是正数，实际为 ${lr}`);
  }
  inUnitInterval("beta1", c.beta1);
  inUnitInterval("beta2", c.beta2);
  positiveInt("d-steps", c.dSteps);
  positiveInt("latent", c.latent);
  positiveInt("batch", c.batch);
  positiveInt("log-interval", c.logInterval);
  nonNegativeInt("eval-interval", c.evalInterval);
  positiveInt("eval-samples", c.evalSamples);
  nonNegativeInt("checkpoint-interval", c.checkpointInterval);
  for (const [name, widths] of [
    ["g-hidden", c.gHidden],
    ["d-hidden", c.dHidden],
  ] as const) {
    if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1 || w > 4096)) {
      fail(
        `${name} must be a comma-separated list of layer widths between 1 and 4096, got "${widths}"`,
        `${name} 必须是逗号分隔的层宽列表，每个在 1 到 4096 之间，实际为 "${widths}"`,
      );
    }
  }
  oneOf("g-activation", c.gActivation, ACTIVATIONS);
  oneOf("d-activation", c.dActivation, ACTIVATIONS);
  validateRemedies(c);
  return c;
}

function validateRemedies(c: TrainConfig): void {
  for (const [name, v] of [
    ["feature-matching", c.featureMatching],
    ["r1", c.r1],
    ["gradient-penalty", c.gradientPenalty],
  ] as const) {
    if (!(v >= 0 && Number.isFinite(v)))
      fail(`${name} must be a number >= 0, got ${v}`, `${name} 必须是 >= 0 的数，实际为 ${v}`);
  }
  if (!Number.isInteger(c.pack) || c.pack < 1 || c.pack > 16)
    fail(
      `pack must be an integer from 1 to 16, got ${c.pack}`,
      `pack 必须是 1 到 16 的整数，实际为 ${c.pack}`,
    );
  if (c.batch % c.pack !== 0)
    fail(
      `batch (${c.batch}) must be a multiple of pack (${c.pack}): D judges the batch in packs`,
      `batch（${c.batch}）必须是 pack（${c.pack}）的倍数：判别器按组判断一个批次`,
    );
  inUnitInterval("g-ema", c.gEma);
  inUnitInterval("reject", c.reject);
  if (!(c.lrDecay >= 0 && c.lrDecay <= 1))
    fail(`lr-decay must be in [0, 1], got ${c.lrDecay}`, `lr-decay 必须在 [0, 1] 内，实际为 ${c.lrDecay}`);
  if (!(c.labelSmoothing >= 0 && c.labelSmoothing < 0.5))
    fail(
      `label-smoothing must be in [0, 0.5), got ${c.labelSmoothing}`,
      `label-smoothing 必须在 [0, 0.5) 内，实际为 ${c.labelSmoothing}`,
    );
  if (c.labelSmoothing > 0 && !SMOOTHABLE.includes(c.loss))
    fail(
      `label-smoothing needs a loss with targets (${SMOOTHABLE.join(", ")}), not ${c.loss}`,
      `label-smoothing 需要有目标值的损失（${SMOOTHABLE.join(", ")}），而不是 ${c.loss}`,
    );
  for (const flag of ["minibatchStd", "spectralNorm"] as const) {
    if (typeof c[flag] !== "boolean")
      fail(
        `${flag} must be true or false, got ${c[flag]}`,
        `${flag} 必须是 true 或 false，实际为 ${c[flag]}`,
      );
  }
}

/** The families whose D loss has a real target to move (hinge and Wasserstein have none). */
const SMOOTHABLE: readonly TrainedFamily[] = ["bce", "bce_minimax", "lsgan"];

function fail(en: string, zh: string): never {
  throw new NashboardError("usage", { en, zh });
}
