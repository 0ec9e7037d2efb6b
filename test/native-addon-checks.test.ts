/**
 * The native addon trusts no size (native/src/addon.cc): each tensor comes with its byte length and must
 * hold what the kernel will touch, sizes are exact integers whose products cannot overflow, and a scratch
 * buffer it cannot allocate is an error. Each check is met here with a wrong size, which must end in a
 * clean exception that leaves the memory around it untouched, never a crash. The heap is a plain
 * ArrayBuffer: the addon reads whatever buffer it is given, so no tfjs is needed.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { failureOf } from "../src/cli/failure.ts";
import type { NativeAddon } from "../src/train/native/addon.ts";
import { nativeLoad, noNative } from "./helpers/native.ts";

const addon = nativeLoad.addon as NativeAddon;
const CHECK = { code: "ERR_NASHBOARD_NATIVE" };

/** A 4 KiB heap filled with a sentinel, so a write where none belongs shows. */
function heapOfSentinels(): { heap: ArrayBuffer; f: Float32Array } {
  const heap = new ArrayBuffer(4096);
  const f = new Float32Array(heap).fill(-7);
  return { heap, f };
}

test("a product on tensors of the right sizes computes, and one tensor too short for its sizes is refused", {
  skip: noNative,
}, () => {
  const { heap, f } = heapOfSentinels();
  // a [2, 3] at byte 0, b [3, 2] at byte 64, c [2, 2] at byte 128
  f.set([1, 2, 3, 4, 5, 6], 0);
  f.set([1, 0, 0, 1, 1, 1], 16);
  addon.gemm(heap, 0, 24, 64, 24, 128, 16, -1, 0, 2, 2, 3, 0);
  assert.deepEqual(Array.from(f.subarray(32, 36)), [4, 5, 10, 11]);
  assert.equal(f[36], -7, "nothing written past c");
  // The same call told that a holds 16 bytes: it would read 24, all inside the heap, which is all the
  // old check looked at.
  f.fill(-7, 32, 36);
  assert.throws(() => addon.gemm(heap, 0, 16, 64, 24, 128, 16, -1, 0, 2, 2, 3, 0), {
    ...CHECK,
    message: "tensor a holds 16 bytes; the kernel would touch 24",
  });
  assert.throws(() => addon.gemm(heap, 0, 24, 64, 24, 128, 12, -1, 0, 2, 2, 3, 0), {
    ...CHECK,
    message: "tensor c holds 12 bytes; the kernel would touch 16",
  });
  // a bias of one value for two columns, a ReLU mask of one row for two
  assert.throws(
    () => addon.gemm(heap, 0, 24, 64, 24, 128, 16, 256, 4, 2, 2, 3, 0),
    /tensor bias holds 4 bytes/,
  );
  assert.throws(
    () => addon.gemm(heap, 0, 24, 64, 24, 128, 16, -1, 0, 2, 2, 3, 0, 256, 8),
    /tensor mask holds 8 bytes; the kernel would touch 16/,
  );
  assert.deepEqual(Array.from(f.subarray(32, 36)), [-7, -7, -7, -7], "a refused product writes nothing");
});

test("a tensor reaching past the heap, starting before it or misaligned is refused", {
  skip: noNative,
}, () => {
  const { heap } = heapOfSentinels();
  const outside = /lies outside the wasm heap \(4096 bytes\) or is misaligned/;
  assert.throws(() => addon.gemm(heap, 4080, 24, 0, 24, 128, 16, -1, 0, 2, 2, 3, 0), outside);
  assert.throws(() => addon.gemm(heap, -8, 24, 0, 24, 128, 16, -1, 0, 2, 2, 3, 0), outside);
  assert.throws(() => addon.gemm(heap, 2, 24, 64, 24, 128, 16, -1, 0, 2, 2, 3, 0), outside);
  assert.throws(() => addon.sumSquares(heap, 0, 8192, 1), outside);
});

test("every element-wise kernel checks each of its tensors against its count", { skip: noNative }, () => {
  const { heap, f } = heapOfSentinels();
  const coefficients = [0.5, 0.999, 1e-3, 1e-8, 0.5, 0.001] as const;
  // Adam on 4 values whose `out` holds 3
  assert.throws(() => addon.adam(heap, 0, 16, 16, 16, 32, 16, 48, 16, 64, 12, 4, ...coefficients), {
    ...CHECK,
    message: "tensor out holds 12 bytes; the kernel would touch 16",
  });
  assert.throws(
    () => addon.adam(heap, 0, 16, 16, 8, 32, 16, 48, 16, 64, 16, 4, ...coefficients),
    /tensor g holds 8/,
  );
  assert.throws(() => addon.reluGrad(heap, 0, 16, 16, 12, 32, 16, 4), /tensor y holds 12 bytes/);
  assert.throws(
    () => addon.columnSum(heap, 0, 24, 64, 8, 2, 3),
    /tensor out holds 8 bytes; the kernel would touch 12/,
  );
  assert.throws(
    () => addon.columnSum(heap, 0, 20, 64, 12, 2, 3),
    /tensor x holds 20 bytes; the kernel would touch 24/,
  );
  assert.throws(() => addon.sumSquares(heap, 0, 12, 4), /tensor x holds 12 bytes/);
  assert.equal(f[16], -7, "a refused Adam moved no moment");
  assert.equal(addon.sumSquares(heap, 0, 16, 4), 4 * 49, "the right count still works");
});

