/**
 * Optional fused forms of the trainer's hot spots. Each one replaces a chain of small tfjs ops whose
 * per-op overhead, not arithmetic, dominates a step of a small network. backend.ts installs the set
 * that fits the active backend; the models and the optimizers ask for an operation here and use their
 * plain tfjs expression when it is absent, so they never know which backend runs them.
 *
 * Every fused form gives the plain expression's numbers: Adam and the norm round each operation to
 * float32 in the same order (Adam is bit-identical); matrix products differ only in float32 summation
 * order.
 */
import type * as tf from "@tensorflow/tfjs-core";
import type { Rng } from "../rng.ts";

/** One Adam update's coefficients, PyTorch's bias corrections folded in (see optimizers.ts). */
export interface AdamCoefficients {
  beta1: number;
  beta2: number;
  stepSize: number;
  epsHat: number;
}

export interface FusedOps {
  /**
   * A whole MLP, hidden layers relu and the last linear, as one differentiable op (layers as [in, out]
   * weights and [out] biases).
   */
  reluMlp?(x: tf.Tensor2D, layers: { w: tf.Tensor2D; b: tf.Tensor1D }[]): tf.Tensor2D;
  /** act(x·w + b) as one differentiable op; activations other than these two are applied by the caller. */
  dense?(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: "linear" | "relu"): tf.Tensor2D;
  /**
   * Adam on every (variable, gradient) pair (PyTorch's formula, the same float32 roundings as the plain
   * expression). The moments m and v are updated in place; each variable gets new data (assign), because
   * tfjs-wasm caches packed weights per tensor and would not see an in-place change. Leaks no tensors.
   */
  adam?(
    vars: tf.Variable[],
    grads: tf.Tensor[],
    m: tf.Variable[],
    v: tf.Variable[],
    c: AdamCoefficients,
  ): void;
  /** sqrt(sum of squares) over all elements of all tensors, as a new scalar. */
  globalNorm?(tensors: tf.Tensor[]): tf.Scalar;
  /**
   * rng.fillNormal(out, std): the same float32 values, and `rng` left in the same state (its pending
   * spare, a double, possibly differing in the last bit, which never shows after rounding to float32),
   * computed faster. The noise batches cost a benchmark step ~0.8 ms in JavaScript.
   */
  fillNormal?(rng: Rng, out: Float32Array, std?: number): Float32Array;
}

/** rng.fillNormal(out, std) through the backend's fused form when it has one: for the training loop. */
export function drawNormal(rng: Rng, out: Float32Array, std = 1): Float32Array {
  const fused = active.fillNormal;
  return fused ? fused(rng, out, std) : rng.fillNormal(out, std);
}

let active: Readonly<FusedOps> = {};

/** The fused operations the active backend offers (possibly none). */
export function fusedOps(): Readonly<FusedOps> {
  return active;
}

/** backend.ts's switch: the set for the backend configuration it just selected. */
export function setFusedOps(ops: FusedOps): void {
  active = Object.freeze({ ...ops });
}
