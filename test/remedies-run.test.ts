import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { getDataset } from "../src/data/index.ts";
import { type BackendMode, initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { loadNativeAddon } from "../src/train/native/addon.ts";
import { activeRemedies } from "../src/train/remedies.ts";
import { RUN_FILES, runTraining } from "../src/train/run.ts";
import { type StepMetrics, Trainer } from "../src/train/trainer.ts";
import { runCli } from "./helpers/cli.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-remedies-"));
after(() => rmSync(root, { recursive: true, force: true }));

const small: TrainConfig = {
  ...DEFAULT_CONFIG,
  gHidden: [16, 16],
  dHidden: [16, 16],
  latent: 8,
  batch: 32,
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
};
const fastModes: BackendMode[] = loadNativeAddon().addon ? ["wasm", "native"] : ["wasm"];

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
  const whole = join(root, "whole");
  const split = join(root, "split");
  await runTraining(config, { dir: whole });
  await runTraining({ ...config, steps: 20 }, { dir: split });
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
