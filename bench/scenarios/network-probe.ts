/**
 * Looks inside a training run without touching its losses: D's accuracy on a fresh real batch and a
 * fresh generated batch (points it never trained on, drawn from streams of their own so the run's
 * random stream is not disturbed), whether any weight is non-finite, how far the generated points lie
 * from the data's box, and whether either network still varies at all (a network whose ReLUs all died
 * gives one constant output: D's logits, or G's points, then have a spread of exactly 0). Everything goes through the library (trainer.gan's G and D), synchronously,
 * so the trainer's eval hook can call it between two steps.
 */
import type { Dataset } from "../../src/data/index.ts";
import { Rng } from "../../src/rng.ts";
import { tf } from "../../src/train/backend.ts";
import type { Gan } from "../../src/train/gan.ts";
import type { TrainedFamily } from "../../src/types.ts";

export interface ProbeResult {
  dAccReal: number;
  dAccFake: number;
  weightsNonFinite: boolean;
  samplesNonFinite: number;
  sampleScale: number;
  dOutputSpread: number;
  sampleSpread: number;
}

/**
 * The raw D output above which D says "real": the logit 0 (probability 1/2) for BCE, the midpoint 0.5
 * of LSGAN's 0-1 targets, 0 for hinge (its margins are -1 and +1). A Wasserstein critic's scores have no
 * fixed scale, so it has no accuracy of its own.
 */
export function realThreshold(family: TrainedFamily): number {
  switch (family) {
    case "bce":
    case "bce_minimax":
    case "hinge":
      return 0;
    case "lsgan":
      return 0.5;
    case "wasserstein":
      throw new Error("a Wasserstein critic has no decision threshold: the suite cannot label its runs");
  }
}

export function probeNetworks(
  gan: Gan,
  dataset: Dataset,
  family: TrainedFamily,
  latent: number,
  n: number,
  seed: number,
): ProbeResult {
  const rng = new Rng(seed);
  const real = dataset.sample(n, rng);
  const z = rng.fillNormal(new Float32Array(n * latent));
  const threshold = realThreshold(family);
  const { fake, realOut, fakeOut } = tf.tidy(() => {
    const g = gan.g.apply(tf.tensor2d(z, [n, latent]));
    return {
      fake: g.dataSync() as Float32Array,
      realOut: gan.d.apply(tf.tensor2d(real, [n, 2])).dataSync() as Float32Array,
      fakeOut: gan.d.apply(g).dataSync() as Float32Array,
    };
  });
  const weightsNonFinite = [...gan.g.variables, ...gan.d.variables].some((v) => {
    const data = v.dataSync() as Float32Array;
    for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) return true;
    return false;
  });
  let badSamples = 0;
  const scales: number[] = [];
  const half = (dataset.box.xMax - dataset.box.xMin) / 2;
  for (let i = 0; i < n; i++) {
    const x = fake[2 * i];
    const y = fake[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      badSamples++;
      scales.push(Number.POSITIVE_INFINITY);
    } else scales.push(Math.max(Math.abs(x), Math.abs(y)) / half);
  }
  scales.sort((a, b) => a - b);
  const xs = Float64Array.from({ length: n }, (_, i) => fake[2 * i]);
  const ys = Float64Array.from({ length: n }, (_, i) => fake[2 * i + 1]);
  return {
    dAccReal: accuracy(realOut, (o) => o > threshold),
    dAccFake: accuracy(fakeOut, (o) => o <= threshold),
    weightsNonFinite,
    samplesNonFinite: badSamples / n,
    sampleScale: scales[n >> 1],
    dOutputSpread: std(Float64Array.from([...realOut, ...fakeOut])),
    sampleSpread: (std(xs) + std(ys)) / 2 / half,
  };
}

/** Population standard deviation; NaN when any value is non-finite. */
function std(v: Float64Array): number {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) ** 2;
  return Math.sqrt(ss / v.length);
}

/** Fraction of outputs the test accepts; NaN when any output is non-finite (D itself is broken). */
function accuracy(out: Float32Array, ok: (o: number) => boolean): number {
  let hits = 0;
  for (const o of out) {
    if (!Number.isFinite(o)) return Number.NaN;
    if (ok(o)) hits++;
  }
  return hits / out.length;
}
