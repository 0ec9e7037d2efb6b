/**
 * Loads the optional native addon (native/, built by the package's install script) and says why when it
 * cannot be used. The addon is an accelerator only: without it, or on a CPU without AVX2 + FMA, the
 * trainer runs on plain wasm and gives the same losses up to float32 summation order. NASHBOARD_NATIVE=0
 * leaves it unloaded, as it leaves it unbuilt at install: CI runs the kernel tests once so, on the wasm
 * fallback, on a machine that has the addon.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

/**
 * The addon's functions. Each tensor is passed as two numbers, its byte offset into `heap` (the wasm
 * backend's memory) and its byte length (wasm-heap.ts, bytesOf); the addon throws, touching nothing, when
 * a size would reach past a tensor or the heap, or overflows (native/src/addon.cc).
 */
export interface NativeAddon {
  supported(): boolean;
  /** Threads used by large matrix products (the calling one included); returns the count set. */
  setThreads(n: number): number;
  /**
   * c = act(op(a) op(b) + bias); flags: 1 transposeA, 2 transposeB, 4 relu; bias -1 for none. With
   * `mask` (an [m, n] tensor) the result is multiplied by step(mask): a ReLU's backward pass.
   */
  gemm(
    heap: ArrayBuffer,
    a: number,
    aBytes: number,
    b: number,
    bBytes: number,
    c: number,
    cBytes: number,
    bias: number,
    biasBytes: number,
    m: number,
    n: number,
    k: number,
    flags: number,
    mask?: number,
    maskBytes?: number,
  ): void;
  /** PyTorch's Adam on one tensor: m and v in place, new parameters to `out` (native/src/elementwise.h). */
  adam(
    heap: ArrayBuffer,
    p: number,
    pBytes: number,
    g: number,
    gBytes: number,
    m: number,
    mBytes: number,
    v: number,
    vBytes: number,
    out: number,
    outBytes: number,
    n: number,
    beta1: number,
    beta2: number,
    stepSize: number,
    epsHat: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
  ): void;
  sumSquares(heap: ArrayBuffer, x: number, xBytes: number, n: number): number;
  reluGrad(
    heap: ArrayBuffer,
    dy: number,
    dyBytes: number,
    y: number,
    yBytes: number,
    out: number,
    outBytes: number,
    n: number,
  ): void;
  columnSum(
    heap: ArrayBuffer,
    x: number,
    xBytes: number,
    out: number,
    outBytes: number,
    rows: number,
    cols: number,
  ): void;
  /**
   * Rng.fillNormal's draws into `out` (times `scale`), from the xoshiro state in `state` (advanced in
   * place) and the pending `spare` (NaN for none); returns the new spare (native/src/normal.h).
   */
  fillNormal(out: Float32Array, state: Int32Array, spare: number, scale: number): number;
  /** Whether fillNormal runs four pairs at a time (glibc's libmvec found at run time). */
  normalIsVectorised(): boolean;
}

export type AddonLoad = { addon: NativeAddon } | { addon?: undefined; reason: string };

const ADDON_PATH = fileURLToPath(
  new URL("../../../native/build/Release/nashboard_native.node", import.meta.url),
);
/** What native/build.mjs said at install time (why the addon is missing, when it is). */
const STATUS_PATH = fileURLToPath(new URL("../../../native/build/status.txt", import.meta.url));

let loaded: AddonLoad | undefined;

/** The addon, or the reason it is unavailable. Loaded once. */
export function loadNativeAddon(): AddonLoad {
  loaded ??= load();
  return loaded;
}

function load(): AddonLoad {
  if (process.env.NASHBOARD_NATIVE === "0") return { reason: "native addon disabled (NASHBOARD_NATIVE=0)" };
  if (process.arch !== "x64")
    return { reason: `the native kernels are x86-64 only (this is ${process.arch})` };
  if (!existsSync(ADDON_PATH)) {
    const why = existsSync(STATUS_PATH)
      ? readFileSync(STATUS_PATH, "utf8").trim()
      : "not built (npm install builds it)";
    return { reason: why.startsWith("native addon") ? why : `native addon: ${why}` };
  }
  try {
    const addon = createRequire(import.meta.url)(ADDON_PATH) as NativeAddon;
    if (!addon.supported()) return { reason: "this CPU lacks AVX2 + FMA, which the native kernels need" };
    return { addon };
  } catch (e) {
    return { reason: `the native addon failed to load: ${(e as Error).message.split("\n")[0]}` };
  }
}