test("sizes must be exact integers in range, and their products must not overflow", {
  skip: noNative,
}, () => {
  const { heap } = heapOfSentinels();
  // m = 2^31 was truncated to a negative int, and m * k computed in a wrapping long
  assert.throws(() => addon.gemm(heap, 0, 24, 64, 24, 128, 16, -1, 0, 2 ** 31, 2, 3, 0), {
    ...CHECK,
    message: "m = 2147483648 is not a dimension (0 to 2147483647)",
  });
  assert.throws(
    () => addon.gemm(heap, 0, 24, 64, 24, 128, 16, -1, 0, 2, -1, 3, 0),
    /n = -1 is not a dimension/,
  );
  assert.throws(
    () => addon.gemm(heap, 0, 24, 64, 24, 128, 16, -1, 0, 2, 2, 1.5, 0),
    /argument 11: 1.5 is not an exact integer/,
  );
  assert.throws(() => addon.sumSquares(heap, 0, 16, Number.NaN), /argument 3: nan is not an exact integer/);
  // rows x cols = 2^80: in 64-bit arithmetic it wraps to 0 bytes, which every tensor holds
  assert.throws(() => addon.columnSum(heap, 0, 16, 64, 16, 2 ** 40, 2 ** 40), {
    ...CHECK,
    message: `rows x cols overflows (${2 ** 40} x ${2 ** 40})`,
  });
  // 2^52 rows of 1024 floats are 2^64 bytes, which wraps to 0: the old addon then summed 2^52 rows
  assert.throws(() => addon.columnSum(heap, 0, 4096, 0, 4096, 2 ** 52, 1024), {
    ...CHECK,
    message: `tensor x: ${2n ** 62n} floats overflow a byte count`,
  });
  // n = 2^62 floats are 2^64 bytes too, and 2^62 is beyond the integers a JavaScript number holds exactly
  assert.throws(
    () =>
      addon.adam(heap, 0, 16, 16, 16, 32, 16, 48, 16, 64, 16, 2 ** 62, 0.5, 0.999, 1e-3, 1e-8, 0.5, 0.001),
    /argument 11: 4\.61169e\+18 is not an exact integer \(at most 2\^53\)/,
  );
  assert.throws(() => addon.reluGrad(heap, 0, 16, 16, 16, 32, 16, -4), /n = -4 is negative/);
});

test("a scratch buffer the kernels cannot allocate is an out-of-memory error, and the addon works on", {
  skip: noNative ?? (process.platform !== "linux" ? "needs Linux's ulimit -v" : undefined),
}, () => {
  // A product whose B, 3 columns wide, is packed into a 16-column panel: 1 GiB of scratch for a 192 MiB
  // B, in a process whose address space is capped at 1.5 GiB (Node itself takes ~0.7 GiB).
  const path = fileURLToPath(new URL("../native/build/Release/nashboard_native.node", import.meta.url));
  const child = `
    const addon = (await import("node:module")).createRequire(import.meta.url)(${JSON.stringify(path)});
    const [m, n, k] = [1, 3, 16 * 1024 * 1024];
    const heap = new ArrayBuffer((m * k + k * n + m * n) * 4);
    const out = {};
    try {
      addon.gemm(heap, 0, m * k * 4, m * k * 4, k * n * 4, (m * k + k * n) * 4, m * n * 4, -1, 0, m, n, k, 0);
    } catch (e) {
      Object.assign(out, { code: e.code, message: e.message });
    }
    const small = new ArrayBuffer(64);
    new Float32Array(small).set([1, 2, 3, 4, 1, 1, 1, 1]);
    addon.gemm(small, 0, 16, 16, 16, 32, 16, -1, 0, 2, 2, 2, 0);
    out.after = Array.from(new Float32Array(small, 32, 4));
    console.log(JSON.stringify(out));`;
  const r = spawnSync(
    "bash",
    ["-c", `ulimit -v 1600000 && exec "${process.execPath}" --input-type=module -e "$CHILD"`],
    { encoding: "utf8", env: { ...process.env, CHILD: child } },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.code, "ERR_NASHBOARD_OUT_OF_MEMORY");
  assert.equal(out.message, "the native kernels could not allocate 1073741888 bytes of scratch");
  assert.deepEqual(out.after, [3, 3, 7, 7], "a product that fits runs after the failed one");
  // and the CLI reports it as the backend's memory (exit 5), not as a bug
  assert.equal(failureOf(Object.assign(new Error(out.message), { code: out.code }))?.code, "memory");
});
