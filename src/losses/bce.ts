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

/** At D ≡ 1/2 (logit 0): -2 log(1/2) for D, -log(1/2) for the non-saturating G. */
export const BCE_EQUILIBRIUM = { loss_disc: 2 * Math.LN2, loss_gen: Math.LN2 } as const;

/** At D ≡ 1/2: the same D loss; the minimax G loss is log(1/2). */
export const BCE_MINIMAX_EQUILIBRIUM = { loss_disc: 2 * Math.LN2, loss_gen: -Math.LN2 } as const;

/**
 * A lower bound on the Jensen–Shannon divergence between data and generator, in nats, from a BCE
 * discriminator loss: max(0, ln 2 - loss_disc / 2).
 *
 * Why: for any D the expected loss_disc is at least 2 ln 2 - 2 JSD, with equality for the optimal D
 * (Goodfellow et al. 2014, Theorem 1), so JSD >= ln 2 - loss_disc / 2.
 *
 * Caveat: the bound is tight only when D is near optimal. A weak or lagging D makes it loose (it can say
 * 0 for very different distributions); a single batch's loss is noisy, and a D that overfits the
 * batches it sees has a loss below its population value, so the bound can then overstate the JSD.
 * Smooth the loss over many steps before reading it. Meaningless for non-BCE families.
 */
export function jsdLowerBound(lossDisc: number): number {
  return Math.max(0, Math.LN2 - lossDisc / 2);
}
