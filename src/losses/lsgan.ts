/**
 * The least-squares GAN losses as RVC, HiFi-GAN and VITS write them: 0-1 targets, no factor 1/2, summed
 * over a list of sub-discriminators (RVC v2's multi-period discriminator has K = 9, v1 K = 7, VITS
 * K = 6). Each sub-discriminator's output may have any shape ([batch, 1, frames] in RVC); its terms are
 * means over all its elements. Mirrors RVC's `discriminator_loss`, `generator_loss` and `feature_loss`
 * (infer/lib/train/losses.py) so logged values can be compared with RVC's one to one.
 */
import * as tf from "@tensorflow/tfjs-core";

export interface LsganDiscLoss {
  /** sum_k mean((1 - dr_k)^2) + mean(dg_k^2): RVC's `loss_disc`. */
  loss: tf.Scalar;
  /** mean((1 - dr_k)^2) per sub-discriminator: tfevents `loss/d_r/k`, canonical `d_real_k/k`. */
  realTerms: tf.Scalar[];
  /** mean(dg_k^2) per sub-discriminator: tfevents `loss/d_g/k`, canonical `d_fake_k/k`. */
  fakeTerms: tf.Scalar[];
}

export interface LsganGenLoss {
  /** sum_k mean((1 - dg_k)^2): RVC's `loss_gen`. */
  loss: tf.Scalar;
  /** mean((1 - dg_k)^2) per sub-discriminator: tfevents `loss/g/k`, canonical `loss_gen_k/k`. */
  terms: tf.Scalar[];
}

/** D's loss over K sub-discriminators; `realOutputs[k]` and `fakeOutputs[k]` are sub-discriminator k's. */
export function lsganDiscLoss(realOutputs: tf.Tensor[], fakeOutputs: tf.Tensor[]): LsganDiscLoss {
  checkSameCount("lsganDiscLoss", realOutputs.length, fakeOutputs.length);
  return tf.tidy(() => {
    const realTerms = realOutputs.map((dr) => tf.mean(tf.square(tf.sub(1, dr))) as tf.Scalar);
    const fakeTerms = fakeOutputs.map((dg) => tf.mean(tf.square(dg)) as tf.Scalar);
    const loss = tf.addN([...realTerms, ...fakeTerms]) as tf.Scalar;
    return { loss, realTerms, fakeTerms };
  });
}

/** G's adversarial loss over K sub-discriminators' outputs on generated data. */
export function lsganGenLoss(fakeOutputs: tf.Tensor[]): LsganGenLoss {
  if (fakeOutputs.length === 0) throw new Error("lsganGenLoss: no sub-discriminator outputs given");
  return tf.tidy(() => {
    const terms = fakeOutputs.map((dg) => tf.mean(tf.square(tf.sub(1, dg))) as tf.Scalar);
    return { loss: tf.addN(terms) as tf.Scalar, terms };
  });
}

/** D's loss for one discriminator, as a scalar only (the trainer's K = 1 case). */
export function lsganDiscLossSingle(realOutput: tf.Tensor, fakeOutput: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mean(tf.square(tf.sub(1, realOutput))), tf.mean(tf.square(fakeOutput))));
}

/** G's loss for one discriminator, as a scalar only. */
export function lsganGenLossSingle(fakeOutput: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.square(tf.sub(1, fakeOutput))));
}

/**
 * RVC's feature-matching loss: 2 * sum over discriminators k and layers l of mean|f_real - f_fake|.
 * `fmapReal[k][l]` is sub-discriminator k's activation at layer l on real data.
 *
 * RVC detaches the real features; here that is the caller's variable list's job: the real features
 * depend only on D's variables, which a generator step does not update.
 */
export function featureMatchingLoss(fmapReal: tf.Tensor[][], fmapFake: tf.Tensor[][]): tf.Scalar {
  checkSameCount("featureMatchingLoss", fmapReal.length, fmapFake.length);
  fmapReal.forEach((layers, k) => {
    if (layers.length !== fmapFake[k].length) {
      throw new Error(
        `featureMatchingLoss: sub-discriminator ${k} has ${layers.length} real layers but ${fmapFake[k].length} fake layers`,
      );
    }
    layers.forEach((fr, l) => {
      const ff = fmapFake[k][l];
      if (!tf.util.arraysEqual(fr.shape, ff.shape)) {
        throw new Error(
          `featureMatchingLoss: sub-discriminator ${k} layer ${l} has real shape [${fr.shape}] but fake shape [${ff.shape}]`,
        );
      }
    });
  });
  if (fmapReal.every((layers) => layers.length === 0))
    throw new Error("featureMatchingLoss: no feature maps given");
  return tf.tidy(() => {
    const terms = fmapReal.flatMap((layers, k) =>
      layers.map((fr, l) => tf.mean(tf.abs(tf.sub(fr, fmapFake[k][l])))),
    );
    return tf.mul(2, tf.addN(terms));
  });
}

export { LSGAN_EQUILIBRIUM_PER_SUBDISCRIMINATOR } from "./equilibrium.ts";

function checkSameCount(where: string, real: number, fake: number): void {
  if (real === 0) throw new Error(`${where}: no sub-discriminator outputs given`);
  if (real !== fake) throw new Error(`${where}: ${real} real outputs but ${fake} fake outputs`);
}
