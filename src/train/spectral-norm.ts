/**
 * Spectral normalisation of D's layers (Miyato et al. 2018), as torch.nn.utils.spectral_norm does it:
 * each layer uses W / sigma(W), sigma being W's largest singular value estimated by power iteration with
 * a persistent vector u, one iteration per D update. The iteration's vectors are constants to the
 * gradient (PyTorch computes them under no_grad); sigma is not, so D's weights receive the gradient of
 * the division, which is what keeps the normalised layer's norm at 1 instead of letting W drift.
 *
 * Weights here are [in, out] (a layer is x·W + b), the transpose of PyTorch's [out, in], so u lives in
 * R^out and v in R^in. One iteration from the stored u:
 *   v = normalise(W u);  u' = normalise(Wᵀ v);  sigma = u'ᵀ Wᵀ v = ||Wᵀ v||
 * The last equality lets sigma be written from v alone, so only v has to be computed outside the
 * gradient scope (tfjs has no stop_gradient): `vectors` does that before the update, `normalise` uses
 * them inside it. The u vectors are the whole state; checkpoints keep them so a resume continues the
 * same estimates.
 */
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import type { Layer, LayerTensors } from "./mlp.ts";

/** Keeps a normalisation finite for an all-zero vector, as PyTorch's F.normalize(eps=1e-12). */
const EPS = 1e-12;

export class SpectralNorm {
  /** One [out, 1] vector per layer. */
  private readonly u: tf.Variable[];

  constructor(layers: Layer[], rng: Rng) {
    // PyTorch draws u from N(0, 1) and normalises it; the project's RNG keeps that reproducible.
    this.u = layers.map((l, i) => {
      const out = l.w.shape[1] as number;
      const init = tf.tidy(() => unit(tf.tensor2d(rng.fillNormal(new Float32Array(out)), [out, 1])));
      const u = tf.variable(init, false, `${l.w.name}/sn_u${i}`);
      init.dispose();
      return u;
    });
  }

  /**
   * The v vectors for the next forward passes, from the stored u. With `update` (a D update) the power
   * iteration also moves u on: one iteration per update, as in training mode in PyTorch. Call outside
   * any gradient scope; the caller owns the returned tensors.
   */
  vectors(layers: Layer[], update: boolean): tf.Tensor2D[] {
    return tf.tidy(() =>
      layers.map((l, i) => {
        const v = unit(tf.matMul(l.w, this.u[i])); // [in, 1]
        if (update) this.u[i].assign(unit(tf.matMul(l.w, v, true, false))); // [out, 1]
        return v;
      }),
    );
  }

  /** Each layer's W / sigma, sigma = ||Wᵀ v||, differentiable with respect to W (v is a constant). */
  normalise(layers: Layer[], vs: tf.Tensor2D[]): LayerTensors[] {
    return layers.map((l, i) => {
      const sigma = tf.norm(tf.matMul(l.w, vs[i], true, false));
      return { w: tf.div(l.w, sigma) as tf.Tensor2D, b: l.b as tf.Tensor1D };
    });
  }

  state(): Float32Array[] {
    return this.u.map((u) => u.dataSync() as Float32Array);
  }

  restore(us: Float32Array[]): void {
    if (us.length !== this.u.length)
      throw new Error(`spectral norm: ${us.length} stored vectors for ${this.u.length} layers`);
    tf.tidy(() => {
      for (const [i, u] of this.u.entries()) u.assign(tf.tensor(us[i], u.shape));
    });
  }

  dispose(): void {
    for (const u of this.u) u.dispose();
  }
}

function unit(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.maximum(tf.norm(x), EPS));
}
