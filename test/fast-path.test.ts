import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { getDataset } from "../src/data/index.ts";
import { type BackendMode, initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { type StepMetrics, Trainer } from "../src/train/trainer.ts";
import { fastModes, nativeLoad, noNative } from "./helpers/native.ts";
import { TINY_CONFIG } from "./helpers/tiny-config.ts";

// The speed benchmark's configuration (ring8-mlp128): the fast path is judged where it matters.
const benchmark: TrainConfig = { ...DEFAULT_CONFIG, lrD: 1e-4, lrG: 1e-4 };

async function losses(
  mode: BackendMode,
  config: TrainConfig,
  steps: number,
  threads = 1,
): Promise<StepMetrics[]> {
  const status = await initBackend({ mode, threads });
  assert.equal(status.mode, mode, `running on ${mode}`);
  const t = new Trainer(config, getDataset(config.dataset));
  const out: StepMetrics[] = [];
  for (let i = 0; i < steps; i++) out.push(await t.readMetrics(t.trainStep(true)!, t.step));
  t.dispose();
  return out;
}

const METRICS = ["loss_disc", "loss_gen", "d_real", "d_fake", "grad_norm_d", "grad_norm_g"] as const;

test("the fast paths give the plain path's losses within 1e-5 over 20 steps of the benchmark", async () => {
  const plain = await losses("wasm-plain", benchmark, 20);
  for (const mode of fastModes) {
    const fast = await losses(mode, benchmark, 20);
    for (const [i, m] of fast.entries()) {
      for (const key of METRICS) {
        const diff = Math.abs(m[key] - plain[i][key]);
        assert.ok(diff <= 1e-5, `${mode} step ${i + 1} ${key}: ${m[key]} vs plain ${plain[i][key]}`);
      }
    }
  }
});

test("the fast paths agree with the plain path for every loss family, activation and optimizer", async () => {
  const small: TrainConfig = {
    ...TINY_CONFIG,
  };
  const variants: TrainConfig[] = [
    { ...small, loss: "lsgan", gActivation: "tanh", dActivation: "leaky_relu" },
    { ...small, loss: "wasserstein", gActivation: "elu", optimizer: "sgd", lrD: 0.01, lrG: 0.01 },
    { ...small, loss: "hinge", dSteps: 2 },
  ];
  // Three steps, not twenty: at the default rate 1e-3 a sample that crosses a kink (hinge's margin, a
  // relu at 0) because of a float32 summation-order difference changes its gradient wholesale, and
  // Adam turns that into a weight change of ~lr within a few steps. The benchmark test above runs 20.
  for (const config of variants) {
    const plain = await losses("wasm-plain", config, 3);
    for (const mode of fastModes) {
      const fast = await losses(mode, config, 3);
      for (const [i, m] of fast.entries()) {
        for (const key of METRICS) {
          const diff = Math.abs(m[key] - plain[i][key]);
          assert.ok(
            diff <= 1e-5,
            `${mode} ${config.loss} step ${i + 1} ${key}: ${m[key]} vs ${plain[i][key]}`,
          );
        }
      }
    }
  }
});

test("each configuration is deterministic: the same seed gives the same metrics bit for bit", async () => {
  for (const mode of ["wasm-plain", ...fastModes] as BackendMode[]) {
    const a = await losses(mode, benchmark, 5);
    const b = await losses(mode, benchmark, 5);
    assert.deepEqual(
      a.map(({ wall_time: _, ...m }) => m),
      b.map(({ wall_time: _, ...m }) => m),
      mode,
    );
  }
});

test("the native path gives the same numbers whatever its thread count", { skip: noNative }, async () => {
  // Threads split the matrix products by whole output blocks, so every element is summed in the same order.
  const one = await losses("native", benchmark, 5, 1);
  const two = await losses("native", benchmark, 5, 2);
  assert.deepEqual(
    one.map(({ wall_time: _, ...m }) => m),
    two.map(({ wall_time: _, ...m }) => m),
  );
});

test("the fast paths leak no tensors, and their Adam leaves each variable the only owner of its data", async () => {
  for (const mode of fastModes) {
    await initBackend({ mode });
    const t = new Trainer({ ...benchmark, dSteps: 2 }, getDataset("ring8"));
    await t.readMetrics(t.trainStep(true)!, 1); // warm-up
    const before = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    for (let i = 0; i < 5; i++) {
      t.trainStep(false);
      await t.readMetrics(t.trainStep(true)!, t.step);
      assert.equal(tf.memory().numTensors, before, `${mode}: tensors after step ${t.step}`);
      assert.equal(tf.memory().numBytes, bytes, `${mode}: bytes after step ${t.step}`);
    }
    await t.generate(100, 3);
    assert.equal(tf.memory().numTensors, before, `${mode}: after generating samples`);
    t.dispose();
  }
});

test("a state saved on a fast path continues on the plain path with the same losses", async () => {
  for (const mode of fastModes) {
    await initBackend({ mode });
    const fast = new Trainer(benchmark, getDataset("ring8"));
    for (let i = 0; i < 3; i++) fast.trainStep(false);
    const state = fast.state();
    const next = await fast.readMetrics(fast.trainStep(true)!, 4);
    fast.dispose();
    await initBackend({ mode: "wasm-plain" });
    const plain = new Trainer(benchmark, getDataset("ring8"));
    plain.restore(state);
    const m = await plain.readMetrics(plain.trainStep(true)!, 4);
    plain.dispose();
    for (const key of METRICS)
      assert.ok(Math.abs(m[key] - next[key]) <= 1e-5, `${mode} ${key}: ${m[key]} vs ${next[key]}`);
  }
});

test("auto picks the native path whenever the addon loads, and says why when it does not", async () => {
  const status = await initBackend({ mode: "auto" });
  if (nativeLoad.addon) {
    assert.equal(status.mode, "native");
    assert.equal(status.note, undefined);
  } else {
    assert.equal(status.mode, "wasm");
    assert.match(status.note ?? "", /native/);
  }
  if (process.env.NASHBOARD_NATIVE === "0")
    assert.match(status.note ?? "", /disabled \(NASHBOARD_NATIVE=0\)/);
});

test("NASHBOARD_BACKEND picks the configuration, and a wrong value names the allowed ones", () => {
  const backend = fileURLToPath(new URL("../src/train/backend.ts", import.meta.url));
  const run = (value: string) =>
    spawnSync(
      process.execPath,
      [
        "--import",
        "tsx",
        "-e",
        `import(${JSON.stringify(backend)}).then(async (b) => console.log((await b.initBackend()).mode))`,
      ],
      { encoding: "utf8", env: { ...process.env, NASHBOARD_BACKEND: value } },
    );
  const plain = run("wasm-plain");
  assert.equal(plain.status, 0, plain.stderr);
  assert.equal(plain.stdout.trim(), "wasm-plain");
  const wrong = run("cuda");
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stderr, /NASHBOARD_BACKEND must be one of auto, native, wasm, wasm-plain; got "cuda"/);
});
