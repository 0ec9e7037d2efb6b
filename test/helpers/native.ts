/**
 * The native addon as the tests find it. CI runs the kernel tests twice (.ci/run): once with the addon
 * and once with NASHBOARD_NATIVE=0, on the wasm fallback. A test about the native path alone skips with
 * `skip: noNative` and says why; it never passes without running.
 */
import type { BackendMode } from "../../src/train/backend.ts";
import { loadNativeAddon } from "../../src/train/native/addon.ts";

export const nativeLoad = loadNativeAddon();

/** The fast configurations this machine offers: "wasm" always, "native" when the addon loads. */
export const fastModes: BackendMode[] = nativeLoad.addon ? ["wasm", "native"] : ["wasm"];

/** Why the native tests cannot run here, or undefined when they can. */
export const noNative: string | undefined = nativeLoad.addon
  ? undefined
  : `no native addon: ${nativeLoad.reason}`;
