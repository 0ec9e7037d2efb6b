/**
 * The training loop: k discriminator updates then one generator update per step, fresh real and noise
 * batches from the project's RNG each time, metrics read back from the backend only on logged steps.
 * The trainer knows nothing of files: the run directory (run.ts) and the CLI attach through hooks, and
 * a checkpoint is plain data (checkpoint.ts writes it).
 */
import type { Dataset } from "../data/index.ts";
import { Rng, type RngState } from "../rng.ts";
import { tf } from "./backend.ts";
import type { TrainConfig } from "./config.ts";
import { drawNormal } from "./fused-ops.ts";
import { Gan } from "./gan.ts";
import type { OptimizerState } from "./optimizers.ts";

/** One logged step in canonical tags (DESIGN.md). */
export interface StepMetrics {
  step: number;
  wall_time: number;
  loss_disc: number;
  loss_gen: number;
  d_real: number;
  d_fake: number;
  lr_d: number;
  lr_g: number;
  grad_norm_d: number;
  grad_norm_g: number;
  /** The feature-matching term, when feature matching is on. */
  loss_fm?: number;
}

/** Everything needed to continue a run exactly where it stopped. */
export interface TrainerState {
  step: number;
  rng: RngState;
  g: Float32Array[];
  d: Float32Array[];
  optG: OptimizerState;
  optD: OptimizerState;
  /** Spectral norm's power-iteration vectors, when it is on. */
  sn?: Float32Array[];
  /** D updates per step, when the controller changed them from the configuration's. */
  dSteps?: number;
  /** The set learning rates, when a decay schedule makes the optimizers' differ from them. */
  rates?: { d: number; g: number };
  /** The moving average of G's weights, when it is on. */
  gEma?: Float32Array[];
  /** R1's weight, when the controller changed it from the configuration's. */
  r1?: number;
}

export class Trainer {
  readonly gan: Gan;
  /** Generator updates done so far. */
  step = 0;
  /** D updates per step: the configuration's, unless the controller changes it. */
  dSteps: number;
  /** The set learning rates; the optimizers use them times the decay schedule's factor. */
  private rates: { d: number; g: number };
  private readonly rng: Rng;
  private readonly dim = 2;

  constructor(
    readonly config: TrainConfig,
    readonly dataset: Dataset,
  ) {
    this.rng = new Rng(config.seed);
    this.gan = new Gan(config, this.rng, this.dim);
    this.dSteps = config.dSteps;
    this.rates = { d: config.lrD, g: config.lrG };
  }

  /**
   * The optimizers' rates for step `step`: the set rates times the decay factor, which is 1 until the
   * last `lrDecay` fraction of the run and then falls linearly to 1% at its last step (CycleGAN's
   * linear decay, to a floor so the end still learns). Without decay the set rates are used as they
   * are, bit for bit.
   */
  private applySchedule(step: number): void {
    const { lrDecay, steps } = this.config;
    const start = steps * (1 - lrDecay);
    const f = lrDecay > 0 && step > start ? 1 - (0.99 * (step - start)) / (steps - start) : 1;
    this.gan.optD.lr = f === 1 ? this.rates.d : this.rates.d * f;
    this.gan.optG.lr = f === 1 ? this.rates.g : this.rates.g * f;
  }

  /** D's learning rate as the user or the controller set it (before the decay schedule). */
  get lrD(): number {
    return this.rates.d;
  }

  get lrG(): number {
    return this.rates.g;
  }

  /** The controller's handle: new learning rates take effect at the next update. */
  setLearningRates(lrD: number, lrG: number): void {
    this.rates = { d: lrD, g: lrG };
    this.applySchedule(this.step + 1);
  }

  /** The controller's other handle: D updates per step from the next step on. */
  setDSteps(k: number): void {
    this.dSteps = k;
  }

  /** R1's weight (the controller's regularisation knob), from the next D update on; 0 turns it off. */
  get r1(): number {
    return this.gan.r1;
  }

  setR1(gamma: number): void {
    this.gan.r1 = gamma;
  }

