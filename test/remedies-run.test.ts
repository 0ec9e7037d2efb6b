import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { getDataset } from "../src/data/index.ts";
import { Rng } from "../src/rng.ts";
import { type BackendMode, initBackend, tf } from "../src/train/backend.ts";
import type { TrainConfig } from "../src/train/config.ts";
import { activeRemedies } from "../src/train/remedies.ts";
import { runTraining } from "../src/train/run.ts";
import { RUN_FILES } from "../src/train/run-files.ts";
import { type StepMetrics, Trainer } from "../src/train/trainer.ts";
import { runCli } from "./helpers/cli.ts";
import { fastModes } from "./helpers/native.ts";
import { TINY_CONFIG } from "./helpers/tiny-config.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-remedies-"));
after(() => rmSync(root, { recursive: true, force: true }));

const small: TrainConfig = {
  ...TINY_CONFIG,
  steps: 40,
  logInterval: 2,
  evalInterval: 20,
  evalSamples: 200,
  checkpointInterval: 10,
};
/** Every remedy at once: the hardest case for the resume and the backends. */
const everything: Partial<TrainConfig> = {
  featureMatching: 0.5,
  minibatchStd: true,
  pack: 2,
  r1: 1,
  gradientPenalty: 1,
  spectralNorm: true,
  labelSmoothing: 0.1,
  lrDecay: 0.5,
  gEma: 0.99,
};

function metricsOf(dir: string): object[] {
  return readFileSync(join(dir, RUN_FILES.metrics), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const { wall_time: _, ...rest } = JSON.parse(l);
      return rest;
    });
}

test("a run with every remedy, stopped and resumed, writes exactly what the uninterrupted run writes", async () => {
  const config = { ...small, ...everything };
  assert.equal(activeRemedies(config).length, 7);
  // the controller too: its knobs and the decay schedule's set rates must survive the resume
  config.controller = true;
  const whole = join(root, "whole");
  const split = join(root, "split");
  await runTraining(config, { dir: whole });
  // Interrupted rather than planned shorter: the decay schedule depends on the planned length.
  const stop = new AbortController();
  await runTraining(
    config,
    { dir: split },
    { signal: stop.signal, onLog: (m) => m.step === 20 && stop.abort() },
  );
  await runTraining(config, { dir: split, resume: true });
  const metrics = metricsOf(whole) as StepMetrics[];
  assert.deepEqual(metricsOf(split), metrics);
  assert.ok(
    metrics.every((m) => Number.isFinite(m.loss_fm)),
    "feature matching's term is logged as loss_fm",
  );
  assert.equal(
    readFileSync(join(split, RUN_FILES.evals), "utf8"),
    readFileSync(join(whole, RUN_FILES.evals), "utf8"),
  );
  const checkpoint = JSON.parse(readFileSync(join(whole, RUN_FILES.checkpoint), "utf8"));
  assert.equal(checkpoint.trainer.sn.length, 3, "spectral norm's vectors are in the checkpoint");
});

test("a checkpoint written before the remedies existed resumes as the plain run it was", async () => {
  const dir = join(root, "old");
  await runTraining({ ...small, steps: 20 }, { dir });
  // Strip the remedy fields, as a checkpoint of the earlier version had none.
  const path = join(dir, RUN_FILES.checkpoint);
  const checkpoint = JSON.parse(readFileSync(path, "utf8"));
  for (const key of Object.keys(everything)) delete checkpoint.config[key];
  const { writeFileSync } = await import("node:fs");
  writeFileSync(path, JSON.stringify(checkpoint));
  const r = await runTraining(small, { dir, resume: true });
  assert.equal(r.completed, true);
  const plain = join(root, "plain");
  await runTraining(small, { dir: plain });
  assert.deepEqual(metricsOf(dir), metricsOf(plain));
});

test("the decay schedule: set rates until the last fraction, then linear to 1% at the last step, under the controller's changes", async () => {
  await initBackend({ mode: "wasm-plain" });
  const t = new Trainer({ ...small, steps: 100, lrDecay: 0.4, lrD: 2e-3, lrG: 1e-3 }, getDataset("ring8"));
  const seen: StepMetrics[] = [];
  for (let i = 1; i <= 100; i++) {
    if (i === 81) t.setLearningRates(4e-3, 1e-3); // as the controller would, mid-decay
    seen.push(await t.readMetrics(t.trainStep(true)!, i));
  }
  const near = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * b;
  assert.ok(near(seen[59].lr_d, 2e-3) && near(seen[59].lr_g, 1e-3), "step 60: the set rates");
  const f = (step: number) => 1 - (0.99 * (step - 60)) / 40;
  assert.ok(near(seen[69].lr_d, 2e-3 * f(70)), `step 70: ${seen[69].lr_d}`);
  assert.ok(near(seen[89].lr_d, 4e-3 * f(90)), "a new set rate is decayed the same way");
  assert.ok(near(seen[99].lr_d, 4e-5) && near(seen[99].lr_g, 1e-5), "1% at the last step");
  assert.equal(t.lrD, 4e-3, "the controller reads the set rate, not the decayed one");
  t.dispose();
});

