import assert from "node:assert/strict";
import { before, test } from "node:test";
import "../src/losses/index.ts"; // registers tfjs's gradient functions
import { Rng, type RngState } from "../src/rng.ts";
import { type BackendMode, initBackend, tf } from "../src/train/backend.ts";
import { drawNormal, fusedOps } from "../src/train/fused-ops.ts";
import { createOptimizer } from "../src/train/optimizers.ts";
import { fastModes, noNative } from "./helpers/native.ts";

before(() => initBackend({ mode: "wasm-plain" }));

function randomTensor(shape: number[], seed: number): tf.Tensor {
  const rng = new Rng(seed);
  return tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
}

/** Runs `f` on the plain path and on each fast path; returns the plain result and each fast one. */
async function onEachPath(
  f: () => tf.Tensor,
): Promise<{ plain: Float32Array; fast: [BackendMode, Float32Array][] }> {
  await initBackend({ mode: "wasm-plain" });
  const plain = tf.tidy(f).dataSync() as Float32Array;
  const fast: [BackendMode, Float32Array][] = [];
  for (const mode of fastModes) {
    await initBackend({ mode });
    fast.push([mode, tf.tidy(f).dataSync() as Float32Array]);
  }
  return { plain, fast };
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, tolerance = 1e-5): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tolerance * scale,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

test("matMul on the fast paths matches tfjs-wasm for every transpose, odd sizes and batches", async () => {
  // Sizes around the native kernel's 6-row and 16-column blocks, plus the trainer's own shapes.
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [7, 17, 5],
    [6, 16, 3],
    [13, 33, 40],
    [256, 1, 128],
    [256, 2, 128],
    [2, 128, 256],
    [256, 128, 2],
  ];
  for (const [m, n, k] of sizes) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const a = randomTensor(ta ? [k, m] : [m, k], m * 31 + k);
        const b = randomTensor(tb ? [n, k] : [k, n], n * 17 + k);
        const { plain, fast } = await onEachPath(() => tf.matMul(a, b, ta, tb));
        for (const [mode, out] of fast) assertClose(out, plain, `${mode} ${m}x${n}x${k} ta=${ta} tb=${tb}`);
        tf.dispose([a, b]);
      }
    }
  }
  // a batch of 3 against a single matrix, and a batch against a batch
  const a = randomTensor([3, 5, 4], 1);
  const b = randomTensor([4, 6], 2);
  const c = randomTensor([3, 6, 4], 3);
  for (const [what, f] of [
    ["3 x 1", () => tf.matMul(a, b)],
    ["3 x 3 transposed", () => tf.matMul(a, c, false, true)],
  ] as const) {
    const { plain, fast } = await onEachPath(f);
    for (const [mode, out] of fast) assertClose(out, plain, `${mode} batched ${what}`);
  }
  tf.dispose([a, b, c]);
});

test("fused matMul with a bias and relu, linear or another activation, matches tfjs-wasm", async () => {
  const a = randomTensor([9, 20], 4);
  const b = randomTensor([20, 18], 5);
  const bias = randomTensor([18], 6);
  for (const activation of ["linear", "relu", "elu"] as const) {
    const { plain, fast } = await onEachPath(() => tf.fused.matMul({ a, b, bias, activation }));
    for (const [mode, out] of fast) assertClose(out, plain, `${mode} fused ${activation}`);
  }
  tf.dispose([a, b, bias]);
});

test("the wasm configuration claims none of the native fused ops", async () => {
  await initBackend({ mode: "wasm" });
  const ops = fusedOps();
  assert.deepEqual([ops.dense, ops.reluMlp, ops.fillNormal], [undefined, undefined, undefined]);
  assert.equal(typeof ops.adam, "function", "its own Adam over the heap");
});

