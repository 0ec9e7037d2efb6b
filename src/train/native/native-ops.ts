/**
 * The fused operations of the "native" backend configuration: relu MLPs and dense layers through the
 * native SGEMM (mlp-kernels.ts, dense-kernels.ts), and Adam and the gradient norm as one native pass per tensor over the wasm heap.
 * Adam keeps the plain expression's float32 roundings (native/src/elementwise.cc), so it matches the
 * plain optimizer bit for bit; moments in place, new data for the variables (see FusedOps.adam). Noise
 * draws run natively too (native/src/normal.cc), the same numbers as Rng.fillNormal.
 */
import type * as tf from "@tensorflow/tfjs-core";
import { scalar } from "@tensorflow/tfjs-core";
import type { Rng } from "../../rng.ts";
import type { AdamCoefficients, FusedOps } from "../fused-ops.ts";
import { activeWasmBackend, adopt, allocateLike, bytesOf, heapOf, offsetOf, ownData } from "../wasm-heap.ts";
import type { NativeAddon } from "./addon.ts";
import { denseOp } from "./dense-kernels.ts";
import { mlpOp } from "./mlp-kernels.ts";

export function nativeOps(addon: NativeAddon): FusedOps {
  const adam = (
    vars: tf.Variable[],
    grads: tf.Tensor[],
    m: tf.Variable[],
    v: tf.Variable[],
    c: AdamCoefficients,
  ): void => {
    const backend = activeWasmBackend();
    for (const t of [...m, ...v]) ownData(backend, t);
    const outs = allocateLike(backend, vars);
    const heap = heapOf(backend); // after the allocations, which may grow the heap
    for (let t = 0; t < vars.length; t++) {
      addon.adam(
        heap,
        offsetOf(backend, vars[t]),
        bytesOf(vars[t]),
        offsetOf(backend, grads[t]),
        bytesOf(grads[t]),
        offsetOf(backend, m[t]),
        bytesOf(m[t]),
        offsetOf(backend, v[t]),
        bytesOf(v[t]),
        offsetOf(backend, outs[t]),
        bytesOf(outs[t]),
        vars[t].size,
        c.beta1,
        c.beta2,
        c.stepSize,
        c.epsHat,
        1 - c.beta1,
        1 - c.beta2,
      );
    }
    adopt(vars, outs);
  };
  const globalNorm = (tensors: tf.Tensor[]): tf.Scalar => {
    const backend = activeWasmBackend();
    const heap = heapOf(backend);
    let sum = 0;
    for (const t of tensors) sum += addon.sumSquares(heap, offsetOf(backend, t), bytesOf(t), t.size);
    return scalar(Math.sqrt(sum));
  };
  const words = new Int32Array(4);
  const fillNormal = (rng: Rng, out: Float32Array, std = 1): Float32Array => {
    const { s, spare } = rng.state();
    words.set(s);
    const next = addon.fillNormal(out, words, spare, std);
    // Rng keeps its words as JavaScript's bit operations leave them (int32) after any draw, and as
    // given before the first one: keep `s` itself when nothing was drawn, so state() reads the same.
    const drew = words.some((w, i) => w !== (s[i] | 0));
    rng.restore({ s: drew ? [words[0], words[1], words[2], words[3]] : s, spare: next });
    return out;
  };
  return { reluMlp: mlpOp, dense: denseOp, adam, globalNorm, fillNormal };
}
