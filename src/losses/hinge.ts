/**
 * The hinge loss (Geometric GAN; SAGAN, BigGAN), on D's raw scores: D is only pushed until real scores
 * exceed +1 and fake ones fall below -1, which keeps it from growing without bound.
 */
import * as tf from "@tensorflow/tfjs-core";

/** D's loss E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]. */
export function hingeDiscLoss(realScores: tf.Tensor, fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() =>
    tf.add(tf.mean(tf.relu(tf.sub(1, realScores))), tf.mean(tf.relu(tf.add(1, fakeScores)))),
  );
}

/** G's loss -E[D(G(z))] (no hinge on G's side). */
export function hingeGenLoss(fakeScores: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean<tf.Scalar>(fakeScores)));
}

export { HINGE_EQUILIBRIUM } from "./equilibrium.ts";
