/**
 * Makes tfjs able to differentiate. `@tensorflow/tfjs-core`'s Node bundle registers kernels' forward
 * code only: the gradient functions live in its unbundled ESM build (`dist/register_all_gradients`),
 * which the union package `@tensorflow/tfjs` imports and which this project does not depend on. Without
 * them every `tf.grad` / `tf.variableGrads` throws "gradient function not found for Sum".
 *
 * That ESM build uses extensionless and directory imports, which Node's ESM resolver refuses, so it is
 * loaded through `require` (CommonJS resolution accepts both; tsx, which runs this project, compiles
 * the ESM syntax on the way). It loads a second copy of tfjs-core's modules, which is harmless because
 * tfjs keeps its engine and its kernel and gradient registries on `globalThis`: the gradients land in
 * the registry the main bundle reads. Idempotent: does nothing when gradients are already registered
 * (by another module, or a future tfjs bundle that includes them). Call it before the first gradient.
 */
import { createRequire } from "node:module";
import * as tf from "@tensorflow/tfjs-core";

export function registerGradients(): void {
  if (tf.getGradient("BatchMatMul") !== undefined) return;
  createRequire(import.meta.url)("@tensorflow/tfjs-core/dist/register_all_gradients");
  if (tf.getGradient("BatchMatMul") === undefined) {
    throw new Error("tfjs gradient functions could not be registered: tf.grad would fail");
  }
}
