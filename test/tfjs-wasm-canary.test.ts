/**
 * The canary for the tfjs-wasm internals that the in-place kernels rely on: the native addon's glue
 * (src/train/native/), the wasm configuration's Adam (wasm-in-place.ts), the sharing Identity, the
 * allocation guard and wasm-heap.ts all reach into tfjs-backend-wasm's BackendWasm, which has no public
 * typings and promises nothing. package.json pins tfjs exactly; this file fails loudly, naming the
 * assumption, when an install brings anything else. After an upgrade: check each assumption below
 * against the new tfjs, then update VERIFIED (the versions and the files' sha256).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { before, test } from "node:test";
import { BackendOutOfMemory } from "../src/train/allocation-guard.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { bytesOf, isWasmBackend, offsetOf, sharersOf, type WasmBackend } from "../src/train/wasm-heap.ts";

/** What the in-place code was last verified against. */
const VERIFIED = {
  version: "4.22.0",
  sha256: {
    // the backend's JavaScript, Emscripten's glue included (BackendWasm, HEAPU8, _malloc, memory growth)
    "dist/tf-backend-wasm.node.js": "296e0807192bf27c560eab3fadca612655ef94e7af550f737b03ddb11af3c6ce",
    // the module Node loads (SIMD), and the one for a CPU without SIMD
    "dist/tfjs-backend-wasm-simd.wasm": "77ebb28a6d34f371dbbf2086b7f2de8994acd8ea5a3cf1fa24d2c26c840cac7b",
    "dist/tfjs-backend-wasm.wasm": "70a5d516060464e5269f01c74bac1772d6b8ab6cb612acf16b5cdaf61f78d892",
  },
};
const UPGRADE =
  "tfjs-backend-wasm changed: re-check the assumptions in test/tfjs-wasm-canary.test.ts, then VERIFIED";

const require = createRequire(import.meta.url);
const wasmPackage = dirname(dirname(require.resolve("@tensorflow/tfjs-backend-wasm")));
const corePackage = dirname(dirname(require.resolve("@tensorflow/tfjs-core")));
const versionOf = (dir: string) => JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;

let backend: WasmBackend;
before(async () => {
  // tfjs exactly as shipped: none of this project's kernels in between
  await initBackend({ mode: "wasm-plain" });
  const b = tf.backend();
  assert.ok(isWasmBackend(b), "the wasm backend has wasm.HEAPU8, dataIdMap and makeOutput");
  backend = b;
});

test("the installed tfjs is the verified version, and package.json pins exactly that", () => {
  const pinned = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).dependencies;
  for (const [name, dir] of [
    ["@tensorflow/tfjs-backend-wasm", wasmPackage],
    ["@tensorflow/tfjs-core", corePackage],
  ]) {
    assert.equal(
      pinned[name],
      VERIFIED.version,
      `${name} must be pinned to ${VERIFIED.version}, not a range`,
    );
    assert.equal(versionOf(dir), VERIFIED.version, `installed ${name}: ${UPGRADE}`);
  }
});

test("the backend's JavaScript and wasm modules are the verified ones, byte for byte", () => {
  for (const [file, sha256] of Object.entries(VERIFIED.sha256)) {
    const actual = createHash("sha256")
      .update(readFileSync(join(wasmPackage, file)))
      .digest("hex");
    assert.equal(actual, sha256, `${file}: ${UPGRADE}`);
  }
});

test("a float32 tensor's data is its values, contiguous and 4-aligned, at the offset dataIdMap records", () => {
  const values = [1.5, -2, 3, 4.25, Number.NaN];
  const t = tf.tensor1d(values);
  const offset = offsetOf(backend, t);
  assert.equal(offset % 4, 0, "aligned for float access");
  assert.equal(bytesOf(t), values.length * 4);
  const heap = new Float32Array(backend.wasm.HEAPU8.buffer, offset, values.length);
  assert.deepEqual(Array.from(heap), values, "little-endian float32 in the heap, as the kernels read it");
  // and writing there is what the tensor holds: the in-place kernels' whole premise
  heap[0] = 9;
  assert.equal(t.dataSync()[0], 9);
  t.dispose();
});

test("makeOutput adopts a block from the module's malloc, and disposing the tensor frees that block", () => {
  const wasm = backend.wasm as WasmBackend["wasm"] & { _free(offset: number): void };
  const block = wasm._malloc(16) >>> 0;
  new Float32Array(wasm.HEAPU8.buffer, block, 4).set([1, 2, 3, 4]);
  const info = backend.makeOutput([4], "float32", block);
  const entry = backend.dataIdMap.get(info.dataId);
  assert.deepEqual([entry?.memoryOffset, entry?.refCount], [block, 1], "the block is the tensor's data");
  const t = tf.engine().makeTensorFromTensorInfo(info);
  assert.deepEqual(Array.from(t.dataSync()), [1, 2, 3, 4]);
  const freed: number[] = [];
  const free = wasm._free;
  wasm._free = (offset: number) => {
    freed.push(offset);
    free.call(wasm, offset);
  };
  try {
    t.dispose();
  } finally {
    wasm._free = free;
  }
  assert.deepEqual(freed, [block], "the native MLP's block (y and the hidden layers) is freed with y");
  assert.equal(backend.dataIdMap.has(info.dataId), false);
});

test("a shared tensor's data counts its sharers, and is freed only with the last", () => {
  const t = tf.tensor1d([1, 2]);
  backend.incRef(t.dataId);
  assert.equal(sharersOf(backend, t), 2, "sharing Identity and ownData read this count");
  assert.equal(backend.disposeData(t.dataId), false, "still shared");
  assert.equal(sharersOf(backend, t), 1);
  t.dispose();
  assert.equal(backend.dataIdMap.has(t.dataId), false, "freed with the last");
});

test("when the heap grows, HEAPU8 moves to the new memory and the old buffer is detached", () => {
  const before = backend.wasm.HEAPU8.buffer;
  const size = before.byteLength; // one more heap's worth of floats cannot fit without growing
  const big = tf.zeros([size / 4 + 1024]);
  const after = backend.wasm.HEAPU8.buffer;
  assert.notEqual(after, before, "a new ArrayBuffer: heapOf must be read after a kernel's allocations");
  assert.equal(before.byteLength, 0, "the old one is detached");
  assert.ok(offsetOf(backend, big) + bytesOf(big) <= after.byteLength);
  big.dispose();
});

test("the kernels the fast paths wrap exist under their names, and malloc is the guarded one", () => {
  for (const name of ["BatchMatMul", "_FusedMatMul", "Identity", "Transpose"]) {
    assert.ok(tf.getKernel(name, "wasm"), `${name}: backend.ts replaces it`);
  }
  // Emscripten's _malloc stub replaced itself with the raw export; the guard must still be in front
  assert.throws(() => backend.wasm._malloc(2 ** 33), BackendOutOfMemory);
  assert.ok(Object.getOwnPropertyDescriptor(backend.wasm, "_malloc")?.get, "allocation-guard's accessor");
});
