/**
 * Where tfjs-wasm keeps a tensor: every tensor's data lives in the wasm module's linear memory, at an
 * offset the backend records per data id. Native kernels read and write that memory directly.
 *
 * The memory's ArrayBuffer is replaced whenever wasm grows its heap (a malloc can do it), so `heapOf`
 * must be called after a kernel has allocated its outputs, never cached across allocations.
 */
import {
  backend,
  engine,
  getBackend,
  type Tensor,
  type TensorInfo,
  tensor,
  type Variable,
} from "@tensorflow/tfjs-core";

/** The parts of tfjs-wasm's BackendWasm the native kernels use (not in its public typings). */
export interface WasmBackend {
  wasm: { HEAPU8: Uint8Array; _malloc(bytes: number): number };
  /** get() of an unknown id asks the engine to move the data in (and fails): has() first when unsure. */
  dataIdMap: {
    get(dataId: object): { memoryOffset: number; refCount: number } | undefined;
    has(dataId: object): boolean;
  };
  /** A new tensor's data: allocated, or (with memoryOffset) a block already allocated, freed with it. */
  makeOutput(shape: number[], dtype: "float32", memoryOffset?: number): TensorInfo;
  /** One more sharer of the data (tfjs-wasm's Reshape does this; so does the sharing Identity). */
  incRef(dataId: object): void;
  disposeData(dataId: object): boolean;
}

export function heapOf(backend: WasmBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Byte offset of a tensor's data in the heap. */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (data === undefined) throw new Error("tensor data is not on the wasm backend (disposed?)");
  return data.memoryOffset;
}

/**
 * The bytes a float32 tensor's data holds, from its shape: what the native kernels are told they may
 * touch from its offset (they refuse a size that would reach past it, native/src/addon.cc).
 */
export function bytesOf(t: TensorInfo): number {
  let size = 4;
  for (const d of t.shape) size *= d;
  return size;
}

/** How many tensors share this tensor's data (tfjs shares data between a tensor, its clones and reshapes). */
export function sharersOf(backend: WasmBackend, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)?.refCount ?? 0;
}

export function isWasmBackend(backend: unknown): backend is WasmBackend {
  const b = backend as Partial<WasmBackend>;
  return (
    typeof b?.makeOutput === "function" && b.wasm?.HEAPU8 instanceof Uint8Array && b.dataIdMap !== undefined
  );
}

/**
 * Makes `v` the only owner of its data, so writing that data in place changes no other tensor. tfjs
 * shares data between a variable and the tensor it was made from or last assigned; a shared variable
 * gets a private copy first (a rare, one-time cost).
 */
export function ownData(backend: WasmBackend, v: Variable): void {
  if (sharersOf(backend, v) <= 1) return;
  const copy = tensor(v.dataSync(), v.shape, "float32");
  v.assign(copy);
  copy.dispose();
}

/** The active tfjs backend as the wasm backend, or an error naming what runs instead. */
export function activeWasmBackend(): WasmBackend {
  const b = backend();
  if (!isWasmBackend(b)) throw new Error(`in-place kernels need the wasm backend, not "${getBackend()}"`);
  return b;
}

/**
 * New float32 tensors shaped like `likes`, allocated in the heap for a kernel to fill; `adopt` then
 * hands each to its variable (assign), leaving no extra reference behind.
 */
export function allocateLike(backend: WasmBackend, likes: readonly Tensor[]): TensorInfo[] {
  return likes.map((t) => backend.makeOutput(t.shape, "float32"));
}

export function adopt(vars: readonly Variable[], infos: readonly TensorInfo[]): void {
  for (const [i, v] of vars.entries()) {
    const t = engine().makeTensorFromTensorInfo(infos[i]);
    v.assign(t);
    t.dispose();
  }
}
