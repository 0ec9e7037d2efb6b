import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import { gradientPenalty, inputGradients, r1Penalty } from "../src/losses/index.ts";

await tf.setBackend("wasm");

interface PenaltyCase {
  weights: Record<"W1" | "b1" | "W2" | "b2" | "W3" | "b3", number[] | number[][]>;
  x_real: number[][];
  x_fake: number[][];
  alpha: number[];
  d_x_real: number[];
  r1_gamma: number;
  r1_penalty: number;
  gp_lambda: number;
  wgan_gp_penalty: number;
}
const golden = JSON.parse(
  readFileSync(new URL("./fixtures/golden/losses.json", import.meta.url), "utf8"),
) as {
  tolerance: number;
  cases: ({ family: string } & PenaltyCase)[];
};
const g = golden.cases.find((c) => c.family === "penalty")!;
const W = g.weights;
const LAYERS = [
  ["W1", "b1"],
  ["W2", "b2"],
  ["W3", "b3"],
] as const;

function assertGolden(actual: number, expected: number, what: string): void {
  const allowed = golden.tolerance * Math.max(1, Math.abs(expected));
  assert.ok(Math.abs(actual - expected) <= allowed, `${what}: got ${actual}, expected ${expected}`);
}

/** The golden 2-16-16-1 MLP in tfjs, its weights as variables so penalties can be trained through. */
function tfjsMlp() {
  const vars = LAYERS.map(([w, b]) => ({
    w: tf.variable(tf.tensor2d(W[w] as number[][])),
    b: tf.variable(tf.tensor1d(W[b] as number[])),
  }));
  const d = (x: tf.Tensor2D): tf.Tensor =>
    vars.reduce<tf.Tensor2D>((h, { w, b }, i) => {
      const z = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      return i + 1 < vars.length ? tf.relu(z) : z;
    }, x);
  return { d, vars, variables: vars.flatMap(({ w, b }) => [w, b]) };
}

type Params = number[][][]; // per layer: rows of W, then b as the last row
/** The same MLP in float64 JS with its input gradient written out: the finite-difference reference. */
function reference(params: Params, x: number[]) {
  let h = x;
  const masks: boolean[][] = [];
  params.forEach((layer, i) => {
    const b = layer[layer.length - 1];
    const z = b.map((bj, j) => bj + h.reduce((s, hi, k) => s + hi * layer[k][j], 0));
    if (i + 1 < params.length) masks.push(z.map((v) => v > 0));
    h = i + 1 < params.length ? z.map((v) => Math.max(0, v)) : z;
  });
  // Backward from the single output to the input.
  let grad = [1];
  for (let i = params.length - 1; i >= 0; i--) {
    const layer = params[i];
    grad = layer.slice(0, -1).map((row) => row.reduce((s, wij, j) => s + wij * grad[j], 0));
    if (i > 0) grad = grad.map((v, k) => (masks[i - 1][k] ? v : 0));
  }
  return { out: h[0], grad };
}
const refParams = (): Params =>
  LAYERS.map(([w, b]) => [...(W[w] as number[][]).map((r) => [...r]), [...(W[b] as number[])]]);
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const sq = (v: number[]) => v.reduce((s, x) => s + x * x, 0);
function refGp(p: Params): number {
  const xHat = g.x_real.map((xr, i) => xr.map((v, j) => g.alpha[i] * v + (1 - g.alpha[i]) * g.x_fake[i][j]));
  return g.gp_lambda * mean(xHat.map((x) => (Math.sqrt(sq(reference(p, x).grad)) - 1) ** 2));
}
const refR1 = (p: Params) => (g.r1_gamma / 2) * mean(g.x_real.map((x) => sq(reference(p, x).grad)));

test("the golden MLP is a ReLU network: its outputs match d_x_real", () => {
  const { d, variables } = tfjsMlp();
  const out = d(tf.tensor2d(g.x_real)).dataSync();
  g.d_x_real.forEach((v, i) => {
    assertGolden(out[i], v, `D(x_real)[${i}]`);
  });
  // And the float64 reference below agrees, so it can judge the gradients.
  g.x_real.forEach((x, i) => {
    assert.ok(Math.abs(reference(refParams(), x).out - g.d_x_real[i]) < 1e-12);
  });
  tf.dispose(variables);
});

