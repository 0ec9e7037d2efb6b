/**
 * A whole ReLU MLP (hidden layers relu, last layer linear) as one native kernel, forward and backward.
 * For the benchmark's 3-layer networks this replaces, per application under a gradient, 3 forward ops
 * and about 10 backward ops (each with tfjs's dispatch, tape and saved-tensor bookkeeping) with 1
 * forward op and 2 to 4 backward ones; the arithmetic is the same matrix products.
 *
 * Forward: NashboardMlp<L> {x, w0, b0, ..., w<L-1>, b<L-1>} -> y. The backward pass needs each hidden
 * layer's output h_l, but extra kernel outputs would cost more than they save (tfjs fills an unused
 * output's gradient with a zero tensor built in JavaScript), so the h_l live in the same heap block as
 * y, after it: one malloc, freed with y, alive exactly as long as y's data, which the gradient saves
 * (the saved "copy" is y's data itself, because backend.ts installs a sharing Identity with this op).
 * Backward, in the gradient function: one NashboardMlpDeltas op computes every layer's output gradient
 * dz_l from dy (dz_{l-1} = dz_l w_lᵀ * step(h_l)) together with each layer's bias gradient (a column
 * sum, nearly free next to the product); then, lazily, only what tfjs asks for: x's gradient dz_0 w_0ᵀ
 * and each weight's gradient x_lᵀ dz_l. So D's weights cost nothing during a generator update.
 *
 * One kernel name per depth, because a gradient's saved inputs are declared per kernel.
 */

import type { KernelFunc, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import * as tf from "@tensorflow/tfjs-core";
import { bytesOf, heapOf, offsetOf, type WasmBackend } from "../wasm-heap.ts";
import type { NativeAddon } from "./addon.ts";

/** tfjs's gradient map (input name -> its gradient, computed on demand); not exported by tfjs-core. */
type NamedGradientMap = Record<string, () => tf.Tensor>;

export const MLP_DELTAS = "NashboardMlpDeltas";
export const MLP_WEIGHT_GRAD = "NashboardMlpWeightGrad";
const mlpKernelName = (layers: number) => `NashboardMlp${layers}`;

/** The kernel names registered so far (backend.ts unregisters them when it leaves "native"). */
export const registeredMlpKernels = new Set<string>();

let addonInUse: NativeAddon | undefined;

/** Makes the MLP kernels use `addon` (backend.ts, when it selects "native"). */
export function useMlpKernels(addon: NativeAddon): void {
  addonInUse = addon;
  for (const [kernelName, kernelFunc] of [
    [MLP_DELTAS, deltasKernel],
    [MLP_WEIGHT_GRAD, weightGradKernel],
  ] as const) {
    if (tf.getKernel(kernelName, "wasm") === undefined)
      tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc });
    registeredMlpKernels.add(kernelName);
  }
}

function native(): NativeAddon {
  if (!addonInUse) throw new Error("the native MLP kernels are used without the native addon");
  return addonInUse;
}

/** y = layer_{L-1}(relu(... relu(layer_0(x)))), layer_l(h) = h w_l + b_l, as one differentiable op. */
export function mlpOp(x: tf.Tensor2D, layers: { w: tf.Tensor2D; b: tf.Tensor1D }[]): tf.Tensor2D {
  const name = ensureKernel(layers.length);
  const inputs: Record<string, tf.Tensor> = { x };
  for (const [l, { w, b }] of layers.entries()) {
    inputs[`w${l}`] = w;
    inputs[`b${l}`] = b;
  }
  return tf.engine().runKernel(name, inputs, { layers: layers.length });
}

function ensureKernel(layers: number): string {
  const name = mlpKernelName(layers);
  if (registeredMlpKernels.has(name)) return name;
  tf.registerKernel({ kernelName: name, backendName: "wasm", kernelFunc: forwardKernel });
  if (tf.getGradient(name) === undefined) {
    tf.registerGradient({
      kernelName: name,
      inputsToSave: ["x", ...Array.from({ length: layers }, (_, l) => `w${l}`)],
      outputsToSave: [true],
      gradFunc: mlpGradient,
    });
  }
  registeredMlpKernels.add(name);
  return name;
}

const forwardKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const layers = (attrs as { layers: number }).layers;
  const wasm = backend as WasmBackend;
  const x = inputs.x as TensorInfo;
  const n = x.shape[0];
  const widths = [x.shape[1]];
  for (let l = 0; l < layers; l++) {
    const w = inputs[`w${l}`] as TensorInfo;
    if (w.shape[0] !== widths[l] || (inputs[`b${l}`] as TensorInfo).shape[0] !== w.shape[1]) {
      throw new Error(
        `NashboardMlp: layer ${l}'s weights ${w.shape} do not take inputs of width ${widths[l]}`,
      );
    }
    widths.push(w.shape[1]);
  }
  // One block: y first (so freeing y frees the block), then h_1 .. h_{L-1}. The backend's _malloc is
  // guarded (allocation-guard.ts): a block the heap cannot hold throws instead of returning offset 0.
  const hiddenFloats = widths.slice(1, layers).reduce((a, w) => a + n * w, 0);
  const block = wasm.wasm._malloc((n * widths[layers] + hiddenFloats) * 4) >>> 0;
  const y = wasm.makeOutput([n, widths[layers]], "float32", block);
  const heap = heapOf(wasm); // after the allocation
  let input = offsetOf(wasm, x);
  let inputBytes = bytesOf(x);
  let hidden = block + n * widths[layers] * 4;
  for (let l = 0; l < layers; l++) {
    const last = l + 1 === layers;
    const out = last ? block : hidden;
    const outBytes = n * widths[l + 1] * 4; // this layer's part of the block
    const w = inputs[`w${l}`] as TensorInfo;
    const b = inputs[`b${l}`] as TensorInfo;
    native().gemm(
      heap,
      input,
      inputBytes,
      offsetOf(wasm, w),
      bytesOf(w),
      out,
      outBytes,
      offsetOf(wasm, b),
      bytesOf(b),
      n,
      widths[l + 1],
      widths[l],
      last ? 0 : 4,
    );
    input = out;
    inputBytes = outBytes;
    hidden += outBytes;
  }
  return y;
};

