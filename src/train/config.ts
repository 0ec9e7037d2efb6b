/**
 * The trainer's whole configuration: one flat object whose defaults say why they are what they are.
 * The CLI builds it from flags, a checkpoint stores it, and `validateConfig` is the one place that
 * turns a bad value into a one-line error naming what is allowed.
 */
import { NashboardError } from "../errors.ts";
import { LOSS_FAMILIES } from "../losses/index.ts";
import type { LossFamily } from "../types.ts";
import { ACTIVATIONS, type Activation } from "./mlp.ts";
import { OPTIMIZERS, type OptimizerName } from "./optimizers.ts";

export interface TrainConfig {
  /** A built-in dataset name, or the path of a CSV of 2D points. */
  dataset: string;
  /** Generator updates; each follows `dSteps` discriminator updates. */
  steps: number;
  seed: number;
  loss: LossFamily;
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
};

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
  oneOf("loss", c.loss, LOSS_FAMILIES);
  oneOf("optimizer", c.optimizer, OPTIMIZERS);
  for (const [name, lr] of [
    ["lr-d", c.lrD],
    ["lr-g", c.lrG],
  ] as const) {
    if (!(lr > 0 && Number.isFinite(lr)))
      fail(`${name} must be a positive number, got ${lr}`, `${name} 必须是正数，实际为 ${lr}`);
  }
  for (const [name, b] of [
    ["beta1", c.beta1],
    ["beta2", c.beta2],
  ] as const) {
    if (!(b >= 0 && b < 1))
      fail(`${name} must be in [0, 1), got ${b}`, `${name} 必须在 [0, 1) 内，实际为 ${b}`);
  }
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
  return c;
}

function fail(en: string, zh: string): never {
  throw new NashboardError("usage", { en, zh });
}
