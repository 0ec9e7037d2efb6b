import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-wasm";
import {
  bceDiscLoss,
  bceGenLossMinimax,
  bceGenLossNonSaturating,
  equilibrium,
  featureMatchingLoss,
  hingeDiscLoss,
  hingeGenLoss,
  jsdLowerBound,
  lossFor,
  lsganDiscLoss,
  lsganGenLoss,
  meanProbability,
  TRAINED_FAMILIES,
  wassersteinCriticLoss,
  wassersteinGenLoss,
} from "../src/losses/index.ts";

await tf.setBackend("wasm");

type Nested = number | Nested[];
interface GoldenCase {
  family: string;
  name: string;
  [key: string]: unknown;
}
const golden = JSON.parse(
  readFileSync(new URL("./fixtures/golden/losses.json", import.meta.url), "utf8"),
) as {
  tolerance: number;
  cases: GoldenCase[];
};
const cases = (family: string) => golden.cases.filter((c) => c.family === family);

/** The golden file's rule: |actual - expected| <= tolerance * max(1, |expected|). */
function assertGolden(actual: tf.Tensor, expected: number, what: string, tolerance = golden.tolerance): void {
  const value = actual.dataSync()[0];
  actual.dispose();
  const allowed = tolerance * Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(value - expected) <= allowed,
    `${what}: got ${value}, expected ${expected} (allowed ±${allowed})`,
  );
}

/** A column [n, 1], as the trainer's D outputs are. */
const column = (xs: number[]) => tf.tensor2d(xs, [xs.length, 1]);
const tensorOf = (nested: Nested) => tf.tensor(nested as number[]);
const num = (c: GoldenCase, key: string) => c[key] as number;
const flatten = (t: Nested): number[] => (typeof t === "number" ? [t] : t.flatMap(flatten));

test("BCE matches every golden case: loss_disc, both generator losses, mean probabilities", () => {
  const bce = cases("bce");
  assert.equal(bce.length, 3);
  for (const c of bce) {
    const real = column(c.d_real_logits as number[]);
    const fake = column(c.d_fake_logits as number[]);
    assertGolden(bceDiscLoss(real, fake), num(c, "loss_disc"), `${c.name} loss_disc`);
    assertGolden(bceGenLossNonSaturating(fake), num(c, "loss_gen_nonsaturating"), `${c.name} loss_gen`);
    assertGolden(bceGenLossMinimax(fake), num(c, "loss_gen_minimax"), `${c.name} loss_gen minimax`);
    assertGolden(meanProbability(real), num(c, "d_real_mean_prob"), `${c.name} d_real`);
    assertGolden(meanProbability(fake), num(c, "d_fake_mean_prob"), `${c.name} d_fake`);
    tf.dispose([real, fake]);
  }
});

test("BCE stays finite at logits of ±60 and ±1000 and equals the analytic limit", () => {
  for (const l of [60, 1000]) {
    // D certain and right: no loss. D certain and wrong: loss = |logit| (softplus(l) -> l).
    const right = bceDiscLoss(column([l]), column([-l]));
    assertGolden(right, 0, `disc right at ${l}`);
    assertGolden(bceDiscLoss(column([-l]), column([l])), 2 * l, `disc wrong at ${l}`);
    assertGolden(bceGenLossNonSaturating(column([-l])), l, `gen fooled nobody at ${l}`);
    assertGolden(bceGenLossNonSaturating(column([l])), 0, `gen fooled D at ${l}`);
    assertGolden(bceGenLossMinimax(column([l])), -l, `minimax gen at ${l}`);
    assertGolden(meanProbability(column([l, -l])), 0.5, `mean probability at ±${l}`);
    // The gradients a trainer would take are finite too (sigmoid, never 0 * inf).
    const g = tf.grad((x: tf.Tensor) => bceDiscLoss(x, tf.neg(x)))(column([l, -l, 0]));
    assert.ok(Array.from(g.dataSync()).every(Number.isFinite), `finite gradient at ${l}`);
  }
});

test("the JSD lower bound is ln 2 - loss_disc / 2, clamped at 0", () => {
  assert.equal(jsdLowerBound(2 * Math.LN2), 0);
  assert.equal(jsdLowerBound(5), 0);
  assert.ok(Math.abs(jsdLowerBound(0) - Math.LN2) < 1e-15);
  assert.ok(Math.abs(jsdLowerBound(1) - (Math.LN2 - 0.5)) < 1e-15);
});

