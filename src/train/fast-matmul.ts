/**
 * tfjs-wasm's matMul takes XNNPACK's fast path only when neither operand is transposed; with a transpose
 * (every backward pass: dW = xᵀ·dy, dx = dy·Wᵀ) it falls back to a loop ~10x slower. This wrapper
 * around the wasm `BatchMatMul` and `_FusedMatMul` kernels first copies a transposed operand in
 * transposed layout (cheap, memory-bound) and then runs the product untransposed. Same numbers up to
 * float32 summation order, several times faster. backend.ts registers it.
 */
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

interface WasmBackendLike {
  disposeData(dataId: object): void;
}

/** `original` (a wasm BatchMatMul or _FusedMatMul kernel) with transposes done up front by `transpose`. */
export function transposingMatMul(original: KernelFunc, transpose: KernelFunc): KernelFunc {
  return (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return original(args);
    const backend = args.backend as WasmBackendLike;
    const inputs = { ...args.inputs } as Record<string, TensorInfo>;
    const temporaries: TensorInfo[] = [];
    const flip = (t: TensorInfo): TensorInfo => {
      const rank = t.shape.length;
      const perm = [...Array(rank).keys()];
      [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
      const out = transpose({ inputs: { x: t }, backend: args.backend, attrs: { perm } }) as TensorInfo;
      temporaries.push(out);
      return out;
    };
    if (transposeA) inputs.a = flip(inputs.a);
    if (transposeB) inputs.b = flip(inputs.b);
    const result = original({
      ...args,
      inputs,
      attrs: { ...args.attrs, transposeA: false, transposeB: false },
    });
    for (const t of temporaries) backend.disposeData(t.dataId);
    return result;
  };
}
