/**
 * tfjs-wasm's matMul takes XNNPACK's fast path only when neither operand is transposed; with a transpose
 * (every backward pass: dW = xᵀ·dy, dx = dy·Wᵀ) it falls back to a loop ~10x slower. These wrappers
 * re-register the wasm `BatchMatMul` and `_FusedMatMul` kernels so that a transposed operand is first
 * copied in transposed layout (cheap, memory-bound) and the product then runs untransposed. Same
 * numbers up to float32 summation order, several times faster.
 */
import {
  getKernel,
  type KernelConfig,
  type KernelFunc,
  registerKernel,
  type TensorInfo,
  unregisterKernel,
} from "@tensorflow/tfjs-core";

interface WasmBackendLike {
  disposeData(dataId: object): void;
}

let installed = false;

export function installFastMatMul(): void {
  if (installed) return;
  installed = true;
  const transpose = getKernel("Transpose", "wasm").kernelFunc;
  for (const name of ["BatchMatMul", "_FusedMatMul"]) {
    const original: KernelConfig = getKernel(name, "wasm");
    const kernelFunc: KernelFunc = (args) => {
      const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return original.kernelFunc(args);
      const backend = args.backend as unknown as WasmBackendLike;
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
      const result = original.kernelFunc({
        ...args,
        inputs,
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
      for (const t of temporaries) backend.disposeData(t.dataId);
      return result;
    };
    unregisterKernel(name, "wasm");
    registerKernel({ ...original, kernelFunc });
  }
}
