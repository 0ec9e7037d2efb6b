import assert from "node:assert/strict";
import { before, test } from "node:test";
import { getDataset } from "../src/data/index.ts";
import { gradientPenalty, lossFor, r1Penalty } from "../src/losses/index.ts";
import { Rng } from "../src/rng.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { type TrainConfig, validateConfig } from "../src/train/config.ts";
import { Gan } from "../src/train/gan.ts";
import type { Mlp } from "../src/train/mlp.ts";
import { discLoss, minibatchStdFeature } from "../src/train/remedies.ts";
import { Trainer } from "../src/train/trainer.ts";
import { TINY_CONFIG } from "./helpers/tiny-config.ts";

// Plain tfjs ops on every backend configuration's reference: the remedies are judged against hand
// computations written here, not against the code under test.
before(() => initBackend({ mode: "wasm-plain" }));

const small: TrainConfig = {
  ...TINY_CONFIG,
  // SGD with lr 1 makes an update equal to minus the gradient, so a test can read the gradient back.
  optimizer: "sgd",
  lrD: 1,
  lrG: 1,
};

const values = (vars: tf.Variable[]) => vars.map((v) => Float32Array.from(v.dataSync()));

/** D's relu MLP by hand: the last hidden layer's output and the logits (optionally with extra columns). */
function byHand(mlp: Mlp, x: tf.Tensor2D, extra?: (h: tf.Tensor2D) => tf.Tensor2D) {
  let h = x;
  const layers = mlp.layers;
  for (const l of layers.slice(0, -1)) h = tf.relu(tf.add(tf.matMul(h, l.w), l.b)) as tf.Tensor2D;
  const head = layers[layers.length - 1];
  const out = tf.add(tf.matMul(extra ? extra(h) : h, head.w), head.b) as tf.Tensor2D;
  return { features: h, out };
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string) {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const scale = Math.max(1, Math.abs(expected[i]));
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= tol * scale,
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

function batches(n: number, latent: number, seed = 7) {
  const rng = new Rng(seed);
  return {
    x: tf.tensor2d(getDataset("ring8").sample(n, rng), [n, 2]),
    z: tf.tensor2d(rng.fillNormal(new Float32Array(n * latent)), [n, latent]),
  };
}

test("feature matching adds w·||E f(x) − E f(G(z))||² on D's last hidden layer to G's loss, and its gradient", () => {
  const w = 0.7;
  const gan = new Gan({ ...small, featureMatching: w }, new Rng(1));
  const { x, z } = batches(32, small.latent);
  const g0 = values(gan.g.variables);
  // The expected gradient, by hand, from the same weights.
  const expected = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const fake = byHand(gan.g, z).out;
      const ff = byHand(gan.d.mlp, fake).features;
      const fr = byHand(gan.d.mlp, x).features;
      const fm = tf.sum(tf.square(tf.sub(tf.mean(fr, 0), tf.mean(ff, 0))));
      return tf.add(gan.loss.gen(byHand(gan.d.mlp, fake).out), tf.mul(w, fm)) as tf.Scalar;
    }, gan.g.variables);
    return {
      value: value.dataSync()[0],
      grads: gan.g.variables.map((v) => Float32Array.from(grads[v.name].dataSync())),
    };
  });
  const adversarialOnly = tf.tidy(
    () => gan.loss.gen(byHand(gan.d.mlp, byHand(gan.g, z).out).out).dataSync()[0],
  );
  const r = gan.gStep(z, x);
  const [lossGen, lossFm] = [r.lossGen.dataSync()[0], r.lossFm!.dataSync()[0]];
  assert.ok(Math.abs(lossGen - adversarialOnly) < 1e-5, "loss_gen stays G's adversarial loss");
  assert.ok(lossFm > 0, "the term is positive for an untrained G");
  assert.ok(
    Math.abs(lossGen + w * lossFm - expected.value) < 1e-5,
    `${lossGen} + ${w}·${lossFm} = ${expected.value}`,
  );
  // With SGD at lr 1 the change of each weight is minus its gradient.
  const g1 = values(gan.g.variables);
  g1.forEach((after, i) => {
    const step = after.map((a, j) => g0[i][j] - a);
    assertClose(step, expected.grads[i], 1e-4, `G variable ${i}`);
  });
  tf.dispose([...Object.values(r), x, z]);
  gan.dispose();
});