test("least squares over four sub-discriminators matches the golden RVC case, feature matching included", () => {
  const [c] = cases("lsgan_multi");
  const real = (c.d_real_outputs as Nested[]).map(tensorOf);
  const fake = (c.d_fake_outputs as Nested[]).map(tensorOf);
  const disc = lsganDiscLoss(real, fake);
  // The per-sub-discriminator terms, recomputed here in float64 from the same numbers.
  const meanOf = (t: Nested, f: (v: number) => number) => {
    const flat = flatten(t);
    return flat.reduce((s, v) => s + f(v), 0) / flat.length;
  };
  const dr = (c.d_real_outputs as Nested[]).map((t) => meanOf(t, (v) => (1 - v) ** 2));
  const dg = (c.d_fake_outputs as Nested[]).map((t) => meanOf(t, (v) => v ** 2));
  const g = (c.d_fake_outputs as Nested[]).map((t) => meanOf(t, (v) => (1 - v) ** 2));
  disc.realTerms.forEach((t, k) => {
    assertGolden(t, dr[k], `d_real_k/${k}`);
  });
  disc.fakeTerms.forEach((t, k) => {
    assertGolden(t, dg[k], `d_fake_k/${k}`);
  });
  assertGolden(disc.loss, num(c, "loss_disc"), "loss_disc");
  const gen = lsganGenLoss(fake);
  assert.equal(gen.terms.length, 4);
  gen.terms.forEach((t, k) => {
    assertGolden(t, g[k], `loss_gen_k/${k}`);
  });
  assertGolden(gen.loss, num(c, "loss_gen"), "loss_gen");
  const fmap = (key: string) => (c[key] as Nested[][]).map((layers) => layers.map(tensorOf));
  const [fr, ff] = [fmap("fmap_real"), fmap("fmap_fake")];
  assertGolden(featureMatchingLoss(fr, ff), num(c, "loss_fm"), "loss_fm");
  tf.dispose([...real, ...fake, ...fr.flat(), ...ff.flat()]);
});

test("least squares refuses mismatched inputs with a message that says what differs", () => {
  const a = tf.ones([2, 1]);
  assert.throws(() => lsganDiscLoss([a, a], [a]), /2 real outputs but 1 fake/);
  assert.throws(() => lsganGenLoss([]), /no sub-discriminator outputs/);
  assert.throws(
    () => featureMatchingLoss([[a]], [[tf.ones([3, 1])]]),
    /layer 0 has real shape \[2,1\] but fake shape \[3,1\]/,
  );
  assert.throws(() => featureMatchingLoss([[a, a]], [[a]]), /2 real layers but 1 fake/);
});

test("hinge and Wasserstein match their golden cases", () => {
  for (const c of [...cases("hinge"), ...cases("wasserstein")]) {
    const real = column(c.d_real as number[]);
    const fake = column(c.d_fake as number[]);
    const [disc, gen] =
      c.family === "hinge"
        ? [hingeDiscLoss(real, fake), hingeGenLoss(fake)]
        : [wassersteinCriticLoss(real, fake), wassersteinGenLoss(fake)];
    assertGolden(disc, num(c, "loss_disc"), `${c.family} loss_disc`);
    assertGolden(gen, num(c, "loss_gen"), `${c.family} loss_gen`);
    tf.dispose([real, fake]);
  }
});

test("the uniform interface gives the family's own losses (checked on the golden cases)", () => {
  const [b] = cases("bce");
  const [h] = cases("hinge");
  const [w] = cases("wasserstein");
  const br = column(b.d_real_logits as number[]);
  const bf = column(b.d_fake_logits as number[]);
  assertGolden(lossFor("bce").disc(br, bf), num(b, "loss_disc"), "bce disc");
  assertGolden(lossFor("bce").gen(bf), num(b, "loss_gen_nonsaturating"), "bce gen");
  assertGolden(lossFor("bce_minimax").gen(bf), num(b, "loss_gen_minimax"), "bce_minimax gen");
  assertGolden(lossFor("bce").meanOutput(br), num(b, "d_real_mean_prob"), "bce d_real");
  const hr = column(h.d_real as number[]);
  const hf = column(h.d_fake as number[]);
  assertGolden(lossFor("hinge").disc(hr, hf), num(h, "loss_disc"), "hinge disc");
  assertGolden(lossFor("wasserstein").disc(hr, hf), num(w, "loss_disc"), "wasserstein disc");
  assertGolden(lossFor("wasserstein").gen(hf), num(w, "loss_gen"), "wasserstein gen");
  // LSGAN with K = 1: D outputs 1 on real and 0 on fake is perfect (loss 0), G then loses 1.
  assertGolden(lossFor("lsgan").disc(column([1, 1]), column([0, 0])), 0, "lsgan perfect D");
  assertGolden(lossFor("lsgan").gen(column([0, 0])), 1, "lsgan G fools nobody");
  assertGolden(lossFor("lsgan").meanOutput(column([0.2, 0.6])), 0.4, "lsgan raw mean");
  tf.dispose([br, bf, hr, hf]);
});

