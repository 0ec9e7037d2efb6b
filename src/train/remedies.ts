/**
 * The collapse remedies as pure tensor functions, and which of them a configuration turns on. Where
 * each acts:
 *
 *   feature matching    G's loss: + w · ||E f(x) - E f(G(z))||², f = D's last hidden layer (Salimans
 *                       et al. 2016, "Improved Techniques for Training GANs", §3.1). G is pulled
 *                       toward the real data's statistics in D's feature space, not only toward
 *                       whatever D currently scores highest, which is what lets it pile onto one mode.
 *   minibatch std       D's last hidden layer gets one more input: the standard deviation over the batch,
 *                       averaged over features (Karras et al. 2018, ProGAN §3). A collapsed batch has a
 *                       small one, so D can tell it from a real batch and G is paid to spread out.
 *   packing             D judges m samples at once, concatenated (PacGAN, Lin et al. 2018): a pack of
 *                       collapsed samples is easier to tell from a pack of real ones than one sample is.
 *   R1, WGAN-GP         penalties on D's input gradient (src/losses/penalties.ts), added to D's loss.
 *   spectral norm       each D layer divided by its largest singular value (spectral-norm.ts).
 *   label smoothing     D's real target 1 - eps instead of 1 (one-sided: fakes keep target 0).
 *
 * The logged loss_disc is the adversarial loss D minimises (with the smoothed target when smoothing is
 * on: its equilibrium at D = 1/2 is unchanged); penalties are not in it, so the monitor still reads it
 * against the family's equilibrium. The logged loss_gen is G's adversarial loss; the feature-matching
 * term is logged on its own as loss_fm.
 */
import type { AdversarialLoss } from "../losses/index.ts";
import { tf } from "./backend.ts";
import type { TrainConfig } from "./config.ts";

export type RemedyName =
  | "feature_matching"
  | "minibatch_std"
  | "pack"
  | "r1"
  | "gradient_penalty"
  | "spectral_norm"
  | "label_smoothing";

/** The remedies a configuration turns on, in a fixed order. */
export function activeRemedies(c: TrainConfig): RemedyName[] {
  const on: [RemedyName, boolean][] = [
    ["feature_matching", c.featureMatching > 0],
    ["minibatch_std", c.minibatchStd],
    ["pack", c.pack > 1],
    ["r1", c.r1 > 0],
    ["gradient_penalty", c.gradientPenalty > 0],
    ["spectral_norm", c.spectralNorm],
    ["label_smoothing", c.labelSmoothing > 0],
  ];
  return on.filter(([, active]) => active).map(([name]) => name);
}

/**
 * [n, dim] -> [n / m, m · dim]: consecutive samples side by side, as PacGAN's discriminator takes them.
 * D then sees n / m packs per batch; PacGAN instead draws m times as many samples so D sees n packs,
 * which would cost m times the generator's work per step here.
 */
export function packRows(x: tf.Tensor2D, m: number): tf.Tensor2D {
  if (m === 1) return x;
  const [n, dim] = x.shape;
  if (n % m !== 0) throw new Error(`packRows: a batch of ${n} does not split into packs of ${m}`);
  return tf.reshape(x, [n / m, m * dim]);
}

/**
 * h [n, H] -> [n, H + 1]: the minibatch standard deviation feature, computed within each of `groups`
 * consecutive equal groups of rows (the real batch and the generated batch when D scores them in one
 * pass: a group must never mix the two). Per group, the std of each feature over the group's rows
 * (population std, + 1e-8 under the root as in ProGAN), averaged over features, as one more column.
 * One group per batch rather than ProGAN's groups of 4: on a 2D mixture the spread of a whole batch is
 * the clearest evidence that a generator has dropped modes.
 */
export function minibatchStdFeature(h: tf.Tensor2D, groups = 1): tf.Tensor2D {
  const [n, width] = h.shape;
  if (n % groups !== 0) throw new Error(`minibatchStdFeature: ${n} rows do not split into ${groups} groups`);
  const per = n / groups;
  const g = tf.reshape(h, [groups, per, width]);
  const centred = tf.sub(g, tf.mean(g, 1, true));
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 1), 1e-8)); // [groups, width]
  const s = tf.reshape(tf.mean(std, 1), [groups, 1, 1]);
  const column = tf.reshape(tf.add(tf.zeros([groups, per, 1]), s), [n, 1]);
  return tf.concat([h, column as tf.Tensor2D], 1);
}

/** ||mean_i fReal_i - mean_i fFake_i||²: Salimans et al.'s feature-matching objective. */
export function featureMatchingTerm(fReal: tf.Tensor2D, fFake: tf.Tensor2D): tf.Scalar {
  return tf.sum(tf.square(tf.sub(tf.mean(fReal, 0), tf.mean(fFake, 0))));
}

/**
 * D's loss with the real target 1 - eps (one-sided label smoothing, Salimans et al. §3.4): for BCE
 * -E[t log D(x) + (1 - t) log(1 - D(x))] - E[log(1 - D(G(z)))], for LSGAN E[(t - D(x))²] + E[D(G(z))²].
 * eps = 0 is the family's own loss.
 */
export function discLoss(
  loss: AdversarialLoss,
  realOut: tf.Tensor,
  fakeOut: tf.Tensor,
  eps: number,
): tf.Scalar {
  if (eps === 0) return loss.disc(realOut, fakeOut);
  const t = 1 - eps;
  switch (loss.family) {
    case "bce":
    case "bce_minimax": {
      const real = tf.add(tf.mul(t, tf.softplus(tf.neg(realOut))), tf.mul(1 - t, tf.softplus(realOut)));
      return tf.add(tf.mean(real), tf.mean(tf.softplus(fakeOut)));
    }
    case "lsgan":
      return tf.add(tf.mean(tf.square(tf.sub(t, realOut))), tf.mean(tf.square(fakeOut)));
    default:
      throw new Error(`label smoothing is not defined for the ${loss.family} loss`);
  }
}
