/**
 * Gradient penalties that keep a discriminator smooth: WGAN-GP's two-sided penalty (Gulrajani et al.
 * 2017) and R1 (Mescheder et al. 2018). Both differentiate D with respect to its INPUT inside the
 * function, so when they are called inside `tf.variableGrads` / `optimizer.minimize` the outer tape
 * records that inner backward pass and D's weights receive second-order gradients: the penalty then
 * really shapes D instead of being a logged constant.
 *
 * `D` is any function from a batch [n, features] to outputs [n, 1] (or [n]) that treats samples
 * independently (no batch norm, no minibatch features): the gradient of sum(D(x)) with respect to x is
 * then, row by row, each sample's own input gradient.
 */
import * as tf from "@tensorflow/tfjs-core";
import { registerGradients } from "./register-gradients.ts";

await registerGradients();

export type Discriminator = (x: tf.Tensor2D) => tf.Tensor;

/**
 * Added under the square root of the squared norm so its gradient stays finite (not NaN) where D's
 * input gradient is exactly zero, as happens with all-dead ReLUs. The golden values (PyTorch's
 * `.norm(2, dim=1)`, no epsilon) move by less than 1e-6 relative.
 */
const NORM_EPSILON = 1e-12;

/** Each sample's gradient of D's output with respect to its input: [n, features]. */
export function inputGradients(d: Discriminator, x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.grad((xs: tf.Tensor) => tf.sum(d(xs as tf.Tensor2D)))(x) as tf.Tensor2D);
}

/**
 * WGAN-GP: lambda * E[(||grad_x D(x_hat)||_2 - 1)^2] at x_hat = alpha * x_real + (1 - alpha) * x_fake,
 * one alpha in [0, 1) per sample. The caller draws alpha (from the project's seeded RNG) so that a run
 * is reproducible and resumable; the original paper uses lambda = 10.
 */
export function gradientPenalty(
  d: Discriminator,
  xReal: tf.Tensor2D,
  xFake: tf.Tensor2D,
  alpha: tf.Tensor | ArrayLike<number>,
  lambda = 10,
): tf.Scalar {
  const [n] = xReal.shape;
  if (!tf.util.arraysEqual(xReal.shape, xFake.shape)) {
    throw new Error(`gradientPenalty: real batch [${xReal.shape}] and fake batch [${xFake.shape}] differ`);
  }
  return tf.tidy(() => {
    const a = alpha instanceof tf.Tensor ? alpha : tf.tensor1d(Array.from(alpha));
    if (a.size !== n) throw new Error(`gradientPenalty: ${a.size} alphas for a batch of ${n}`);
    const a2 = tf.reshape(a, [n, 1]);
    const xHat = tf.add(tf.mul(a2, xReal), tf.mul(tf.sub(1, a2), xFake)) as tf.Tensor2D; // [n, features]
    const norms = tf.sqrt(tf.add(tf.sum(tf.square(inputGradients(d, xHat)), 1), NORM_EPSILON)); // [n]
    return tf.mul(lambda, tf.mean(tf.square(tf.sub(norms, 1))));
  });
}

/**
 * R1: gamma / 2 * E[||grad_x D(x_real)||^2], penalising D's slope on real data only. The gamma / 2
 * factor is Mescheder et al.'s (and StyleGAN's) convention, and the golden reference's.
 */
export function r1Penalty(d: Discriminator, xReal: tf.Tensor2D, gamma = 10): tf.Scalar {
  return tf.tidy(() => {
    const squaredNorms = tf.sum(tf.square(inputGradients(d, xReal)), 1); // [n]
    return tf.mul(gamma / 2, tf.mean(squaredNorms));
  });
}