test("fed D outputs exactly at equilibrium, every family's loss equals its declared equilibrium", () => {
  // Logit 0 for BCE (D = 1/2), 0.5 for least squares, 0 for hinge, equal scores for Wasserstein.
  const atEquilibrium: Record<string, number> = {
    bce: 0,
    bce_minimax: 0,
    lsgan: 0.5,
    hinge: 0,
    wasserstein: 0.3,
  };
  for (const family of TRAINED_FAMILIES) {
    const loss = lossFor(family);
    const out = column(new Array(8).fill(atEquilibrium[family]));
    const eq = loss.equilibrium();
    assertGolden(loss.disc(out, out), eq.loss_disc, `${family} loss_disc`);
    if (eq.loss_gen === null) assert.equal(family, "wasserstein");
    else assertGolden(loss.gen(out), eq.loss_gen, `${family} loss_gen`);
    out.dispose();
  }
  assert.deepEqual(equilibrium("bce"), { loss_disc: 2 * Math.LN2, loss_gen: Math.LN2 });
  assert.deepEqual(equilibrium("bce_minimax"), { loss_disc: 2 * Math.LN2, loss_gen: -Math.LN2 });
  assert.deepEqual(equilibrium("hinge"), { loss_disc: 2, loss_gen: 0 });
  assert.deepEqual(equilibrium("wasserstein", 3), { loss_disc: 0, loss_gen: null });
});

test("least squares at D = 1/2 on K sub-discriminators sums to K times 0.5 / 0.25 (RVC v1, v2, VITS)", () => {
  for (const [k, disc, gen] of [
    [7, 3.5, 1.75],
    [9, 4.5, 2.25],
    [6, 3.0, 1.5],
  ]) {
    assert.deepEqual(equilibrium("lsgan", k), { loss_disc: disc, loss_gen: gen });
    assert.deepEqual(lossFor("lsgan").equilibrium(k), { loss_disc: disc, loss_gen: gen });
    const outs = Array.from({ length: k }, (_, i) => tf.fill([2, 1, 10 + i], 0.5));
    const d = lsganDiscLoss(outs, outs);
    assertGolden(d.loss, disc, `K=${k} loss_disc`);
    tf.dispose([...d.realTerms, ...d.fakeTerms]);
    const g = lsganGenLoss(outs);
    assertGolden(g.loss, gen, `K=${k} loss_gen`);
    tf.dispose([...g.terms, ...outs]);
  }
  assert.throws(() => equilibrium("lsgan", 0), /positive integer/);
  assert.throws(() => lossFor("gan" as never), /unknown loss family "gan"/);
});

test("no loss leaks a tensor: only the returned ones are new", () => {
  const real = column([0.3, -1.2, 2.5]);
  const fake = column([-0.7, 0.1, 1.9]);
  const nested = [tf.ones([2, 3]), tf.zeros([2, 4])];
  const calls: [string, () => unknown][] = [
    ["bceDiscLoss", () => bceDiscLoss(real, fake)],
    ["bceGenLossNonSaturating", () => bceGenLossNonSaturating(fake)],
    ["bceGenLossMinimax", () => bceGenLossMinimax(fake)],
    ["meanProbability", () => meanProbability(real)],
    ["hingeDiscLoss", () => hingeDiscLoss(real, fake)],
    ["hingeGenLoss", () => hingeGenLoss(fake)],
    ["wassersteinCriticLoss", () => wassersteinCriticLoss(real, fake)],
    ["wassersteinGenLoss", () => wassersteinGenLoss(fake)],
    ["lsganDiscLoss", () => lsganDiscLoss([real, fake], [fake, real])],
    ["lsganGenLoss", () => lsganGenLoss([real, fake])],
    ["featureMatchingLoss", () => featureMatchingLoss([nested, [real]], [nested, [fake]])],
    ...TRAINED_FAMILIES.flatMap((f): [string, () => unknown][] => [
      [`${f}.disc`, () => lossFor(f).disc(real, fake)],
      [`${f}.gen`, () => lossFor(f).gen(fake)],
      [`${f}.meanOutput`, () => lossFor(f).meanOutput(real)],
    ]),
  ];
  for (const [name, call] of calls) {
    const before = tf.memory().numTensors;
    const result = call();
    const returned = tensorsIn(result);
    assert.equal(tf.memory().numTensors, before + returned.length, `${name} leaves only its result`);
    tf.dispose(returned);
    assert.equal(tf.memory().numTensors, before, `${name} after disposing its result`);
  }
  tf.dispose([real, fake, ...nested]);
});

function tensorsIn(result: unknown): tf.Tensor[] {
  if (result instanceof tf.Tensor) return [result];
  return Object.values(result as Record<string, tf.Tensor | tf.Tensor[]>).flat();
}
