/**
 * A dense layer as one native kernel, act(x·w + b), with a gradient that does only what the backward
 * pass asks for. tfjs's own route is three ops forward (matMul, add, relu) and about eight backward;
 * tf.fused.matMul does not fuse relu under a gradient and computes every input's gradient eagerly.
 * Here the backward pass is one op for the activation, then each input's gradient lazily: tfjs calls
 * only the ones on the path to the variables, so D's weight gradients are never computed during a
 * generator update and the input gradient of a first layer never at all.
 *
 * Kernels (wasm backend only, registered by the native installer):
 *   NashboardDense     {x [n, in], w [in, out], b [out]}, {activation: "linear" | "relu"} -> [n, out]
 *   NashboardReluGrad  {dy, y} -> dy * step(y)          (y the relu's output)
 *   NashboardBiasGrad  {dy [n, out]} -> [out], summed over rows
 */

import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { bytesOf, heapOf, offsetOf, type WasmBackend } from "../wasm-heap.ts";
import type { NativeAddon } from "./addon.ts";

export const DENSE = "NashboardDense";
export const RELU_GRAD = "NashboardReluGrad";
export const BIAS_GRAD = "NashboardBiasGrad";
export const DENSE_KERNEL_NAMES = [DENSE, RELU_GRAD, BIAS_GRAD] as const;

export type DenseActivation = "linear" | "relu";

/** The three kernels' configs for the wasm backend. */
export function denseKernels(addon: NativeAddon): KernelConfig[] {
  const dense: KernelFunc = ({ inputs, backend, attrs }) => {
    const { x, w, b } = inputs as Record<string, TensorInfo>;
    const [n, k] = x.shape;
    const out = w.shape[1];
    if (x.shape.length !== 2 || w.shape[0] !== k || b.shape.length !== 1 || b.shape[0] !== out) {
      throw new Error(`${DENSE}: shapes x ${x.shape}, w ${w.shape}, b ${b.shape} do not make a dense layer`);
    }
    const wasm = backend as WasmBackend;
    const y = wasm.makeOutput([n, out], "float32");
    const relu = (attrs as { activation: DenseActivation }).activation === "relu";
    addon.gemm(
      heapOf(wasm),
      offsetOf(wasm, x),
      bytesOf(x),
      offsetOf(wasm, w),
      bytesOf(w),
      offsetOf(wasm, y),
      bytesOf(y),
      offsetOf(wasm, b),
      bytesOf(b),
      n,
      out,
      k,
      relu ? 4 : 0,
    );
    return y;
  };
  const reluGrad: KernelFunc = ({ inputs, backend }) => {
    const { dy, y } = inputs as Record<string, TensorInfo>;
    const wasm = backend as WasmBackend;
    const dz = wasm.makeOutput(dy.shape, "float32");
    const size = dy.shape.reduce((p, d) => p * d, 1);
    addon.reluGrad(
      heapOf(wasm),
      offsetOf(wasm, dy),
      bytesOf(dy),
      offsetOf(wasm, y),
      bytesOf(y),
      offsetOf(wasm, dz),
      bytesOf(dz),
      size,
    );
    return dz;
  };
  const biasGrad: KernelFunc = ({ inputs, backend }) => {
    const { dy } = inputs as Record<string, TensorInfo>;
    const [rows, cols] = dy.shape;
    const wasm = backend as WasmBackend;
    const db = wasm.makeOutput([cols], "float32");
    addon.columnSum(
      heapOf(wasm),
      offsetOf(wasm, dy),
      bytesOf(dy),
      offsetOf(wasm, db),
      bytesOf(db),
      rows,
      cols,
    );
    return db;
  };
  return [
    { kernelName: DENSE, backendName: "wasm", kernelFunc: dense },
    { kernelName: RELU_GRAD, backendName: "wasm", kernelFunc: reluGrad },
    { kernelName: BIAS_GRAD, backendName: "wasm", kernelFunc: biasGrad },
  ];
}

/** Registers NashboardDense's gradient (global in tfjs, so once per process). */
export function registerDenseGradient(): void {
  if (tf.getGradient(DENSE) !== undefined) return;
  tf.registerGradient({
    kernelName: DENSE,
    inputsToSave: ["x", "w"],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs: NamedAttrMap) => {
      const [x, w, y] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      // Computed once, here, and shared by the lazy closures below; the gradient scope disposes it.
      const dz: tf.Tensor2D =
        attrs.activation === "relu"
          ? tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, y })
          : (dy as tf.Tensor2D);
      return {
        x: () => tf.matMul(dz, w, false, true),
        w: () => tf.matMul(x, dz, true, false),
        b: () => tf.engine().runKernel(BIAS_GRAD, { dy: dz }),
      };
    },
  });
}

/** act(x·w + b) through NashboardDense (the kernel must be registered for the active backend). */
export function denseOp(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D,
  activation: DenseActivation,
): tf.Tensor2D {
  return tf.engine().runKernel(DENSE, { x, w, b }, { activation });
}
