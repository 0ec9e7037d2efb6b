/**
 * The discriminator: an MLP plus the remedies that change how it sees a batch (packing, the minibatch
 * std feature, spectral normalisation). Without any of them it is the MLP itself, run exactly as
 * before (the fused native op, bit for bit); each remedy adds only its own step.
 *
 * Two views:
 *  - `judge(x, ...)` scores a batch as training sees it: packs of `pack` consecutive samples, the std
 *    feature within each group of rows, the weights of this update;
 *  - `apply(points)` scores each point on its own (the dashboard's decision map, probes): the point
 *    packed with copies of itself, the std feature over the points given.
 */
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import type { TrainConfig } from "./config.ts";
import { type LayerTensors, Mlp } from "./mlp.ts";
import { minibatchStdFeature, packRows } from "./remedies.ts";
import { SpectralNorm } from "./spectral-norm.ts";

export interface JudgeOptions {
  /** Groups of rows the minibatch-std feature keeps apart (2 when real and fake share one pass). */
  groups?: number;
  /** Spectral norm's vectors for this update (from `vectors`); drawn without an update when absent. */
  vs?: tf.Tensor2D[];
  /** Plain tfjs ops, differentiable twice (for the gradient penalties). */
  generic?: boolean;
  /** Also return D's last hidden features (feature matching). */
  features?: boolean;
}

export class Discriminator {
  readonly mlp: Mlp;
  readonly sn?: SpectralNorm;
  readonly pack: number;
  readonly minibatchStd: boolean;

  constructor(config: TrainConfig, rng: Rng, dataDim: number) {
    this.pack = config.pack;
    this.minibatchStd = config.minibatchStd;
    this.mlp = new Mlp(
      {
        input: dataDim * config.pack,
        hidden: config.dHidden,
        output: 1,
        activation: config.dActivation,
        ...(config.minibatchStd ? { headExtra: 1 } : {}),
      },
      rng,
      "D",
    );
    // drawn after the weights, so the weights are the plain run's for the same seed
    if (config.spectralNorm) this.sn = new SpectralNorm(this.mlp.layers, rng);
  }

  /** D's trainable variables, in the order checkpoints and the optimizer use. */
  get variables(): tf.Variable[] {
    return this.mlp.variables;
  }

  /** True when no remedy changes D's forward pass: `judge` is then the MLP alone. */
  get plain(): boolean {
    return this.pack === 1 && !this.minibatchStd && !this.sn;
  }

  /**
   * Spectral norm's power-iteration vectors for the coming forward passes (undefined without it). With
   * `update`, one iteration moves the stored estimate on: once per D update. Call outside gradient scopes.
   */
  vectors(update: boolean): tf.Tensor2D[] | undefined {
    return this.sn?.vectors(this.mlp.layers, update);
  }

  /** Samples [n, dim] -> packs [n / pack, pack · dim]. */
  packed(x: tf.Tensor2D): tf.Tensor2D {
    return packRows(x, this.pack);
  }

  /** Scores of a batch of samples [n, dim]: [n / pack, 1], and D's last hidden features when asked. */
  judge(x: tf.Tensor2D, opts: JudgeOptions = {}): { out: tf.Tensor2D; features?: tf.Tensor2D } {
    return this.judgePacked(this.packed(x), opts);
  }

  /** judge on packs already formed [k, pack · dim] (the penalties differentiate with respect to them). */
  judgePacked(xp: tf.Tensor2D, opts: JudgeOptions = {}): { out: tf.Tensor2D; features?: tf.Tensor2D } {
    const layers = this.layerTensors(opts.vs);
    if (!this.minibatchStd && !opts.features && !opts.generic) return { out: this.mlp.apply(xp, layers) };
    const groups = opts.groups ?? 1;
    return this.mlp.forward(xp, {
      layers,
      ...(opts.generic ? { generic: true } : {}),
      ...(this.minibatchStd ? { beforeHead: (h: tf.Tensor2D) => minibatchStdFeature(h, groups) } : {}),
    });
  }

  /** Each point's score on its own, [n, dim] -> [n, 1] (see the file's comment). */
  apply(points: tf.Tensor2D): tf.Tensor2D {
    if (this.plain) return this.mlp.apply(points);
    return tf.tidy(() => {
      const xp = this.pack === 1 ? points : (tf.tile(points, [1, this.pack]) as tf.Tensor2D);
      const vs = this.vectors(false);
      return this.judgePacked(xp, vs ? { vs } : {}).out;
    });
  }

  dispose(): void {
    this.mlp.dispose();
    this.sn?.dispose();
  }

  private layerTensors(vs: tf.Tensor2D[] | undefined): LayerTensors[] {
    if (!this.sn) return this.mlp.tensors();
    return this.sn.normalise(this.mlp.layers, vs ?? this.vectors(false)!);
  }
}