test("the native dense layer's gradients match tfjs's matMul + add + relu", { skip: noNative }, async () => {
  const x = randomTensor([10, 7], 7) as tf.Tensor2D;
  const w = randomTensor([7, 5], 8) as tf.Tensor2D;
  const b = randomTensor([5], 9) as tf.Tensor1D;
  const loss = (dense: (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D) =>
    tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
      tf.sum(tf.square(dense(xi as tf.Tensor2D, wi as tf.Tensor2D, bi as tf.Tensor1D))),
    );
  await initBackend({ mode: "wasm-plain" });
  const plain = tf.tidy(() =>
    loss((xi, wi, bi) => tf.relu(tf.add(tf.matMul(xi, wi), bi)) as tf.Tensor2D)([x, w, b]).map((g) =>
      g.dataSync(),
    ),
  );
  await initBackend({ mode: "native" });
  const dense = fusedOps().dense!;
  const fast = tf.tidy(() =>
    loss((xi, wi, bi) => dense(xi, wi, bi, "relu"))([x, w, b]).map((g) => g.dataSync()),
  );
  for (const [i, name] of ["dx", "dw", "db"].entries()) {
    assertClose(fast[i] as Float32Array, plain[i] as Float32Array, name);
  }
  tf.dispose([x, w, b]);
});

test("the native relu MLP op gives tfjs's outputs and gradients for every input, at several depths", {
  skip: noNative,
}, async () => {
  for (const widths of [
    [3, 2],
    [3, 5, 1],
    [2, 7, 6, 2],
    [4, 9, 8, 5, 3],
  ]) {
    const x = randomTensor([11, widths[0]], 40) as tf.Tensor2D;
    const layers = widths.slice(1).map((out, l) => ({
      w: randomTensor([widths[l], out], 50 + l) as tf.Tensor2D,
      b: randomTensor([out], 60 + l) as tf.Tensor1D,
    }));
    const inputs = [x, ...layers.flatMap((l) => [l.w, l.b])];
    const lossOf = (mlp: (x: tf.Tensor2D, ls: { w: tf.Tensor2D; b: tf.Tensor1D }[]) => tf.Tensor2D) =>
      tf.tidy(() => {
        const f = (...ts: tf.Tensor[]) => {
          const ls = layers.map((_, l) => ({
            w: ts[1 + 2 * l] as tf.Tensor2D,
            b: ts[2 + 2 * l] as tf.Tensor1D,
          }));
          return tf.sum(tf.square(mlp(ts[0] as tf.Tensor2D, ls)));
        };
        return [
          mlp(x, layers).dataSync(),
          ...tf
            .grads(f)(inputs)
            .map((g) => g.dataSync()),
        ] as Float32Array[];
      });
    await initBackend({ mode: "wasm-plain" });
    const plain = lossOf((h, ls) => {
      ls.forEach(({ w, b }, l) => {
        h = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
        if (l + 1 < ls.length) h = tf.relu(h);
      });
      return h;
    });
    await initBackend({ mode: "native" });
    const fast = lossOf(fusedOps().reluMlp!);
    const names = ["y", "dx", ...layers.flatMap((_, l) => [`dw${l}`, `db${l}`])];
    for (const [i, name] of names.entries()) assertClose(fast[i], plain[i], `${widths.join("-")} ${name}`);
    tf.dispose(inputs);
  }
});

test("the fused Adam gives the plain Adam's numbers bit for bit, moments included", async () => {
  const config = { name: "adam" as const, lr: 1e-3, beta1: 0.5, beta2: 0.999, eps: 1e-8 };
  const run = async (mode: BackendMode) => {
    await initBackend({ mode });
    const vars = [tf.variable(randomTensor([4, 3], 10)), tf.variable(randomTensor([3], 11))];
    const opt = createOptimizer(config, vars);
    for (let step = 0; step < 5; step++) {
      const grads = [randomTensor([4, 3], 20 + step), randomTensor([3], 30 + step)];
      opt.apply(vars, grads);
      tf.dispose(grads);
    }
    const out = { params: vars.map((v) => Array.from(v.dataSync())), state: opt.state() };
    opt.dispose();
    tf.dispose(vars);
    return out;
  };
  const plain = await run("wasm-plain");
  for (const mode of fastModes) {
    const fast = await run(mode);
    assert.deepEqual(fast.params, plain.params, `${mode} parameters`);
    assert.deepEqual(fast.state, plain.state, `${mode} optimizer state`);
  }
});

