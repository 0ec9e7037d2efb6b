/**
 * The binary cross-entropy (original GAN) losses, computed from D's logits so they stay finite however
 * confident D is: with D = sigmoid(l),
 *   -log D       = softplus(-l)
 *   -log (1 - D) = softplus(l)
 * tfjs's softplus is computed stably on the wasm and cpu backends (softplus(1000) = 1000, softplus(-1000)
 * = 0), where log(1 + exp(l)) would overflow at l ≈ 89 in float32 and log(sigmoid(l)) would give -inf
 * once sigmoid(l) rounds to 0 (l ≈ -104) or to 1.
 *
 * Every function takes logits of any shape (the trainer's are [n, 1]) and returns a scalar; all
 * intermediate tensors are freed.
 */
import * as tf from "@tensorflow/tfjs-core";

/** D's loss, the same for both generator variants: -E[log D(x)] - E[log(1 - D(G(z)))]. */
export function bceDiscLoss(realLogits: tf.Tensor, fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.softplus(tf.neg(realLogits))), tf.mean(tf.softplus(fakeLogits))));
}

/**
 * The non-saturating generator loss -E[log D(G(z))] (Goodfellow et al.'s practical choice): its
 * gradient stays large while D confidently rejects the samples, which is exactly when G needs it.
 */
export function bceGenLossNonSaturating(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.softplus(tf.neg(fakeLogits))));
}

/**
 * The minimax generator loss E[log(1 - D(G(z)))], the game's value as G sees it. It saturates (its
 * gradient vanishes) when D wins, which is why it is rarely trained but still worth offering.
 */
export function bceGenLossMinimax(fakeLogits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(tf.softplus(fakeLogits))));
}

/** The mean probability D assigns to "real" (the d_real / d_fake tags): E[sigmoid(l)]. */
export function meanProbability(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.sigmoid(logits)));
}

export { BCE_EQUILIBRIUM, BCE_MINIMAX_EQUILIBRIUM, jsdLowerBound } from "./equilibrium.ts";
