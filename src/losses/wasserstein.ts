/**
 * The Wasserstein (WGAN) losses, on the critic's raw scores. The critic's loss estimates -W1 between
 * data and generator only when the critic is kept 1-Lipschitz (a gradient penalty, see penalties.ts,
 * or weight clipping); without that it is just a score gap.
 */
import * as tf from "@tensorflow/tfjs-core";

/** The critic's loss E[D(G(z))] - E[D(x)]; tends to 0 from below as the generator closes the gap. */
export function wassersteinCriticLoss(realScores: tf.Tensor, fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sub(tf.mean(fakeScores), tf.mean(realScores)));
}

/** G's loss -E[D(G(z))]. */
export function wassersteinGenLoss(fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(fakeScores)));
}

export { WASSERSTEIN_EQUILIBRIUM } from "./equilibrium.ts";