test("the minibatch-std feature is the batch's mean feature std, kept apart per group, and D sees it", () => {
  const h = tf.tensor2d([1, 2, 3, 6, 5, 10, 4, 4, 4, 4], [5, 2]);
  const one = minibatchStdFeature(h).arraySync();
  // population std of [1,3,5] with [2,6,10]... by hand over the 5 rows
  const std = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length + 1e-8);
  };
  const expected = (std([1, 3, 5, 4, 4]) + std([2, 6, 10, 4, 4])) / 2;
  for (const row of one) assert.ok(Math.abs(row[2] - expected) < 1e-5, `${row[2]} vs ${expected}`);
  // Two groups: a spread half and a collapsed half (every row equal) never mix.
  const two = minibatchStdFeature(tf.tensor2d([0, 0, 2, 2, 1, 1, 1, 1], [4, 2]), 2).arraySync();
  assert.ok(Math.abs(two[0][2] - 1) < 1e-5 && Math.abs(two[1][2] - 1) < 1e-5, "spread group: std 1");
  assert.ok(two[2][2] < 1e-3 && two[3][2] < 1e-3, "collapsed group: std 0");

  const gan = new Gan({ ...small, minibatchStd: true }, new Rng(2));
  const head = gan.d.mlp.layers.at(-1)!;
  assert.deepEqual(head.w.shape, [16 + 1, 1], "D's last layer takes the extra feature");
  // The same point scores differently in a diverse batch and in a collapsed one: D sees the batch.
  const point = [2, 0];
  const diverse = tf.tensor2d([...point, -2, 0, 0, 2, 0, -2], [4, 2]);
  const collapsed = tf.tensor2d([...point, ...point, ...point, ...point], [4, 2]);
  const a = gan.d.judge(diverse).out.dataSync()[0];
  const b = gan.d.judge(collapsed).out.dataSync()[0];
  assert.notEqual(a, b);
  const byHandDiverse = tf.tidy(
    () => byHand(gan.d.mlp, diverse, (f) => minibatchStdFeature(f)).out.dataSync()[0],
  );
  assert.ok(Math.abs(a - byHandDiverse) < 1e-5);
  tf.dispose([h, diverse, collapsed]);
  gan.dispose();
});

test("packing makes D judge m samples side by side: [n, 2] becomes [n/m, 2m]", () => {
  const m = 4;
  const gan = new Gan({ ...small, pack: m }, new Rng(3));
  assert.deepEqual(gan.d.mlp.layers[0].w.shape, [2 * m, 16], "D's first layer takes m samples");
  const { x } = batches(32, small.latent);
  const out = gan.d.judge(x).out;
  assert.deepEqual(out.shape, [32 / m, 1]);
  const flat = x.dataSync();
  const packs = tf.tensor2d(flat, [32 / m, 2 * m]); // row i = samples m·i .. m·i + m − 1
  assert.deepEqual(Array.from(packs.dataSync().slice(0, 2 * m)), Array.from(flat.slice(0, 2 * m)));
  assertClose(
    out.dataSync(),
    tf.tidy(() => byHand(gan.d.mlp, packs).out.dataSync()),
    1e-5,
    "packed scores",
  );
  // A point scored on its own is packed with copies of itself.
  const single = gan.d.apply(tf.tensor2d([1, 0.5], [1, 2])).dataSync()[0];
  const copies = tf.tidy(
    () => byHand(gan.d.mlp, tf.tensor2d([1, 0.5, 1, 0.5, 1, 0.5, 1, 0.5], [1, 8])).out.dataSync()[0],
  );
  assert.ok(Math.abs(single - copies) < 1e-5);
  assert.throws(() => validateConfig({ ...small, pack: 3 }), /multiple of pack/);
  tf.dispose([x, out, packs]);
  gan.dispose();
});

