import assert from "node:assert/strict";
import { test } from "node:test";
import * as nashboard from "../src/index.ts";

test("a TypeScript user trains, evaluates and checks the equilibrium through the public door alone", async () => {
  await nashboard.initBackend();
  const config = { ...nashboard.DEFAULT_CONFIG, gHidden: [16], dHidden: [16], latent: 4, batch: 32 };
  const trainer = new nashboard.Trainer(config, nashboard.getDataset("grid25"));
  let last: nashboard.StepMetrics | undefined;
  for (let i = 0; i < 3; i++) last = await trainer.readMetrics(trainer.trainStep(true)!, trainer.step);
  assert.equal(last?.step, 3);
  const samples = await trainer.generate(nashboard.EVAL_SAMPLES, 1);
  const result = nashboard.evaluate(samples, nashboard.getDataset("grid25"), new nashboard.Rng(2));
  assert.equal(result.samples, 2500);
  assert.equal(result.modes_total, 25);
  assert.ok(Math.abs(nashboard.equilibrium("lsgan", 9).loss_disc - 4.5) < 1e-12);
  assert.ok(Math.abs(nashboard.jsdLowerBound(0.392) - 0.497) < 1e-3);
  trainer.dispose();
});