test("the fused gradient norm matches sqrt(sum of squares)", async () => {
  const tensors = [randomTensor([30, 4], 12), randomTensor([4], 13)];
  const expected = Math.sqrt(tensors.flatMap((t) => Array.from(t.dataSync())).reduce((s, x) => s + x * x, 0));
  for (const mode of fastModes) {
    await initBackend({ mode });
    const norm = fusedOps().globalNorm!(tensors);
    assert.ok(
      Math.abs(norm.dataSync()[0] - expected) <= 1e-5 * expected,
      `${mode}: ${norm.dataSync()[0]} vs ${expected}`,
    );
    norm.dispose();
  }
  tf.dispose(tensors);
});

test("noise drawn through the backend is Rng.fillNormal's, value for value, and leaves the same state", async () => {
  // The pending spare is a double: glibc's sin may differ from V8's in its last bit, which never
  // survives the rounding to float32 of the value it becomes.
  const sameState = (a: RngState, b: RngState, what: string) => {
    assert.deepEqual(a.s, b.s, `${what}: xoshiro words`);
    assert.equal(Number.isNaN(a.spare), Number.isNaN(b.spare), `${what}: spare pending`);
    if (!Number.isNaN(b.spare)) assert.ok(Math.abs(a.spare - b.spare) <= 1e-15 * Math.abs(b.spare), what);
  };
  for (const mode of fastModes) {
    await initBackend({ mode });
    // lengths around the native four-pair blocks, a pending spare, a scale, and a long run
    for (const [seed, lengths, std] of [
      [1, [0, 1, 7, 8, 9, 16, 3], 1],
      [2, [5, 1, 1, 12], 0.02],
      [3, [1_000_000], 1],
    ] as [number, number[], number][]) {
      const expected = new Rng(seed);
      const actual = new Rng(seed);
      for (const n of lengths) {
        const want = expected.fillNormal(new Float32Array(n), std);
        const got = drawNormal(actual, new Float32Array(n), std);
        assert.deepEqual(got, want, `${mode} seed ${seed} length ${n}`);
        sameState(actual.state(), expected.state(), `${mode} seed ${seed}: state after ${n}`);
      }
    }
  }
  assert.equal(fusedOps().fillNormal !== undefined, fastModes.includes("native"));
});

test("a NaN input spreads through the native MLP's outputs and gradients exactly as through tfjs's", {
  skip: noNative,
}, async () => {
  const x = tf.tensor2d([
    [Number.NaN, 1],
    [0.5, -1],
    [2, 3],
  ]);
  const params = [
    tf.tensor2d([
      [1, -1, 0.5],
      [0.2, 0.3, -0.4],
    ]),
    tf.tensor1d([0.1, 0.2, 0.3]),
    tf.tensor2d([[1], [2], [-1]]),
    tf.tensor1d([0.5]),
  ];
  type Mlp = (x: tf.Tensor2D, layers: { w: tf.Tensor2D; b: tf.Tensor1D }[]) => tf.Tensor2D;
  const gradients = (mlp: Mlp) =>
    tf.tidy(() =>
      tf
        .grads((...ts: tf.Tensor[]) =>
          tf.sum(
            mlp(ts[0] as tf.Tensor2D, [
              { w: ts[1] as tf.Tensor2D, b: ts[2] as tf.Tensor1D },
              { w: ts[3] as tf.Tensor2D, b: ts[4] as tf.Tensor1D },
            ]),
          ),
        )([x, ...params])
        .map((g) => Array.from(g.dataSync()).map((v) => (Number.isNaN(v) ? "NaN" : v.toFixed(4)))),
    );
  await initBackend({ mode: "wasm-plain" });
  const plain = gradients((h, layers) => {
    layers.forEach(({ w, b }, l) => {
      h = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      if (l + 1 < layers.length) h = tf.relu(h);
    });
    return h;
  });
  await initBackend({ mode: "native" });
  const fast = gradients(fusedOps().reluMlp!);
  assert.deepEqual(fast, plain);
  assert.ok(plain.flat().includes("NaN"), "the NaN reached the gradients");
  tf.dispose([x, ...params]);
});
