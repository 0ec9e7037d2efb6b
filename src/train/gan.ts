/**
 * The two players and one update of each. A D update scores a real batch and a detached generated
 * batch and moves only D's variables; a G update scores a fresh generated batch through D and moves only
 * G's variables. Every returned metric is a tensor kept for the caller, so no step forces a host sync;
 * the loop reads them back only on logged steps.
 */
import { type AdversarialLoss, lossFor } from "../losses/index.ts";
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import type { TrainConfig } from "./config.ts";
import { fusedOps } from "./fused-ops.ts";
import { Mlp } from "./mlp.ts";
import { createOptimizer, type Optimizer } from "./optimizers.ts";

/** The metrics of one D update, as scalar tensors owned by the caller. */
export interface DStepResult {
  lossDisc: tf.Scalar;
  /** Mean D output on the real and the generated batch (probabilities for BCE, scores otherwise). */
  dReal: tf.Scalar;
  dFake: tf.Scalar;
  gradNorm: tf.Scalar;
}

export interface GStepResult {
  lossGen: tf.Scalar;
  gradNorm: tf.Scalar;
}

export class Gan {
  readonly g: Mlp;
  readonly d: Mlp;
  readonly optG: Optimizer;
  readonly optD: Optimizer;
  readonly loss: AdversarialLoss;

  constructor(config: TrainConfig, rng: Rng, dataDim = 2) {
    this.loss = lossFor(config.loss);
    this.g = new Mlp(
      { input: config.latent, hidden: config.gHidden, output: dataDim, activation: config.gActivation },
      rng,
      "G",
    );
    this.d = new Mlp(
      { input: dataDim, hidden: config.dHidden, output: 1, activation: config.dActivation },
      rng,
      "D",
    );
    const opt = { name: config.optimizer, beta1: config.beta1, beta2: config.beta2, eps: 1e-8 };
    this.optD = createOptimizer({ ...opt, lr: config.lrD }, this.d.variables);
    this.optG = createOptimizer({ ...opt, lr: config.lrG }, this.g.variables);
  }

  /** One discriminator update on real x: [n, dim] and noise z: [n, latent]. */
  dStep(x: tf.Tensor2D, z: tf.Tensor2D): DStepResult {
    return tf.tidy(() => {
      const fake = this.g.apply(z); // outside the gradient: G is held fixed (PyTorch's .detach())
      // D scores both batches as one: one forward and one backward pass instead of two (half the ops,
      // no summing of two gradient sets), and each row's output is what it would be alone, since the
      // MLP has no layer that mixes rows.
      const both = tf.concat([x, fake]);
      let dReal!: tf.Scalar;
      let dFake!: tf.Scalar;
      const { value, grads } = tf.variableGrads(() => {
        const [realOut, fakeOut] = tf.split(this.d.apply(both), [x.shape[0], fake.shape[0]]); // [n, 1] each
        // kept, so the gradient scope does not dispose them before the caller reads them
        dReal = tf.keep(this.loss.meanOutput(realOut));
        dFake = tf.keep(this.loss.meanOutput(fakeOut));
        return this.loss.disc(realOut, fakeOut);
      }, this.d.variables);
      const gradList = this.d.variables.map((v) => grads[v.name]);
      this.optD.apply(this.d.variables, gradList);
      return { lossDisc: value, dReal, dFake, gradNorm: globalNorm(gradList) };
    });
  }

  /** One generator update on noise z: [n, latent]; D's variables are read, never written. */
  gStep(z: tf.Tensor2D): GStepResult {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(
        () => this.loss.gen(this.d.apply(this.g.apply(z))),
        this.g.variables,
      );
      const gradList = this.g.variables.map((v) => grads[v.name]);
      this.optG.apply(this.g.variables, gradList);
      return { lossGen: value, gradNorm: globalNorm(gradList) };
    });
  }

  /** n generated points as a flat [x0, y0, x1, y1, ...] array (noise drawn from `rng`). */
  async generate(n: number, rng: Rng, latent: number): Promise<Float32Array> {
    const z = rng.fillNormal(new Float32Array(n * latent));
    const out = tf.tidy(() => this.g.apply(tf.tensor2d(z, [n, latent])));
    const data = (await out.data()) as Float32Array;
    out.dispose();
    return data;
  }

  dispose(): void {
    this.g.dispose();
    this.d.dispose();
    this.optG.dispose();
    this.optD.dispose();
  }
}

/** The L2 norm of all gradients together, as torch.nn.utils.clip_grad_norm_ reports it. */
function globalNorm(grads: tf.Tensor[]): tf.Scalar {
  const fused = fusedOps().globalNorm;
  if (fused) return fused(grads);
  return tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar;
}
