/**
 * A fully connected network as a list of tfjs variables: the generator and the discriminator are both
 * one of these. Weights are [in, out] so a layer is `x @ W + b`; they start as PyTorch's nn.Linear does
 * (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases), drawn from the project's RNG so a seed
 * fixes them on every backend.
 */
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import type { Activation } from "./choices.ts";
import { fusedOps } from "./fused-ops.ts";

export interface MlpSpec {
  input: number;
  hidden: number[];
  output: number;
  activation: Activation;
  /** Extra inputs of the last layer beside the last hidden layer (D's minibatch-std feature). */
  headExtra?: number;
}

/** A layer's weights as tensors: the variables themselves, or a transform of them (spectral norm). */
export interface LayerTensors {
  w: tf.Tensor2D;
  b: tf.Tensor1D;
}

export interface ForwardOptions {
  /** Weights to use instead of the variables (same shapes). */
  layers?: LayerTensors[];
  /** Applied to the last hidden layer's output before the last layer (e.g. to append a feature). */
  beforeHead?: (h: tf.Tensor2D) => tf.Tensor2D;
  /**
   * Plain tfjs ops only. The fused ops' gradients are native kernels that have no gradient of their
   * own, so a loss that differentiates D's input gradient again (R1, WGAN-GP) must not use them.
   */
  generic?: boolean;
}

export interface Layer {
  w: tf.Variable; // [in, out]
  b: tf.Variable; // [out]
}

/** tfjs variable names are global to the process; a counter keeps two models' names apart. */
let instances = 0;

export class Mlp {
  readonly layers: Layer[];

  constructor(
    readonly spec: MlpSpec,
    rng: Rng,
    readonly name: string,
  ) {
    const sizes = [spec.input, ...spec.hidden, spec.output];
    const prefix = `${name}${instances++}`;
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const head = i + 2 === sizes.length;
      const [fanIn, fanOut] = [sizes[i] + (head ? (spec.headExtra ?? 0) : 0), sizes[i + 1]];
      const bound = 1 / Math.sqrt(fanIn);
      const uniform = (n: number) => {
        const a = new Float32Array(n);
        for (let j = 0; j < n; j++) a[j] = (2 * rng.uniform() - 1) * bound;
        return a;
      };
      // The initial tensors are disposed so each variable owns its data alone (in-place updates rely on it).
      const w = tf.tensor2d(uniform(fanIn * fanOut), [fanIn, fanOut]);
      const b = tf.tensor1d(uniform(fanOut));
      this.layers.push({
        w: tf.variable(w, true, `${prefix}/w${i}`),
        b: tf.variable(b, true, `${prefix}/b${i}`),
      });
      tf.dispose([w, b]);
    }
  }

  /** Every trainable variable, in a fixed order (checkpoints and optimizers rely on it). */
  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.w, l.b]);
  }

  /**
   * x: [n, input] -> [n, output]; hidden layers activated, the last layer linear (a logit for D).
   * `layers` replaces the variables' values (spectral norm passes W / sigma). Not for an MLP with
   * `headExtra`, whose last layer needs the extra inputs: use `forward`.
   */
  apply(x: tf.Tensor2D, layers: LayerTensors[] = this.tensors()): tf.Tensor2D {
    const { activation } = this.spec;
    // A backend with fused operations runs a relu MLP as one op, or else each layer's matMul + bias
    // (+ relu) as one op, forward and backward.
    const { reluMlp, dense } = fusedOps();
    if (reluMlp && (activation === "relu" || layers.length === 1)) return reluMlp(x, layers);
    let h = x;
    layers.forEach((layer, i) => {
      const hidden = i + 1 < layers.length;
      if (dense) {
        const fuseRelu = hidden && activation === "relu";
        h = dense(h, layer.w, layer.b, fuseRelu ? "relu" : "linear");
        if (hidden && !fuseRelu) h = activate(h, activation);
      } else {
        h = tf.add(tf.matMul(h, layer.w), layer.b) as tf.Tensor2D;
        if (hidden) h = activate(h, activation);
      }
    });
    return h;
  }

  /**
   * The forward pass with the last hidden layer exposed: `features` is its activated output [n, H]
   * (feature matching reads it), `out` the last layer's output on it, after `beforeHead`. Uses the fused
   * ops unless `generic` is set.
   */
  forward(x: tf.Tensor2D, opts: ForwardOptions = {}): { out: tf.Tensor2D; features: tf.Tensor2D } {
    const layers = opts.layers ?? this.tensors();
    const { activation } = this.spec;
    const { reluMlp, dense } = opts.generic ? {} : fusedOps();
    const body = layers.slice(0, -1);
    const head = layers[layers.length - 1];
    let h = x;
    if (reluMlp && activation === "relu") {
      // the fused op leaves its last layer linear: the body's last hidden layer is activated here
      h = tf.relu(reluMlp(x, body));
    } else {
      for (const layer of body) {
        h = dense
          ? dense(h, layer.w, layer.b, "linear")
          : (tf.add(tf.matMul(h, layer.w), layer.b) as tf.Tensor2D);
        h = activate(h, activation);
      }
    }
    const features = h;
    const input = opts.beforeHead ? opts.beforeHead(h) : h;
    const out = dense
      ? dense(input, head.w, head.b, "linear")
      : (tf.add(tf.matMul(input, head.w), head.b) as tf.Tensor2D);
    return { out, features };
  }

  /** The variables as layer tensors. */
  tensors(): LayerTensors[] {
    return this.layers.map((l) => ({ w: l.w as tf.Tensor2D, b: l.b as tf.Tensor1D }));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case "relu":
      return tf.relu(x);
    case "leaky_relu":
      return tf.leakyRelu(x, 0.2); // DCGAN's slope
    case "tanh":
      return tf.tanh(x);
    case "elu":
      return tf.elu(x);
  }
}
