/**
 * The wasm backend's `BatchMatMul` and `_FusedMatMul` computed by the native SGEMM, reading the operands
 * and writing the product in the wasm heap (no copies). Transposed operands are handled by the kernel
 * itself (it reads A through strides and transposes B while packing it), so the backward pass costs
 * the same as the forward one. What the native kernel does not cover (non-float32 data, activations
 * other than linear and relu, a bias that is not one value per column, batch shapes that broadcast
 * other than 1-against-n) goes to `fallback`, the kernel registered before.
 */
import { backend_util, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import { bytesOf, heapOf, offsetOf, type WasmBackend } from "../wasm-heap.ts";
import type { NativeAddon } from "./addon.ts";

interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
  activation?: string;
}

export function nativeMatMul(addon: NativeAddon, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
    const { transposeA, transposeB, activation = "linear" } = args.attrs as unknown as MatMulAttrs;
    if (!a || !b || a.dtype !== "float32" || b.dtype !== "float32") return fallback(args);
    if (preluActivationWeights || (activation !== "linear" && activation !== "relu")) return fallback(args);
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    if (k !== kb) {
      throw new Error(
        `Error in matMul: inner shapes (${k}) and (${kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
      );
    }
    const outerA = a.shape.slice(0, -2);
    const outerB = b.shape.slice(0, -2);
    const batchA = sizeOf(outerA);
    const batchB = sizeOf(outerB);
    const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
    const batches = sizeOf(outer);
    // Only 1-against-n batches (or equal ones) map onto a flat loop; other broadcasts go to the fallback.
    if ((batchA !== 1 && batchA !== batches) || (batchB !== 1 && batchB !== batches)) return fallback(args);
    if (
      bias &&
      (bias.dtype !== "float32" || sizeOf(bias.shape) !== n || bias.shape[bias.shape.length - 1] !== n)
    )
      return fallback(args);

    const backend = args.backend as WasmBackend;
    const out = backend.makeOutput([...outer, m, n], "float32");
    const heap = heapOf(backend); // after the allocation, which may have grown the heap
    const [aOff, bOff, cOff] = [offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out)];
    const [aBytes, bBytes, cBytes] = [bytesOf(a), bytesOf(b), bytesOf(out)];
    const biasOff = bias ? offsetOf(backend, bias) : -1;
    const biasBytes = bias ? bytesOf(bias) : 0;
    const flags = (transposeA ? 1 : 0) | (transposeB ? 2 : 0) | (activation === "relu" ? 4 : 0);
    for (let i = 0; i < batches; i++) {
      // Batch i's matrices start inside their tensors; each may use the rest of its tensor, no more.
      const at = [(batchA === 1 ? 0 : i) * m * k * 4, (batchB === 1 ? 0 : i) * k * n * 4, i * m * n * 4];
      addon.gemm(
        heap,
        aOff + at[0],
        aBytes - at[0],
        bOff + at[1],
        bBytes - at[1],
        cOff + at[2],
        cBytes - at[2],
        biasOff,
        biasBytes,
        m,
        n,
        k,
        flags,
      );
    }
    return out;
  };
}

function sizeOf(shape: number[]): number {
  return shape.reduce((x, y) => x * y, 1);
}