test("R1 (gamma / 2 convention) and WGAN-GP match the golden values", () => {
  const { d, variables } = tfjsMlp();
  const [xr, xf] = [tf.tensor2d(g.x_real), tf.tensor2d(g.x_fake)];
  assertGolden(r1Penalty(d, xr, g.r1_gamma).dataSync()[0], g.r1_penalty, "r1");
  assertGolden(gradientPenalty(d, xr, xf, g.alpha, g.gp_lambda).dataSync()[0], g.wgan_gp_penalty, "wgan-gp");
  assertGolden(
    gradientPenalty(d, xr, xf, tf.tensor2d(g.alpha, [32, 1]), g.gp_lambda).dataSync()[0],
    g.wgan_gp_penalty,
    "alpha as a tensor",
  );
  // The reference reproduces the golden values too, so the finite differences below judge the right function.
  assert.ok(Math.abs(refR1(refParams()) - g.r1_penalty) < 1e-12);
  assert.ok(Math.abs(refGp(refParams()) - g.wgan_gp_penalty) < 1e-12);
  tf.dispose([xr, xf, ...variables]);
});

test("a penalty's gradient w.r.t. D's weights is finite, nonzero and agrees with finite differences", () => {
  const { d, variables } = tfjsMlp();
  const [xr, xf] = [tf.tensor2d(g.x_real), tf.tensor2d(g.x_fake)];
  const penalties: [string, () => tf.Scalar, (p: Params) => number][] = [
    ["wgan-gp", () => gradientPenalty(d, xr, xf, g.alpha, g.gp_lambda), refGp],
    ["r1", () => r1Penalty(d, xr, g.r1_gamma), refR1],
  ];
  for (const [name, penalty, ref] of penalties) {
    const { value, grads } = tf.variableGrads(penalty, variables);
    value.dispose();
    // Central differences in float64 on every weight (the penalty is smooth away from ReLU kinks).
    const h = 1e-6;
    let worst = 0;
    let largest = 0;
    variables.forEach((v, vi) => {
      // The last bias does not move an input gradient: tfjs reports no gradient, which means zero.
      const analytic = grads[v.name]?.dataSync() ?? new Float32Array(v.size);
      const [layer, isBias] = [Math.floor(vi / 2), vi % 2 === 1];
      for (let e = 0; e < analytic.length; e++) {
        const at = (delta: number) => {
          const p = refParams();
          const [r, c] = isBias ? [p[layer].length - 1, e] : [Math.floor(e / v.shape[1]!), e % v.shape[1]!];
          p[layer][r][c] += delta;
          return ref(p);
        };
        const numeric = (at(h) - at(-h)) / (2 * h);
        assert.ok(Number.isFinite(analytic[e]), `${name}: finite gradient`);
        worst = Math.max(worst, Math.abs(analytic[e] - numeric));
        largest = Math.max(largest, Math.abs(numeric));
      }
    });
    assert.ok(largest > 0.01, `${name}: the weights' gradient is not zero (largest ${largest})`);
    assert.ok(
      worst <= 1e-4 * Math.max(1, largest),
      `${name}: worst gradient error ${worst} (largest ${largest})`,
    );
    tf.dispose(Object.values(grads));
  }
  tf.dispose([xr, xf, ...variables]);
});

test("an optimizer step on the penalty lowers it, and leaves no tensor behind", () => {
  const { d, variables } = tfjsMlp();
  const [xr, xf] = [tf.tensor2d(g.x_real), tf.tensor2d(g.x_fake)];
  const optimizer = tf.train.sgd(0.01);
  const before = tf.memory().numTensors;
  const first = optimizer.minimize(() => gradientPenalty(d, xr, xf, g.alpha, g.gp_lambda), true, variables)!;
  const after = gradientPenalty(d, xr, xf, g.alpha, g.gp_lambda);
  assert.ok(after.dataSync()[0] < first.dataSync()[0], "one SGD step on the penalty reduces it");
  tf.dispose([first, after]);
  assert.equal(tf.memory().numTensors, before, "minimize through a second-order gradient leaks nothing");
  optimizer.dispose();
  tf.dispose([xr, xf, ...variables]);
});

test("penalties leave only their result; bad batches get a clear error", () => {
  const { d, variables } = tfjsMlp();
  const [xr, xf] = [tf.tensor2d(g.x_real), tf.tensor2d(g.x_fake)];
  for (const call of [
    () => r1Penalty(d, xr),
    () => gradientPenalty(d, xr, xf, g.alpha),
    () => inputGradients(d, xr),
  ]) {
    const before = tf.memory().numTensors;
    const result = call();
    assert.equal(tf.memory().numTensors, before + 1);
    result.dispose();
  }
  assert.throws(() => gradientPenalty(d, xr, xf, [0.5]), /1 alphas for a batch of 32/);
  assert.throws(() => gradientPenalty(d, xr, tf.zeros([4, 2]) as tf.Tensor2D, g.alpha), /differ/);
  tf.dispose([xr, xf, ...variables]);
});
