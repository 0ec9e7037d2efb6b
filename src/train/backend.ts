/**
 * The one place that chooses and prepares the tfjs backend. Everything else in the trainer is
 * backend-agnostic tfjs code, so a faster kernel path (re-registered matMuls, a native addon) can be
 * swapped in here without touching the models or the loop.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { installFastMatMul } from "./fast-matmul.ts";

let ready: Promise<void> | undefined;

/**
 * Select the wasm backend once per process (SIMD on; threads are off under Node). Later calls wait for
 * the first.
 */
export function initBackend(): Promise<void> {
  ready ??= (async () => {
    const ok = await tf.setBackend("wasm");
    if (!ok) throw new Error('the tfjs "wasm" backend failed to initialise');
    await tf.ready();
    installFastMatMul();
  })();
  return ready;
}

export { tf };
