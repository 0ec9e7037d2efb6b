/**
 * Measures the grid JSD's floor: JSD between two independent real samples of the evaluator's size
 * (2,500 points) for every built-in dataset, over 20 seeds, on the default 61×61 grid. A generator's JSD
 * below this floor is indistinguishable from a perfect one. Also shows why the grid is aligned with the
 * modes: samples exactly on the mode centres, scored on the aligned 61-cell grid and on the 60-cell grid
 * over the round box ([-3,3]² for ring8, [-6,6]² for grid25) whose lines pass through the centres.
 *
 * Run: node --import tsx bench/eval-jsd-bias.ts
 */

import { datasetNames, getDataset } from "../src/data/registry.ts";
import { EVAL_SAMPLES, evaluate } from "../src/eval/evaluate.ts";
import { gridJsd } from "../src/eval/grid-jsd.ts";
import { Rng } from "../src/rng.ts";

const SEEDS = 20;

function meanSd(xs: number[]): string {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)} (max ${Math.max(...xs).toFixed(4)})`;
}

console.log(`JSD(real, real') in nats, ${EVAL_SAMPLES} points each, ${SEEDS} seeds, default grid`);
for (const name of datasetNames) {
  const dataset = getDataset(name);
  const values: number[] = [];
  const started = performance.now();
  for (let seed = 1; seed <= SEEDS; seed++) {
    const rng = new Rng(seed);
    values.push(evaluate(dataset.sample(EVAL_SAMPLES, rng), dataset, rng).jsd);
  }
  const ms = (performance.now() - started) / SEEDS;
  console.log(`  ${name.padEnd(9)} ${meanSd(values)}   ${ms.toFixed(1)} ms per evaluate`);
}

console.log("\nsamples exactly on the mode centres (equal counts) vs a real sample, nats");
for (const name of ["ring8", "grid25"]) {
  const dataset = getDataset(name);
  const centres = dataset.modes!.centres;
  const perMode = Math.floor(EVAL_SAMPLES / centres.length);
  const onModes = new Float32Array(2 * perMode * centres.length);
  centres.forEach((c, j) => {
    for (let i = 0; i < perMode; i++) onModes.set(c, 2 * (j * perMode + i));
  });
  const half = name === "ring8" ? 3 : 6;
  const roundBox = { xMin: -half, xMax: half, yMin: -half, yMax: half };
  for (const [cells, box, label] of [
    [61, dataset.box, "aligned 61 cells"],
    [60, roundBox, `60 cells over [-${half},${half}]²`],
  ] as const) {
    const values: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      values.push(gridJsd(onModes, dataset.sample(onModes.length / 2, new Rng(seed)), box, cells));
    }
    console.log(`  ${name.padEnd(7)} ${label.padEnd(22)} ${meanSd(values)}`);
  }
}