/** D's update with a penalty, checked against src/losses and a gradient computed by hand. */
function checkPenalty(
  config: TrainConfig,
  penaltyByHand: (d: (xs: tf.Tensor2D) => tf.Tensor2D, x: tf.Tensor2D, fake: tf.Tensor2D) => tf.Scalar,
  alpha?: Float32Array,
) {
  const gan = new Gan(config, new Rng(4));
  const { x, z } = batches(32, small.latent);
  const d0 = values(gan.d.variables);
  const d = (xs: tf.Tensor2D) => byHand(gan.d.mlp, xs).out;
  const expected = tf.tidy(() => {
    const fake = byHand(gan.g, z).out;
    const penalty = penaltyByHand(d, x, fake).dataSync()[0];
    const { grads } = tf.variableGrads(
      () => tf.add(gan.loss.disc(d(x), d(fake)), penaltyByHand(d, x, fake)) as tf.Scalar,
      gan.d.variables,
    );
    return { penalty, grads: gan.d.variables.map((v) => Float32Array.from(grads[v.name].dataSync())) };
  });
  const r = gan.dStep(x, z, alpha);
  assert.ok(r.penalty, "the step reports its penalty");
  assert.ok(expected.penalty > 0);
  assert.ok(Math.abs(r.penalty.dataSync()[0] - expected.penalty) < 1e-5 * Math.max(1, expected.penalty));
  values(gan.d.variables).forEach((after, i) => {
    assertClose(
      after.map((a, j) => d0[i][j] - a),
      expected.grads[i],
      2e-4,
      `D variable ${i}`,
    );
  });
  tf.dispose([...Object.values(r), x, z]);
  gan.dispose();
}

test("R1 adds gamma/2·E||∇D(x_real)||² to D's loss, as src/losses computes it, and D's update follows it", () => {
  checkPenalty({ ...small, r1: 3 }, (d, x) => r1Penalty(d, x, 3));
});

test("WGAN-GP adds lambda·E(||∇D(x̂)|| − 1)² at the trainer's alphas, as src/losses computes it", () => {
  const alpha = Float32Array.from({ length: 32 }, (_, i) => (i + 0.5) / 32);
  checkPenalty(
    { ...small, gradientPenalty: 2 },
    (d, x, fake) => gradientPenalty(d, x, fake, alpha, 2),
    alpha,
  );
});

test("one-sided label smoothing gives real data the target 1 − eps in D's BCE and LSGAN losses", () => {
  const real = tf.tensor2d([[3], [-1], [0.5]]);
  const fake = tf.tensor2d([[-2], [1]]);
  const sig = (l: number) => 1 / (1 + Math.exp(-l));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const t = 0.9;
  const bce =
    mean([3, -1, 0.5].map((l) => -(t * Math.log(sig(l)) + (1 - t) * Math.log(1 - sig(l))))) +
    mean([-2, 1].map((l) => -Math.log(1 - sig(l))));
  assert.ok(Math.abs(discLoss(lossFor("bce"), real, fake, 0.1).dataSync()[0] - bce) < 1e-5);
  const ls = mean([3, -1, 0.5].map((r) => (t - r) ** 2)) + mean([-2, 1].map((f) => f ** 2));
  assert.ok(Math.abs(discLoss(lossFor("lsgan"), real, fake, 0.1).dataSync()[0] - ls) < 1e-5);
  assert.equal(
    discLoss(lossFor("bce"), real, fake, 0).dataSync()[0],
    lossFor("bce").disc(real, fake).dataSync()[0],
  );
  // The smoothed BCE no longer rewards certainty: its real term is smallest at sigmoid(l) = 0.9.
  const realTerm = (l: number) =>
    discLoss(lossFor("bce"), tf.tensor2d([[l]]), tf.tensor2d([[-50]]), 0.1).dataSync()[0];
  const best = Math.log(t / (1 - t));
  assert.ok(realTerm(best) < realTerm(best + 1) && realTerm(best) < realTerm(best - 1));
  assert.throws(() => validateConfig({ ...small, loss: "hinge", labelSmoothing: 0.1 }), /label-smoothing/);
  tf.dispose([real, fake]);
});

