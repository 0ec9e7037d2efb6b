/**
 * The one place that chooses and prepares the tfjs backend. Everything else in the trainer is
 * backend-agnostic tfjs code plus optional fused operations (fused-ops.ts) installed here, so the models
 * and the loop never know which configuration runs them. Three configurations, all on tfjs-wasm:
 *
 *   native      matrix products, relu MLPs and dense layers, Adam, the gradient norm and the noise
 *               draws in the native addon (native/, see its README), reading and writing tensors in
 *               the wasm heap in place. The fastest; needs the addon built (npm install does it) and
 *               a CPU with AVX2 + FMA.
 *   wasm        tfjs-wasm with transpose-first matMuls (fast-matmul.ts), Adam and the norm in
 *               JavaScript over the heap (wasm-in-place.ts) and clones that share data instead of
 *               copying it (sharing-identity.ts; native does the same). The automatic fallback.
 *   wasm-plain  tfjs-wasm exactly as shipped: the reference the others are tested against.
 *
 * All three give the same losses up to float32 summation order in matrix products, and each is
 * deterministic: the same seed gives the same run bit for bit. Choose with initBackend({ mode }) or the
 * environment variable NASHBOARD_BACKEND; the default, "auto", is native when available, else wasm.
 * NASHBOARD_THREADS sets the native matrix products' thread count (default 1, see DEFAULT_THREADS);
 * NASHBOARD_NATIVE=0 leaves the addon unloaded (native/addon.ts), so "auto" is wasm.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { guardAllocations } from "./allocation-guard.ts";
import { transposingMatMul } from "./fast-matmul.ts";
import { setFusedOps } from "./fused-ops.ts";
import { loadNativeAddon } from "./native/addon.ts";
import { DENSE_KERNEL_NAMES, denseKernels, registerDenseGradient } from "./native/dense-kernels.ts";
import { nativeMatMul } from "./native/matmul-kernels.ts";
import { registeredMlpKernels, useMlpKernels } from "./native/mlp-kernels.ts";
import { nativeOps } from "./native/native-ops.ts";
import { sharingIdentity } from "./sharing-identity.ts";
import type { WasmBackend } from "./wasm-heap.ts";
import { wasmInPlaceOps } from "./wasm-in-place.ts";

export const BACKEND_MODES = ["native", "wasm", "wasm-plain"] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/**
 * One thread: on a shared 2-core machine a second thread that the OS does not schedule promptly stalls
 * the product it took a chunk of (measured: 2 threads 10-30% slower than 1 under load, native/README.md),
 * while one thread already does the step's products at ~100 GFLOP/s. NASHBOARD_THREADS=2 pays on an
 * idle machine.
 */
const DEFAULT_THREADS = 1;

export interface BackendOptions {
  /** Default: NASHBOARD_BACKEND, else "auto" (native when available, else wasm). */
  mode?: BackendMode | "auto";
  /** Native matrix-product threads. Default: NASHBOARD_THREADS, else 1. */
  threads?: number;
}

export interface BackendStatus {
  mode: BackendMode;
  /** Threads in native matrix products (1 outside "native"). */
  threads: number;
  /** Why "native" was not used, when it was requested or tried automatically. */
  note?: string;
}

let ready: Promise<void> | undefined;
let current: (BackendStatus & { requested: BackendMode | "auto"; threadsRequested: number }) | undefined;

/**
 * Select the wasm backend once per process (SIMD on; threads are off under Node) and the configuration.
 * A later call with a mode or a thread count switches to it; a call without keeps the current one.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendStatus> {
  ready ??= (async () => {
    const ok = await tf.setBackend("wasm");
    if (!ok) throw new Error('the tfjs "wasm" backend failed to initialise');
    await tf.ready();
    guardAllocations((tf.backend() as unknown as WasmBackend).wasm);
  })();
  await ready;
  const requested = options.mode ?? current?.requested ?? modeFromEnv();
  const threads = options.threads ?? current?.threadsRequested ?? threadsFromEnv();
  if (current?.requested !== requested || current.threadsRequested !== threads) {
    current = { ...install(requested, threads), requested, threadsRequested: threads };
  }
  const { requested: _, threadsRequested: __, ...status } = current;
  return status;
}

/** The configuration in use, once initBackend has run. */
export function backendStatus(): BackendStatus | undefined {
  if (!current) return undefined;
  const { requested: _, threadsRequested: __, ...status } = current;
  return status;
}

function modeFromEnv(): BackendMode | "auto" {
  const value = process.env.NASHBOARD_BACKEND;
  if (value === undefined || value === "" || value === "auto") return "auto";
  if ((BACKEND_MODES as readonly string[]).includes(value)) return value as BackendMode;
  throw new Error(`NASHBOARD_BACKEND must be one of auto, ${BACKEND_MODES.join(", ")}; got "${value}"`);
}

function threadsFromEnv(): number {
  const value = process.env.NASHBOARD_THREADS;
  if (value === undefined || value === "") return DEFAULT_THREADS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) {
    throw new Error(`NASHBOARD_THREADS must be an integer from 1 to 64; got "${value}"`);
  }
  return n;
}

/** tfjs-wasm's own kernels, captured before the first replacement. */
interface ShippedKernels {
  batchMatMul: tf.KernelConfig;
  fusedMatMul: tf.KernelConfig;
  identity: tf.KernelConfig;
  transpose: tf.KernelFunc;
}
let shipped: ShippedKernels | undefined;

function install(requested: BackendMode | "auto", threads: number): BackendStatus {
  shipped ??= {
    batchMatMul: tf.getKernel("BatchMatMul", "wasm"),
    fusedMatMul: tf.getKernel("_FusedMatMul", "wasm"),
    identity: tf.getKernel("Identity", "wasm"),
    transpose: tf.getKernel("Transpose", "wasm").kernelFunc,
  };
  const { batchMatMul, fusedMatMul, identity, transpose } = shipped;
  const load = requested === "native" || requested === "auto" ? loadNativeAddon() : undefined;
  for (const name of [...DENSE_KERNEL_NAMES, ...registeredMlpKernels]) unregister(name);
  registeredMlpKernels.clear();
  if (requested === "wasm-plain") {
    replace(batchMatMul);
    replace(fusedMatMul);
    replace(identity);
    setFusedOps({});
    return { mode: "wasm-plain", threads: 1 };
  }
  const transposing = (k: tf.KernelConfig) => transposingMatMul(k.kernelFunc, transpose);
  replace({ ...identity, kernelFunc: sharingIdentity(identity.kernelFunc) });
  if (!load?.addon) {
    replace({ ...batchMatMul, kernelFunc: transposing(batchMatMul) });
    replace({ ...fusedMatMul, kernelFunc: transposing(fusedMatMul) });
    setFusedOps(wasmInPlaceOps);
    return { mode: "wasm", threads: 1, ...(load ? { note: load.reason } : {}) };
  }
  const { addon } = load;
  replace({ ...batchMatMul, kernelFunc: nativeMatMul(addon, transposing(batchMatMul)) });
  replace({ ...fusedMatMul, kernelFunc: nativeMatMul(addon, transposing(fusedMatMul)) });
  for (const config of denseKernels(addon)) replace(config);
  registerDenseGradient();
  useMlpKernels(addon);
  setFusedOps(nativeOps(addon));
  return { mode: "native", threads: addon.setThreads(threads) };
}

function unregister(name: string): void {
  if (tf.getKernel(name, "wasm") !== undefined) tf.unregisterKernel(name, "wasm");
}

function replace(config: tf.KernelConfig): void {
  unregister(config.kernelName);
  tf.registerKernel(config);
}

export { tf };
