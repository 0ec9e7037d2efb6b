/**
 * An exponential moving average of the generator's weights (Yazıcı et al. 2019, "The Unusual
 * Effectiveness of Averaging in GAN Training"; the "G_ema" of Progressive GAN, StyleGAN and BigGAN).
 * Training moves G's modes around the data's in orbits that a gradient step never settles (the game's
 * rotational dynamics); the average of the iterates sits nearer the centre of those orbits, so the
 * averaged generator's samples land on the modes more precisely. Training itself is unchanged: only
 * the samples a run shows and evaluates come from the average.
 *
 *   ema <- beta · ema + (1 - beta) · w   after every G update, starting from G's initial weights
 *
 * beta = 0.999 averages over ~1,000 updates, a fraction of a benchmark run.
 */
import { tf } from "./backend.ts";
import type { LayerTensors, Mlp } from "./mlp.ts";

export class WeightAverage {
  private readonly ema: tf.Variable[];

  constructor(
    private readonly model: Mlp,
    readonly beta: number,
  ) {
    this.ema = model.variables.map((v) => tf.tidy(() => tf.variable(tf.clone(v), false)));
  }

  /** Fold the model's current weights into the average. */
  update(): void {
    tf.tidy(() => {
      for (const [i, v] of this.model.variables.entries()) {
        this.ema[i].assign(tf.add(tf.mul(this.ema[i], this.beta), tf.mul(v, 1 - this.beta)));
      }
    });
  }

  /** The averaged weights as the model's layers, for Mlp.apply. */
  layers(): LayerTensors[] {
    const out: LayerTensors[] = [];
    for (let i = 0; i < this.ema.length; i += 2)
      out.push({ w: this.ema[i] as tf.Tensor2D, b: this.ema[i + 1] as tf.Tensor1D });
    return out;
  }

  state(): Float32Array[] {
    return this.ema.map((v) => v.dataSync() as Float32Array);
  }

  restore(values: Float32Array[]): void {
    tf.tidy(() => {
      for (const [i, v] of this.ema.entries()) v.assign(tf.tensor(values[i], v.shape));
    });
  }

  dispose(): void {
    for (const v of this.ema) v.dispose();
  }
}
