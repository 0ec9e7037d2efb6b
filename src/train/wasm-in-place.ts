/**
 * Adam and the gradient norm computed by JavaScript directly in the wasm heap, for the "wasm" backend
 * configuration (no native addon). One pass over each tensor instead of a dozen tfjs ops per variable,
 * each with its own allocation and dispatch; the arithmetic is the plain expression's, every step
 * rounded to float32 with Math.fround (exact for + - * / sqrt of float32 values), so the numbers are
 * the same bit for bit. Moments are updated in place; the variables get new data (see FusedOps.adam).
 */
import type * as tf from "@tensorflow/tfjs-core";
import { scalar } from "@tensorflow/tfjs-core";
import type { AdamCoefficients, FusedOps } from "./fused-ops.ts";
import { activeWasmBackend, adopt, allocateLike, heapOf, offsetOf, ownData } from "./wasm-heap.ts";

const fr = Math.fround;

function adam(
  vars: tf.Variable[],
  grads: tf.Tensor[],
  m: tf.Variable[],
  v: tf.Variable[],
  c: AdamCoefficients,
): void {
  const backend = activeWasmBackend();
  for (const t of [...m, ...v]) ownData(backend, t);
  const outs = allocateLike(backend, vars);
  const heap = new Float32Array(heapOf(backend)); // after the allocations, which may grow the heap
  // tfjs turns each JavaScript number into a float32 scalar tensor; so do these.
  const [b1, b2, omb1, omb2] = [fr(c.beta1), fr(c.beta2), fr(1 - c.beta1), fr(1 - c.beta2)];
  const [stepSize, epsHat] = [fr(c.stepSize), fr(c.epsHat)];
  for (let t = 0; t < vars.length; t++) {
    const p = offsetOf(backend, vars[t]) / 4;
    const g = offsetOf(backend, grads[t]) / 4;
    const mo = offsetOf(backend, m[t]) / 4;
    const vo = offsetOf(backend, v[t]) / 4;
    const out = offsetOf(backend, outs[t]) / 4;
    const n = vars[t].size;
    for (let i = 0; i < n; i++) {
      const gi = heap[g + i];
      const mi = fr(fr(heap[mo + i] * b1) + fr(gi * omb1));
      const vi = fr(fr(heap[vo + i] * b2) + fr(fr(gi * gi) * omb2));
      heap[mo + i] = mi;
      heap[vo + i] = vi;
      heap[out + i] = fr(heap[p + i] - fr(fr(mi / fr(fr(Math.sqrt(vi)) + epsHat)) * stepSize));
    }
  }
  adopt(vars, outs);
}

function globalNorm(tensors: tf.Tensor[]): tf.Scalar {
  const backend = activeWasmBackend();
  const heap = new Float32Array(heapOf(backend));
  let sum = 0;
  for (const t of tensors) {
    const start = offsetOf(backend, t) / 4;
    for (let i = start, end = start + t.size; i < end; i++) sum += heap[i] * heap[i];
  }
  return scalar(Math.sqrt(sum));
}

export const wasmInPlaceOps: FusedOps = { adam, globalNorm };