/**
 * {dy, y, w1..w<L-1>} -> [dz_0, ..., dz_{L-2}, db_0, ..., db_{L-1}]; dz_{L-1} is dy itself, and the
 * h_l are read from y's block (see above).
 */
const deltasKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const layers = (attrs as { layers: number }).layers;
  const wasm = backend as WasmBackend;
  const dy = inputs.dy as TensorInfo;
  const y = inputs.y as TensorInfo;
  const n = dy.shape[0];
  const widths: number[] = []; // widths[l] = width of h_l = input width of layer l (l >= 1)
  for (let l = 1; l < layers; l++) widths[l] = (inputs[`w${l}`] as TensorInfo).shape[0];
  const dz: TensorInfo[] = [];
  for (let l = 0; l + 1 < layers; l++) dz[l] = wasm.makeOutput([n, widths[l + 1]], "float32");
  dz[layers - 1] = dy;
  const db = dz.map((d) => wasm.makeOutput([d.shape[1]], "float32"));
  const heap = heapOf(wasm);
  const hOffset: number[] = [];
  let at = offsetOf(wasm, y) + n * y.shape[1] * 4;
  for (let l = 1; l < layers; l++) {
    hOffset[l] = at;
    at += n * widths[l] * 4;
  }
  const addon = native();
  for (let l = layers - 1; l >= 1; l--) {
    const w = inputs[`w${l}`] as TensorInfo; // [in, out]: dz_{l-1} = (dz_l w_lᵀ) * step(h_l)
    const [inWidth, outWidth] = w.shape;
    addon.gemm(
      heap,
      offsetOf(wasm, dz[l]),
      bytesOf(dz[l]),
      offsetOf(wasm, w),
      bytesOf(w),
      offsetOf(wasm, dz[l - 1]),
      bytesOf(dz[l - 1]),
      -1,
      0,
      n,
      inWidth,
      outWidth,
      2,
      hOffset[l],
      n * widths[l] * 4,
    );
  }
  for (let l = 0; l < layers; l++) {
    const [d, b] = [dz[l], db[l]];
    addon.columnSum(heap, offsetOf(wasm, d), bytesOf(d), offsetOf(wasm, b), bytesOf(b), n, d.shape[1]);
  }
  return [...dz.slice(0, layers - 1), ...db];
};

function mlpGradient(dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: NamedAttrMap): NamedGradientMap {
  const layers = attrs.layers as number;
  const x = saved[0] as tf.Tensor2D;
  const w = saved.slice(1, 1 + layers) as tf.Tensor2D[];
  const y = saved[1 + layers];
  const inputs: Record<string, tf.Tensor> = { dy: dy as tf.Tensor, y };
  for (let l = 1; l < layers; l++) inputs[`w${l}`] = w[l];
  // Made here, once, for all the closures below; the gradient scope disposes what they do not return.
  const outs = tf.engine().runKernel(MLP_DELTAS, inputs, { layers }) as tf.Tensor[];
  const dz = [...outs.slice(0, layers - 1), dy] as tf.Tensor2D[];
  const db = outs.slice(layers - 1);
  const grads: NamedGradientMap = { x: () => tf.matMul(dz[0], w[0], false, true) };
  // h_l's place in y's block, in floats from its start: after y, then h_1 .. h_{l-1}.
  let hOffset = y.size;
  for (let l = 0; l < layers; l++) {
    const offset = hOffset;
    grads[`w${l}`] = () =>
      l === 0
        ? tf.matMul(x, dz[0], true, false)
        : tf.engine().runKernel(MLP_WEIGHT_GRAD, { y, dz: dz[l] }, { offset, width: w[l].shape[0] });
    grads[`b${l}`] = () => db[l];
    if (l > 0) hOffset += x.shape[0] * w[l].shape[0];
  }
  return grads;
}

/** {y, dz [n, out]}, {offset, width} -> h_lᵀ dz [width, out], h_l being [n, width] at `offset` in y's block. */
const weightGradKernel: KernelFunc = ({ inputs, backend, attrs }) => {
  const { offset, width } = attrs as { offset: number; width: number };
  const wasm = backend as WasmBackend;
  const y = inputs.y as TensorInfo;
  const dz = inputs.dz as TensorInfo;
  const [n, out] = dz.shape;
  const dw = wasm.makeOutput([width, out], "float32");
  const heap = heapOf(wasm);
  native().gemm(
    heap,
    offsetOf(wasm, y) + offset * 4,
    n * width * 4,
    offsetOf(wasm, dz),
    bytesOf(dz),
    offsetOf(wasm, dw),
    bytesOf(dw),
    -1,
    0,
    width,
    out,
    n,
    1,
  );
  return dw;
};
