/**
 * The trainer's speed on the "ring8-mlp128" benchmark, defined exactly as ../shared/bench/torch_gan_step.py
 * (the PyTorch reference) defines it:
 *   data      8 Gaussians on a ring of radius 2, std 0.02, drawn fresh each step
 *   G         z (64, standard normal) -> 128 ReLU -> 128 ReLU -> 2
 *   D         2 -> 128 ReLU -> 128 ReLU -> 1 (a logit)
 *   batch     256
 *   losses    BCE from logits, non-saturating generator loss
 *   optimizer Adam(lr 1e-4, betas (0.5, 0.999)) for each network
 *   one step  one D update on (x, G(z) detached), then one G update on a fresh z'
 * 30 warm-up steps, then `--steps` timed steps. Prints one JSON line like the reference does.
 *
 *   npm run bench:train -- --json [--steps 1000]
 */
import { getDataset } from "../src/data/index.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { Trainer } from "../src/train/trainer.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const steps = flag("--steps", 1000);
const json = args.includes("--json");

const benchmark: TrainConfig = {
  ...DEFAULT_CONFIG,
  dataset: "ring8",
  loss: "bce",
  optimizer: "adam",
  lrD: 1e-4,
  lrG: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  dSteps: 1,
  latent: 64,
  gHidden: [128, 128],
  dHidden: [128, 128],
  gActivation: "relu",
  dActivation: "relu",
  batch: 256,
};

await initBackend();
const trainer = new Trainer(benchmark, getDataset("ring8"));
for (let i = 0; i < 30; i++) trainer.trainStep(false);
const started = performance.now();
for (let i = 0; i < steps - 1; i++) trainer.trainStep(false);
const last = await trainer.readMetrics(trainer.trainStep(true)!, trainer.step);
const seconds = (performance.now() - started) / 1000;
const result = {
  impl: `nashboard tfjs-${tf.version_core} ${tf.getBackend()}`,
  steps_per_sec: Number((steps / seconds).toFixed(2)),
  steps,
  final_loss_disc: Number(last.loss_disc.toFixed(4)),
  final_loss_gen: Number(last.loss_gen.toFixed(4)),
};
if (json) console.log(JSON.stringify(result));
else console.log(`ring8-mlp128: ${result.steps_per_sec} steps/s over ${steps} steps (${result.impl})`);
trainer.dispose();
