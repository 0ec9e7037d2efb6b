/**
 * Makes tfjs able to differentiate. `@tensorflow/tfjs-core`'s Node bundle registers kernels' forward
 * code only: the gradient functions live in its unbundled ESM build (`dist/register_all_gradients`),
 * which the union package `@tensorflow/tfjs` imports and which this project does not depend on. Without
 * them every `tf.grad` / `tf.variableGrads` throws "gradient function not found for Sum".
 *
 * That ESM build uses extensionless and directory imports (`import … from '../kernel_names'`), which
 * Node's ESM resolver refuses, in `.js` files that Node would otherwise load as CommonJS (the package
 * has no `"type": "module"`). Node's module hooks fix exactly that, for those files alone: a relative
 * specifier without an extension imported from tfjs-core's dist/ gets `.js` (or `/index.js`), and its
 * `.js` files other than the bundles load as ES modules. The same path runs from the TypeScript sources
 * (through tsx) and from the compiled package on plain Node, so the tests cover what users run.
 *
 * It loads a second copy of tfjs-core's modules, which is harmless because tfjs keeps its engine and its
 * kernel and gradient registries on `globalThis`: the gradients land in the registry the main bundle
 * reads. Idempotent: does nothing when gradients are already registered (by another module, or a future
 * tfjs bundle that includes them). Await it before the first gradient (the loss modules do, on load).
 */
import { register } from "node:module";
import * as tf from "@tensorflow/tfjs-core";

/** The hooks, as a module of their own (they run on Node's loader thread, not in this module). */
const TFJS_DIST_HOOKS = `
const DIST = "/node_modules/@tensorflow/tfjs-core/dist/";
const BUNDLE = /\\/tf-core[.\\w]*\\.js$/;
export async function resolve(specifier, context, next) {
  if (!context.parentURL?.includes(DIST) || !specifier.startsWith(".") || specifier.endsWith(".js"))
    return next(specifier, context);
  try {
    return await next(specifier + ".js", context);
  } catch {
    return next(specifier + "/index.js", context);
  }
}
export async function load(url, context, next) {
  if (url.includes(DIST) && url.endsWith(".js") && !BUNDLE.test(url))
    return next(url, { ...context, format: "module" });
  return next(url, context);
}`;

let hooked = false;

export async function registerGradients(): Promise<void> {
  if (tf.getGradient("BatchMatMul") !== undefined) return;
  if (!hooked) {
    register(`data:text/javascript,${encodeURIComponent(TFJS_DIST_HOOKS)}`);
    hooked = true;
  }
  await import("@tensorflow/tfjs-core/dist/register_all_gradients.js");
  if (tf.getGradient("BatchMatMul") === undefined) {
    throw new Error("tfjs gradient functions could not be registered: tf.grad would fail");
  }
}