/** The largest singular value of a [rows, cols] matrix by many power iterations, in float64. */
function largestSingularValue(a: Float32Array, rows: number, cols: number): number {
  let v = Array.from({ length: cols }, (_, i) => 1 + i / cols);
  let sigma = 0;
  for (let it = 0; it < 500; it++) {
    const u = Array.from({ length: rows }, (_, r) => v.reduce((s, vj, c) => s + a[r * cols + c] * vj, 0));
    const nu = Math.hypot(...u);
    v = Array.from({ length: cols }, (_, c) => u.reduce((s, ur, r) => s + a[r * cols + c] * ur, 0) / nu);
    sigma = Math.hypot(...v);
    v = v.map((x) => x / sigma);
  }
  return sigma;
}

test("spectral normalisation keeps every D layer's largest singular value at 1 while D trains", async () => {
  const config: TrainConfig = { ...small, optimizer: "adam", lrD: 1e-2, lrG: 1e-3, spectralNorm: true };
  const t = new Trainer(config, getDataset("ring8"));
  const raw = t.gan.d.mlp.layers.map((l) =>
    largestSingularValue(l.w.dataSync() as Float32Array, ...(l.w.shape as [number, number])),
  );
  assert.ok(
    raw.some((s) => Math.abs(s - 1) > 0.1),
    `the raw layers are not normalised already (${raw})`,
  );
  for (let i = 0; i < 200; i++) t.trainStep(false);
  const normalised = tf.tidy(() => {
    const vs = t.gan.d.vectors(false)!;
    return t.gan.d.sn!.normalise(t.gan.d.mlp.layers, vs).map((l) => l.w.dataSync() as Float32Array);
  });
  t.gan.d.mlp.layers.forEach((l, i) => {
    const sigma = largestSingularValue(normalised[i], ...(l.w.shape as [number, number]));
    assert.ok(Math.abs(sigma - 1) < 0.02, `layer ${i}: largest singular value ${sigma}`);
  });
  // The u vectors are state: a trainer restored from a checkpoint's state continues exactly.
  const state = t.state();
  assert.equal(state.sn?.length, t.gan.d.mlp.layers.length);
  const copy = new Trainer(config, getDataset("ring8"));
  copy.restore(state);
  const [a, b] = [
    await t.readMetrics(t.trainStep(true)!, 61),
    await copy.readMetrics(copy.trainStep(true)!, 61),
  ];
  assert.deepEqual({ ...a, wall_time: 0 }, { ...b, wall_time: 0 });
  t.dispose();
  copy.dispose();
});

test("the averaged generator: ema = beta·ema + (1 − beta)·w after each G update, and samples come from it", async () => {
  const beta = 0.9;
  const t = new Trainer(
    { ...small, optimizer: "adam", lrD: 1e-3, lrG: 1e-3, gEma: beta },
    getDataset("ring8"),
  );
  const expected = values(t.gan.g.variables); // the average starts at G's initial weights
  for (let i = 0; i < 5; i++) {
    t.trainStep(false);
    values(t.gan.g.variables).forEach((w, k) => {
      expected[k] = expected[k].map((e, j) => Math.fround(beta * e + (1 - beta) * w[j]));
    });
  }
  t.gan.gAverage!.layers().forEach((l, i) => {
    assertClose(l.w.dataSync(), expected[2 * i], 1e-5, `averaged w${i}`);
    assertClose(l.b.dataSync(), expected[2 * i + 1], 1e-5, `averaged b${i}`);
  });
  // Samples come from the average, not from the current weights.
  const samples = await t.generate(16, 3);
  const z = new Rng(3).fillNormal(new Float32Array(16 * small.latent));
  const fromAverage = tf.tidy(() =>
    t.gan.g.apply(tf.tensor2d(z, [16, small.latent]), t.gan.gAverage!.layers()).dataSync(),
  );
  const fromCurrent = tf.tidy(() => t.gan.g.apply(tf.tensor2d(z, [16, small.latent])).dataSync());
  assertClose(samples, fromAverage, 1e-6, "samples");
  assert.notDeepEqual(Array.from(samples), Array.from(fromCurrent));
  assert.equal(t.state().gEma?.length, t.gan.g.variables.length, "the average is in the checkpoint");
  t.dispose();
});
