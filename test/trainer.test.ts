import assert from "node:assert/strict";
import { before, test } from "node:test";
import { getDataset } from "../src/data/index.ts";
import { TRAINED_FAMILIES } from "../src/losses/index.ts";
import { Rng } from "../src/rng.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { type StepMetrics, Trainer } from "../src/train/trainer.ts";

// Small networks keep each test to a fraction of a second; the code paths are the benchmark's.
const small: TrainConfig = { ...DEFAULT_CONFIG, gHidden: [16, 16], dHidden: [16, 16], latent: 8, batch: 32 };

before(() => initBackend());

async function runSteps(config: TrainConfig, n: number): Promise<StepMetrics[]> {
  const t = new Trainer(config, getDataset(config.dataset));
  const out: StepMetrics[] = [];
  for (let i = 0; i < n; i++) out.push(await t.readMetrics(t.trainStep(true)!, t.step));
  t.dispose();
  return out;
}

const withoutTime = (ms: StepMetrics[]) => ms.map(({ wall_time: _, ...rest }) => rest);

test("the same seed gives the same losses; another seed gives others", async () => {
  const a = await runSteps(small, 8);
  const b = await runSteps(small, 8);
  const c = await runSteps({ ...small, seed: 1 }, 8);
  assert.deepEqual(withoutTime(a), withoutTime(b));
  assert.notDeepEqual(
    a.map((m) => m.loss_disc),
    c.map((m) => m.loss_disc),
  );
});

test("every logged step carries the canonical metrics with the configured learning rates", async () => {
  const [m] = await runSteps({ ...small, lrD: 3e-4, lrG: 2e-4 }, 1);
  for (const key of [
    "loss_disc",
    "loss_gen",
    "d_real",
    "d_fake",
    "lr_d",
    "lr_g",
    "grad_norm_d",
    "grad_norm_g",
  ]) {
    assert.ok(Number.isFinite(m[key as keyof StepMetrics]), `${key} is finite`);
  }
  assert.ok(Math.abs(m.lr_d - 3e-4) < 1e-9 && Math.abs(m.lr_g - 2e-4) < 1e-9);
  // BCE's mean D outputs are probabilities; at initialisation D is near 1/2 and the losses near ln 2 terms
  assert.ok(m.d_real > 0 && m.d_real < 1 && m.d_fake > 0 && m.d_fake < 1);
  assert.ok(m.grad_norm_d > 0 && m.grad_norm_g > 0);
});

test("no tensor leaks: the tensor count is flat across steps after a warm-up step", async () => {
  const t = new Trainer({ ...small, dSteps: 2 }, getDataset("ring8"));
  await t.readMetrics(t.trainStep(true)!, 1); // warm-up
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) {
    t.trainStep(false);
    await t.readMetrics(t.trainStep(true)!, t.step);
    assert.equal(tf.memory().numTensors, before, `after step ${t.step}`);
  }
  await t.generate(100, 3);
  assert.equal(tf.memory().numTensors, before, "after generating samples");
  t.dispose();
});

test("a G update leaves D's weights untouched, and a D update leaves G's untouched", () => {
  const t = new Trainer(small, getDataset("ring8"));
  const snapshot = (vars: tf.Variable[]) => vars.map((v) => Array.from(v.dataSync()));
  const g0 = snapshot(t.gan.g.variables);
  const d0 = snapshot(t.gan.d.variables);
  const x = tf.tensor2d(getDataset("ring8").sample(32, new Rng(5)), [32, 2]);
  const z = tf.randomNormal([32, small.latent]) as tf.Tensor2D;
  tf.dispose(Object.values(t.gan.dStep(x, z)));
  assert.deepEqual(snapshot(t.gan.g.variables), g0, "D step changed G");
  const d1 = snapshot(t.gan.d.variables);
  assert.notDeepEqual(d1, d0, "D step did not change D");
  tf.dispose(Object.values(t.gan.gStep(z)));
  assert.deepEqual(snapshot(t.gan.d.variables), d1, "G step changed D");
  assert.notDeepEqual(snapshot(t.gan.g.variables), g0, "G step did not change G");
  tf.dispose([x, z]);
  t.dispose();
});

test("every loss family trains without producing NaN", async () => {
  for (const loss of TRAINED_FAMILIES) {
    const ms = await runSteps({ ...small, loss }, 5);
    for (const m of ms)
      assert.ok(Number.isFinite(m.loss_disc) && Number.isFinite(m.loss_gen), `${loss}: ${JSON.stringify(m)}`);
  }
});

test("SGD and Adam both train, and new learning rates apply from the next step", async () => {
  const t = new Trainer({ ...small, optimizer: "sgd", lrD: 0.05, lrG: 0.05 }, getDataset("grid25"));
  await t.readMetrics(t.trainStep(true)!, 1);
  t.setLearningRates(0.01, 0.02);
  const m = await t.readMetrics(t.trainStep(true)!, 2);
  assert.ok(Math.abs(m.lr_d - 0.01) < 1e-9 && Math.abs(m.lr_g - 0.02) < 1e-9);
  t.dispose();
});

test("the BCE losses at initialisation match the mission's formulas evaluated on the logged D outputs", async () => {
  // With one D step, loss_disc = -E[log D(x)] - E[log(1 - D(G(z)))]. Jensen bounds it by the means:
  // -log d_real - log(1 - d_fake) <= loss_disc, and the gap is small when D is nearly constant.
  const [m] = await runSteps(small, 1);
  const jensen = -Math.log(m.d_real) - Math.log(1 - m.d_fake);
  assert.ok(m.loss_disc >= jensen - 1e-5, `${m.loss_disc} >= ${jensen}`);
  assert.ok(m.loss_disc - jensen < 0.05);
});
