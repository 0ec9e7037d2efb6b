/**
 * Adam and SGD written out, rather than tfjs's tf.train optimizers, for three reasons: the controller
 * changes a learning rate while the run goes (a plain field here), a checkpoint must hold the exact
 * optimizer state (the moment tensors and the step count, read synchronously), and the update is one
 * fused expression per variable with no per-step host sync.
 *
 * Adam follows PyTorch's torch.optim.Adam exactly:
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)
 */
import { tf } from "./backend.ts";
import type { OptimizerName } from "./choices.ts";
import { fusedOps } from "./fused-ops.ts";

export interface OptimizerConfig {
  name: OptimizerName;
  lr: number;
  /** Adam's betas; GAN practice (DCGAN) uses b1 = 0.5. */
  beta1: number;
  beta2: number;
  eps: number;
}

/** An optimizer's state as plain data, for checkpoints. */
export interface OptimizerState {
  name: OptimizerName;
  lr: number;
  t: number;
  /** Adam's first and second moments per variable (empty for SGD). */
  m: Float32Array[];
  v: Float32Array[];
}

export interface Optimizer {
  lr: number;
  readonly config: OptimizerConfig;
  /** Apply one update to `vars` from `grads` (same order). Disposes nothing it was given. */
  apply(vars: tf.Variable[], grads: tf.Tensor[]): void;
  state(): OptimizerState;
  restore(state: OptimizerState): void;
  dispose(): void;
}

export function createOptimizer(config: OptimizerConfig, vars: tf.Variable[]): Optimizer {
  return config.name === "adam" ? new Adam(config, vars) : new Sgd(config);
}

class Adam implements Optimizer {
  lr: number;
  private t = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    readonly config: OptimizerConfig,
    vars: tf.Variable[],
  ) {
    this.lr = config.lr;
    // tf.variable shares its initial tensor's data; dispose those so each moment owns its data alone.
    this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
    this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
  }

  apply(vars: tf.Variable[], grads: tf.Tensor[]): void {
    this.t++;
    const { beta1: b1, beta2: b2, eps } = this.config;
    const bc1 = 1 - b1 ** this.t;
    const bc2 = 1 - b2 ** this.t;
    // Folding both bias corrections into the step size and eps is algebraically PyTorch's update.
    const stepSize = (this.lr * Math.sqrt(bc2)) / bc1;
    const epsHat = eps * Math.sqrt(bc2);
    // A backend with a fused Adam does the same arithmetic in one pass per variable.
    const fused = fusedOps().adam;
    if (fused) {
      fused(vars, grads, this.m, this.v, { beta1: b1, beta2: b2, stepSize, epsHat });
      return;
    }
    tf.tidy(() => {
      for (let i = 0; i < vars.length; i++) {
        const g = grads[i];
        const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), 1 - b2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        vars[i].assign(tf.sub(vars[i], tf.mul(tf.div(m, tf.add(tf.sqrt(v), epsHat)), stepSize)));
      }
    });
  }

  state(): OptimizerState {
    return {
      name: "adam",
      lr: this.lr,
      t: this.t,
      m: this.m.map((x) => x.dataSync() as Float32Array),
      v: this.v.map((x) => x.dataSync() as Float32Array),
    };
  }

  restore(state: OptimizerState): void {
    this.lr = state.lr;
    this.t = state.t;
    tf.tidy(() => {
      for (const [i, x] of this.m.entries()) x.assign(tf.tensor(state.m[i], x.shape));
      for (const [i, x] of this.v.entries()) x.assign(tf.tensor(state.v[i], x.shape));
    });
  }

  dispose(): void {
    for (const x of [...this.m, ...this.v]) x.dispose();
  }
}

class Sgd implements Optimizer {
  lr: number;
  private t = 0;

  constructor(readonly config: OptimizerConfig) {
    this.lr = config.lr;
  }

  apply(vars: tf.Variable[], grads: tf.Tensor[]): void {
    this.t++;
    tf.tidy(() => {
      for (let i = 0; i < vars.length; i++) vars[i].assign(tf.sub(vars[i], tf.mul(grads[i], this.lr)));
    });
  }

  state(): OptimizerState {
    return { name: "sgd", lr: this.lr, t: this.t, m: [], v: [] };
  }

  restore(state: OptimizerState): void {
    this.lr = state.lr;
    this.t = state.t;
  }

  dispose(): void {}
}
