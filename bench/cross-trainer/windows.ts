/**
 * A PyTorch run's evaluation dumps turned into the scenario suite's WindowRecords, with Nashboard's own
 * evaluator (src/eval) on the run's own mixture, so the cross-trainer truth means exactly what the
 * suite's does (bench/scenarios/labels.ts reads only these records). Nothing here reads a loss but
 * `lossNonFinite`, which the record keeps for the report and the labels never use.
 *
 * D's accuracy needs a decision rule per family, from the family's own meaning of D's raw output:
 * - BCE (both G losses): the logit 0 (probability 1/2); LSGAN: 0.5, the midpoint of its 0-1 targets;
 *   hinge: 0, between its margins -1 and +1 (as bench/scenarios/network-probe.ts);
 * - relativistic average: D calls x real when its score beats the mean score of the other batch
 *   (sigmoid(C(x_r) - E C(x_f)) > 1/2, and the mirror for fakes), which is what that loss trains;
 * - WGAN-GP: a critic's scores have no fixed scale, so the threshold is the midpoint of the two fresh
 *   batches' mean scores. It is fitted on the batches it scores (one number from 2,000 points), which
 *   can only flatter D a little; it decides only between d_dominant, g_dominant and poor for runs whose
 *   samples are already poor.
 */

import { squareBox } from "../../src/data/dataset.ts";
import { gaussianMixture } from "../../src/data/gaussian-mixture.ts";
import type { Dataset } from "../../src/data/index.ts";
import { evaluate } from "../../src/eval/index.ts";
import { Rng } from "../../src/rng.ts";
import type { StepMetrics } from "../../src/train/trainer.ts";
import type { WindowRecord } from "../scenarios/window-record.ts";
import type { CrossConfig, CrossFamily } from "./corpus.ts";
import { type EvalDump, PROBE } from "./work-run.ts";

/** The run's mixture as a Dataset the evaluator can score: its centres, std and box, as grid.py drew them. */
export function runDataset(config: CrossConfig): Dataset {
  const d = config.dataset;
  return gaussianMixture({
    name: d.name,
    description: `${d.kind}: ${d.centres.length} Gaussians, std ${d.std}`,
    centres: d.centres,
    std: d.std,
    box: squareBox(d.box_half),
    benchmark: true,
  });
}

/** D's accuracy on the real and the generated probe batch; NaN when any output is non-finite. */
export function dAccuracy(
  family: CrossFamily,
  realOut: Float32Array,
  fakeOut: Float32Array,
): { dAccReal: number; dAccFake: number } {
  if (![...realOut, ...fakeOut].every(Number.isFinite)) return { dAccReal: Number.NaN, dAccFake: Number.NaN };
  const share = (out: Float32Array, ok: (o: number) => boolean) => out.filter(ok).length / out.length;
  let realAbove: number;
  let fakeAbove: number;
  switch (family) {
    case "bce":
    case "bce_minimax":
    case "hinge":
      realAbove = fakeAbove = 0;
      break;
    case "lsgan":
      realAbove = fakeAbove = 0.5;
      break;
    case "ragan":
      realAbove = mean(fakeOut);
      fakeAbove = mean(realOut);
      break;
    case "wgan_gp":
      realAbove = fakeAbove = (mean(realOut) + mean(fakeOut)) / 2;
      break;
  }
  return { dAccReal: share(realOut, (o) => o > realAbove), dAccFake: share(fakeOut, (o) => o <= fakeAbove) };
}

/** One window's record from one evaluation dump; `lossNonFinite` from the logged steps in the window. */
export function windowRecord(
  config: CrossConfig,
  dataset: Dataset,
  dump: EvalDump,
  lossNonFinite: boolean,
): WindowRecord {
  // The JSD's real sample: a stream of its own per (run, step), as the suite's probes have.
  const e = evaluate(dump.samples, dataset, new Rng((config.seed + 1) * 7_919_993 + dump.step));
  const probe = dump.samples.subarray(0, 2 * PROBE);
  const half = config.dataset.box_half;
  let bad = 0;
  const scales: number[] = [];
  for (let i = 0; i < PROBE; i++) {
    const x = probe[2 * i];
    const y = probe[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      bad++;
      scales.push(Number.POSITIVE_INFINITY);
    } else scales.push(Math.max(Math.abs(x), Math.abs(y)) / half);
  }
  scales.sort((a, b) => a - b);
  const xs = Float64Array.from({ length: PROBE }, (_, i) => probe[2 * i]);
  const ys = Float64Array.from({ length: PROBE }, (_, i) => probe[2 * i + 1]);
  return {
    step: dump.step,
    modes: e.modes ?? Number.NaN,
    modes_total: e.modes_total ?? Number.NaN,
    hq: e.hq ?? Number.NaN,
    reverse_kl: e.reverse_kl ?? Number.NaN,
    jsd: e.jsd,
    ...dAccuracy(config.loss, dump.realOut, dump.fakeOut),
    weightsNonFinite: dump.weightsNonFinite,
    samplesNonFinite: bad / PROBE,
    sampleScale: scales[PROBE >> 1],
    dOutputSpread: std(Float64Array.from([...dump.realOut, ...dump.fakeOut])),
    sampleSpread: (std(xs) + std(ys)) / 2 / half,
    lossNonFinite,
  };
}

/** Every window of a run, in step order. */
export function windowRecords(
  config: CrossConfig,
  metrics: readonly StepMetrics[],
  evals: readonly EvalDump[],
) {
  const dataset = runDataset(config);
  let from = 0;
  return evals.map((dump) => {
    const inWindow = metrics.filter((m) => m.step > from && m.step <= dump.step);
    from = dump.step;
    const lossNonFinite = inWindow.some((m) => !Number.isFinite(m.loss_disc) || !Number.isFinite(m.loss_gen));
    return windowRecord(config, dataset, dump, lossNonFinite);
  });
}

function mean(v: Float32Array): number {
  let s = 0;
  for (const x of v) s += x;
  return s / v.length;
}

/** Population standard deviation; NaN when any value is non-finite (as the suite's probe). */
function std(v: Float64Array): number {
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  let ss = 0;
  for (const x of v) ss += (x - m) ** 2;
  return Math.sqrt(ss / v.length);
}