test("R1 can be switched on mid-run (the controller's knob): D's next update carries it, the state keeps it", async () => {
  await initBackend();
  const t = new Trainer(small, getDataset("ring8"));
  const x = tf.tensor2d(getDataset("ring8").sample(32, new Rng(1)), [32, 2]);
  const z = tf.randomNormal([32, small.latent]) as tf.Tensor2D;
  const before = t.gan.dStep(x, z);
  assert.equal(before.penalty, undefined, "no penalty while R1 is off (the fast path)");
  t.setR1(0.1);
  const after = t.gan.dStep(x, z);
  assert.ok(after.penalty && after.penalty.dataSync()[0] > 0, "R1 in D's update once switched on");
  assert.equal(t.state().r1, 0.1);
  const copy = new Trainer(small, getDataset("ring8"));
  copy.restore(t.state());
  assert.equal(copy.r1, 0.1, "a resume keeps R1 on");
  tf.dispose([...Object.values(before), ...Object.values(after), x, z]);
  t.dispose();
  copy.dispose();
});

async function metricsOn(mode: BackendMode, config: TrainConfig, steps: number): Promise<StepMetrics[]> {
  await initBackend({ mode });
  const t = new Trainer(config, getDataset(config.dataset));
  const out: StepMetrics[] = [];
  for (let i = 0; i < steps; i++) out.push(await t.readMetrics(t.trainStep(true)!, t.step));
  t.dispose();
  return out;
}

test("with remedies the fast configurations agree with plain tfjs (penalties fall back to generic ops), and leak nothing", async () => {
  const config = { ...small, ...everything };
  const plain = await metricsOn("wasm-plain", config, 3);
  for (const mode of fastModes) {
    const fast = await metricsOn(mode, config, 3);
    for (const [i, m] of fast.entries()) {
      for (const key of [
        "loss_disc",
        "loss_gen",
        "loss_fm",
        "d_real",
        "d_fake",
        "grad_norm_d",
        "grad_norm_g",
      ] as const) {
        const diff = Math.abs((m[key] as number) - (plain[i][key] as number));
        assert.ok(
          diff <= 1e-4 * Math.max(1, Math.abs(plain[i][key] as number)),
          `${mode} step ${i + 1} ${key}: ${m[key]} vs ${plain[i][key]}`,
        );
      }
    }
    const t = new Trainer(config, getDataset("ring8"));
    await t.readMetrics(t.trainStep(true)!, 1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) await t.readMetrics(t.trainStep(true)!, t.step);
    assert.equal(tf.memory().numTensors, before, `${mode}: no tensor leaks`);
    t.dispose();
  }
});

test("train takes the remedies' flags and reports them in its config; a bad pack is a one-line usage error", async () => {
  const dir = join(root, "cli");
  const args = [
    "train",
    "--steps",
    "6",
    "--g-hidden",
    "8",
    "--d-hidden",
    "8",
    "--latent",
    "4",
    "--batch",
    "16",
  ];
  const r = await runCli([
    ...args,
    ...["--eval-samples", "100", "--log-interval", "2", "--json", "--out", dir],
    ...[
      "--feature-matching",
      "0.5",
      "--minibatch-std",
      "--pack",
      "4",
      "--r1",
      "2",
      "--gradient-penalty",
      "3",
    ],
    ...["--spectral-norm", "--label-smoothing", "0.1"],
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { config } = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
  assert.deepEqual(
    [config.featureMatching, config.minibatchStd, config.pack, config.r1, config.gradientPenalty],
    [0.5, true, 4, 2, 3],
  );
  assert.deepEqual([config.spectralNorm, config.labelSmoothing], [true, 0.1]);
  const bad = await runCli([...args, "--pack", "3", "--out", join(root, "bad")]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /multiple of pack/);
  assert.equal(bad.stderr.trim().split("\n").length, 1);
});
