/**
 * One door to the loss families: a uniform interface the trainer calls without knowing which family it
 * runs, each family's equilibrium values beside it, and the family-specific functions for library users.
 */
import * as tf from "@tensorflow/tfjs-core";
import type { TrainedFamily } from "../types.ts";
import { bceDiscLoss, bceGenLossMinimax, bceGenLossNonSaturating, meanProbability } from "./bce.ts";
import { type Equilibrium, equilibrium, TRAINED_FAMILIES } from "./equilibrium.ts";
import { hingeDiscLoss, hingeGenLoss } from "./hinge.ts";
import { lsganDiscLossSingle, lsganGenLossSingle } from "./lsgan.ts";
import { registerGradients } from "./register-gradients.ts";
import { wassersteinCriticLoss, wassersteinGenLoss } from "./wasserstein.ts";

// The trainer differentiates these losses; make sure tfjs can.
await registerGradients();

export * from "./bce.ts";
export { type Equilibrium, equilibrium, LOSS_FAMILIES, TRAINED_FAMILIES } from "./equilibrium.ts";
export * from "./hinge.ts";
export * from "./lsgan.ts";
export * from "./penalties.ts";
export { registerGradients } from "./register-gradients.ts";
export * from "./wasserstein.ts";

export interface AdversarialLoss {
  family: TrainedFamily;
  /** D's loss from its raw outputs (logits / scores) on a real batch and a generated batch, both [n,1]. */
  disc(realOut: tf.Tensor, fakeOut: tf.Tensor): tf.Scalar;
  /** G's adversarial loss from D's raw outputs on a generated batch. */
  gen(fakeOut: tf.Tensor): tf.Scalar;
  /** The mean D output as logged in d_real / d_fake: a probability for BCE, the raw score otherwise. */
  meanOutput(out: tf.Tensor): tf.Scalar;
  /** Equilibrium values for K sub-discriminators (K = 1 for the trainer). */
  equilibrium(k?: number): Equilibrium;
}

/** Each family's equilibrium for ONE discriminator. */

/**
 * Equilibrium values with K sub-discriminators whose losses are summed (as RVC, HiFi-GAN and VITS log
 * them): K times the single-discriminator values. LSGAN: K = 7 -> 3.5 / 1.75, K = 9 -> 4.5 / 2.25,
 * K = 6 -> 3.0 / 1.5.
 */

function rawMean(out: tf.Tensor): tf.Scalar {
  return tf.mean(out);
}

type Losses = Pick<AdversarialLoss, "disc" | "gen" | "meanOutput">;

const LOSSES: Record<TrainedFamily, Losses> = {
  bce: { disc: bceDiscLoss, gen: bceGenLossNonSaturating, meanOutput: meanProbability },
  bce_minimax: { disc: bceDiscLoss, gen: bceGenLossMinimax, meanOutput: meanProbability },
  lsgan: { disc: lsganDiscLossSingle, gen: lsganGenLossSingle, meanOutput: rawMean },
  hinge: { disc: hingeDiscLoss, gen: hingeGenLoss, meanOutput: rawMean },
  wasserstein: { disc: wassersteinCriticLoss, gen: wassersteinGenLoss, meanOutput: rawMean },
};

/** The uniform interface for one family. */
export function lossFor(family: TrainedFamily): AdversarialLoss {
  const losses = LOSSES[family];
  if (losses === undefined)
    throw new Error(`unknown loss family "${family}" (known: ${TRAINED_FAMILIES.join(", ")})`);
  return { family, ...losses, equilibrium: (k = 1) => equilibrium(family, k) };
}
