/**
 * A fully connected network as a list of tfjs variables: the generator and the discriminator are both
 * one of these. Weights are [in, out] so a layer is `x @ W + b`; they start as PyTorch's nn.Linear does
 * (U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases), drawn from the project's RNG so a seed
 * fixes them on every backend.
 */
import type { Rng } from "../rng.ts";
import { tf } from "./backend.ts";
import { fusedOps } from "./fused-ops.ts";

export const ACTIVATIONS = ["relu", "leaky_relu", "tanh", "elu"] as const;
export type Activation = (typeof ACTIVATIONS)[number];

export interface MlpSpec {
  input: number;
  hidden: number[];
  output: number;
  activation: Activation;
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
      const [fanIn, fanOut] = [sizes[i], sizes[i + 1]];
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

  /** x: [n, input] -> [n, output]; hidden layers activated, the last layer linear (a logit for D). */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    const { activation } = this.spec;
    // A backend with fused operations runs a relu MLP as one op, or else each layer's matMul + bias
    // (+ relu) as one op, forward and backward.
    const { reluMlp, dense } = fusedOps();
    if (reluMlp && (activation === "relu" || this.layers.length === 1)) {
      return reluMlp(
        x,
        this.layers.map((l) => ({ w: l.w as tf.Tensor2D, b: l.b as tf.Tensor1D })),
      );
    }
    let h = x;
    this.layers.forEach((layer, i) => {
      const hidden = i + 1 < this.layers.length;
      if (dense) {
        const fuseRelu = hidden && activation === "relu";
        h = dense(h, layer.w as tf.Tensor2D, layer.b as tf.Tensor1D, fuseRelu ? "relu" : "linear");
        if (hidden && !fuseRelu) h = activate(h, activation);
      } else {
        h = tf.add(tf.matMul(h, layer.w), layer.b) as tf.Tensor2D;
        if (hidden) h = activate(h, activation);
      }
    });
    return h;
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
