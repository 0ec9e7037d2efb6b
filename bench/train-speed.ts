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
 *   npm run bench:train -- --json [--steps 1000] [--breakdown]
 *
 * --breakdown adds where a step's time goes (ms per step, exclusive): D update, G update (each without
 * its optimizer), optimizer, data and noise sampling, metrics (the read-back of a logged step, amortised
 * over the default log interval of 20) and the rest (tensor uploads and disposal in the loop). The
 * backend configuration follows NASHBOARD_BACKEND / NASHBOARD_THREADS (src/train/backend.ts).
 */
import { getDataset } from "../src/data/index.ts";
import { initBackend, tf } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { Trainer } from "../src/train/trainer.ts";
import { instrument, PARTS, StepTimer, timedDataset } from "./step-timer.ts";

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const steps = flag("--steps", 1000);
const json = args.includes("--json");
const breakdown = args.includes("--breakdown");

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

const backend = await initBackend();
const timer = new StepTimer();
const dataset = breakdown ? timedDataset(getDataset("ring8"), timer) : getDataset("ring8");
const trainer = new Trainer(benchmark, dataset);
if (breakdown) instrument(trainer, timer);
for (let i = 0; i < 30; i++) trainer.trainStep(false);
timer.reset();

// With --breakdown every step is timed and every 20th is logged as a run logs it; without, only the
// last step is read back, as the reference reads its losses only at the end.
const logInterval = DEFAULT_CONFIG.logInterval;
const stepMs = { logged: [] as number[], unlogged: [] as number[] };
const started = performance.now();
let last: Awaited<ReturnType<Trainer["readMetrics"]>> | undefined;
for (let i = 1; i <= steps; i++) {
  const logged = i === steps || (breakdown && i % logInterval === 0);
  const t0 = performance.now();
  const metrics = trainer.trainStep(logged);
  if (metrics) last = await trainer.readMetrics(metrics, trainer.step);
  if (breakdown) (logged ? stepMs.logged : stepMs.unlogged).push(performance.now() - t0);
}
const seconds = (performance.now() - started) / 1000;

const threads =
  backend.mode === "native" ? `, ${backend.threads} thread${backend.threads > 1 ? "s" : ""}` : "";
const result: Record<string, unknown> = {
  impl: `nashboard tfjs-${tf.version_core} ${backend.mode}${threads}`,
  steps_per_sec: Number((steps / seconds).toFixed(2)),
  steps,
  final_loss_disc: Number(last!.loss_disc.toFixed(4)),
  final_loss_gen: Number(last!.loss_gen.toFixed(4)),
  ...(backend.note ? { note: backend.note } : {}),
};
if (breakdown) result.breakdown_ms_per_step = stepBreakdown();
if (json) console.log(JSON.stringify(result));
else {
  console.log(`ring8-mlp128: ${result.steps_per_sec} steps/s over ${steps} steps (${result.impl})`);
  if (backend.note) console.log(`note: ${backend.note}`);
  if (breakdown) {
    const parts = result.breakdown_ms_per_step as Record<string, number>;
    const total = parts.total;
    for (const [name, ms] of Object.entries(parts)) {
      console.log(
        `  ${name.padEnd(16)} ${ms.toFixed(3).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`,
      );
    }
  }
}
trainer.dispose();

function stepBreakdown(): Record<string, number> {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const total = mean([...stepMs.logged, ...stepMs.unlogged]);
  // A logged step costs its metrics' read-back on top of a plain step; spread over the log interval.
  const metrics = Math.max(0, mean(stepMs.logged) - mean(stepMs.unlogged)) / logInterval;
  const out: Record<string, number> = {};
  for (const part of PARTS) out[part] = (timer.totals.get(part) ?? 0) / steps;
  const named = PARTS.reduce((a, p) => a + out[p], 0);
  out.metrics = metrics;
  out.other = Math.max(0, total - named - metrics);
  out.total = total;
  for (const k of Object.keys(out)) out[k] = Number(out[k].toFixed(4));
  return out;
}
