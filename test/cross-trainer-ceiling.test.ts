import assert from "node:assert/strict";
import { test } from "node:test";
import type { CorpusRun } from "../bench/cross-trainer/corpus.ts";
import { fitForest } from "../bench/cross-trainer/forest.ts";
import { featureNames, runFeatures } from "../bench/cross-trainer/loss-features.ts";
import { Rng } from "../src/rng.ts";

/**
 * The pieces of the ceiling estimate (bench/cross-trainer/ceiling.ts): the forest learns what a
 * problem holds and nothing when it holds nothing; the loss features are the numbers worked out here
 * by hand from a made-up run.
 */

function points(n: number, seed: number, truth: (x: number, y: number) => boolean) {
  const rng = new Rng(seed);
  const rows: number[][] = [];
  const labels: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const x = rng.uniform() * 2 - 1;
    const y = rng.uniform() * 2 - 1;
    rows.push([x, y, rng.uniform()]);
    labels.push(truth(x, y));
  }
  return { rows, labels };
}

test("the forest learns a boundary no single split draws (XOR of two signs) and scores it on new points", () => {
  const xor = (x: number, y: number) => x > 0 !== y > 0;
  const train = points(400, 1, xor);
  const forest = fitForest(train.rows, train.labels, { trees: 50, seed: 3 });
  const test = points(200, 2, xor);
  const right = test.rows.filter((r, i) => forest.predict(r) > 0.5 === test.labels[i]).length;
  assert.ok(right / test.rows.length > 0.9, `${right} of ${test.rows.length} right`);
});

test("the forest finds nothing in labels drawn apart from the features", () => {
  const rng = new Rng(9);
  const train = points(400, 4, () => rng.uniform() < 0.5);
  const forest = fitForest(train.rows, train.labels, { trees: 50, seed: 5 });
  const test = points(400, 6, () => rng.uniform() < 0.5);
  const right = test.rows.filter((r, i) => forest.predict(r) > 0.5 === test.labels[i]).length;
  assert.ok(Math.abs(right / test.rows.length - 0.5) < 0.1, `${right} of ${test.rows.length} right`);
});

test("loss features: quarters against the equilibrium, the last values, the non-finite share", () => {
  // BCE: loss_disc's equilibrium is 2 ln 2, loss_gen's ln 2. loss_disc sits at it for the first half
  // and at twice it after; loss_gen is NaN on one step in eight.
  const eqD = 2 * Math.LN2;
  const metrics = Array.from({ length: 80 }, (_, i) => ({
    step: i,
    loss_disc: i < 40 ? eqD : 2 * eqD,
    loss_gen: i % 8 === 7 ? Number.NaN : Math.LN2,
  }));
  const run = { config: { loss: "bce", steps: 1000 }, metrics } as unknown as CorpusRun;
  const f = runFeatures(run, "losses");
  const names = featureNames("losses");
  assert.equal(f.length, names.length);
  const at = (name: string) => f[names.indexOf(name)];
  assert.equal(at("loss_disc.q1"), 0);
  assert.equal(at("loss_disc.q2"), 0);
  assert.equal(at("loss_disc.q3"), 1, "twice the equilibrium is +1 of it");
  assert.equal(at("loss_disc.last"), 1);
  assert.equal(at("loss_disc.q4_spread"), 0);
  assert.equal(at("loss_gen.non_finite"), 1 / 8);
  assert.equal(at("loss_gen.q4"), 0);
  assert.equal(at("family=bce"), 1);
  assert.equal(at("family=hinge"), 0);
  assert.equal(at("log10_steps"), 3);
  assert.equal(featureNames("losses-blind").includes("family=bce"), false);
  assert.equal(runFeatures(run, "losses-blind").length, featureNames("losses-blind").length);
});
