/**
 * tfjs-wasm's Identity kernel copies its input. tfjs runs it for every tensor a gradient saves (a clone
 * per saved input or output: ~40 per benchmark step, up to 128 KB each), so the copies add up. This
 * Identity shares the data instead, as tfjs-wasm's own Reshape does (a reference count, no copy). That
 * is safe because tensors are immutable; the fused Adam, the one writer in place, first makes sure the
 * moments it writes own their data alone (wasm-heap.ts, ownData). The native MLP kernel relies on it:
 * the copy of its output that the gradient saves must be the output itself (mlp-kernels.ts).
 */
import type { KernelFunc, TensorInfo } from "@tensorflow/tfjs-core";

export function sharingIdentity(original: KernelFunc): KernelFunc {
  return (args) => {
    const x = args.inputs.x as TensorInfo;
    if (x.dtype === "string") return original(args);
    (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