  /**
   * One step: `dSteps` D updates then one G update. Returns the step's metrics as a [8] tensor (with
   * loss_fm a [9] one) when `keep` is set (the caller reads and disposes it), otherwise nothing: no
   * host sync at all. The remedies draw from the run's RNG only when they are on (WGAN-GP's points,
   * feature matching's real batch), so a plain run's stream is the same as without them.
   */
  trainStep(keep: boolean): tf.Tensor1D | undefined {
    const { batch, latent, gradientPenalty, featureMatching, pack } = this.config;
    if (this.config.lrDecay > 0) this.applySchedule(this.step + 1);
    let last: ReturnType<Gan["dStep"]> | undefined;
    for (let k = 0; k < this.dSteps; k++) {
      if (last) tf.dispose(Object.values(last));
      const x = tf.tensor2d(this.dataset.sample(batch, this.rng), [batch, this.dim]);
      const z = tf.tensor2d(drawNormal(this.rng, new Float32Array(batch * latent)), [batch, latent]);
      const alpha =
        gradientPenalty > 0
          ? Float32Array.from({ length: batch / pack }, () => this.rng.uniform())
          : undefined;
      last = this.gan.dStep(x, z, alpha);
      tf.dispose([x, z]);
    }
    const lrD = this.gan.optD.lr; // the rates these updates used, before any controller changes them
    const z = tf.tensor2d(drawNormal(this.rng, new Float32Array(batch * latent)), [batch, latent]);
    const real =
      featureMatching > 0 ? tf.tensor2d(this.dataset.sample(batch, this.rng), [batch, this.dim]) : undefined;
    const g = this.gan.gStep(z, real);
    tf.dispose(real ? [z, real] : [z]);
    this.step++;
    const d = last!;
    const parts = [d.lossDisc, g.lossGen, d.dReal, d.dFake, d.gradNorm, g.gradNorm];
    const metrics = keep
      ? tf.tidy(
          () =>
            tf.concat([
              tf.stack(parts),
              tf.tensor1d([lrD, this.gan.optG.lr]),
              ...(g.lossFm ? [tf.reshape(g.lossFm, [1])] : []),
            ]) as tf.Tensor1D,
        )
      : undefined;
    tf.dispose([...Object.values(d), ...Object.values(g)]);
    return metrics;
  }

  /** Read back a step's metrics tensor (from trainStep(true)) and dispose it. */
  async readMetrics(t: tf.Tensor1D, step: number): Promise<StepMetrics> {
    const v = await t.data();
    t.dispose();
    return {
      step,
      wall_time: Date.now() / 1000,
      loss_disc: v[0],
      loss_gen: v[1],
      d_real: v[2],
      d_fake: v[3],
      grad_norm_d: v[4],
      grad_norm_g: v[5],
      lr_d: v[6],
      lr_g: v[7],
      ...(v.length > 8 ? { loss_fm: v[8] } : {}),
    };
  }

  /** n generated points, from a noise stream of their own so sampling never disturbs training's. */
  generate(n: number, seed: number): Promise<Float32Array> {
    return this.gan.generate(n, new Rng(seed), this.config.latent, this.config.reject);
  }

  state(): TrainerState {
    return {
      step: this.step,
      rng: this.rng.state(),
      g: this.gan.g.variables.map((v) => v.dataSync() as Float32Array),
      d: this.gan.d.variables.map((v) => v.dataSync() as Float32Array),
      optG: this.gan.optG.state(),
      optD: this.gan.optD.state(),
      ...(this.gan.d.sn ? { sn: this.gan.d.sn.state() } : {}),
      ...(this.dSteps !== this.config.dSteps ? { dSteps: this.dSteps } : {}),
      ...(this.config.lrDecay > 0 ? { rates: { ...this.rates } } : {}),
      ...(this.gan.gAverage ? { gEma: this.gan.gAverage.state() } : {}),
      ...(this.gan.r1 !== this.config.r1 ? { r1: this.gan.r1 } : {}),
    };
  }

  restore(s: TrainerState): void {
    this.step = s.step;
    this.rng.restore(s.rng);
    tf.tidy(() => {
      for (const [i, v] of this.gan.g.variables.entries()) v.assign(tf.tensor(s.g[i], v.shape));
      for (const [i, v] of this.gan.d.variables.entries()) v.assign(tf.tensor(s.d[i], v.shape));
    });
    this.gan.optG.restore(s.optG);
    this.gan.optD.restore(s.optD);
    if (s.sn) this.gan.d.sn?.restore(s.sn);
    if (s.gEma) this.gan.gAverage?.restore(s.gEma);
    this.dSteps = s.dSteps ?? this.config.dSteps;
    this.rates = s.rates ?? { d: s.optD.lr, g: s.optG.lr };
    this.gan.r1 = s.r1 ?? this.config.r1;
  }

  dispose(): void {
    this.gan.dispose();
  }
}
