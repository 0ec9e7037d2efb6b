import assert from "node:assert/strict";
import { test } from "node:test";
import { bootstrapScores, type RunPair, runScores } from "../bench/cross-trainer/bootstrap.ts";
import {
  type CorpusRun,
  decodeRun,
  detectorConfig,
  encodeRun,
  loadCorpus,
  runTruth,
} from "../bench/cross-trainer/corpus.ts";
import { inBand } from "../bench/cross-trainer/equilibrium-band.ts";
import { evaluateCorpus, monitorVerdict } from "../bench/cross-trainer/score.ts";
import { dAccuracy } from "../bench/cross-trainer/windows.ts";
import { equilibrium } from "../src/losses/equilibrium.ts";
import { Rng } from "../src/rng.ts";

/**
 * The committed cross-trainer corpus (bench/cross-trainer/corpus) and its scorer: the corpus loads and
 * every run is complete; a run's truth comes from its window records alone; the scores' arithmetic,
 * on hand-made runs whose answers are worked out here by hand, not by the code under test.
 */

const corpus = loadCorpus();

test("the committed corpus loads, and every run has its windows, metrics and settings", () => {
  assert.ok(corpus.length > 0, "no committed runs");
  for (const run of corpus) {
    const c = run.config;
    assert.ok(run.windows.length >= 5, `${run.id}: ${run.windows.length} windows`);
    assert.ok(
      run.metrics.length >= c.steps / c.log_interval - 1,
      `${run.id}: ${run.metrics.length} logged steps`,
    );
    // The last evaluation is at the run's last step, and windows go forward.
    assert.equal(run.windows.at(-1)?.step, c.steps, run.id);
    for (let i = 1; i < run.windows.length; i++) assert.ok(run.windows[i].step > run.windows[i - 1].step);
    for (const w of run.windows) assert.equal(w.modes_total, c.dataset.centres.length, run.id);
    for (const m of run.metrics) assert.equal(m.step % c.log_interval, 0, `${run.id} step ${m.step}`);
    assert.ok(["bce", "bce_minimax", "lsgan", "hinge", "wgan_gp", "ragan"].includes(c.loss), run.id);
    assert.ok(run.id.startsWith(`ct${String(c.index).padStart(4, "0")}-${c.loss}-`), run.id);
  }
});

test("a run's label comes from its window records only: scrambled losses leave it unchanged", () => {
  const rng = new Rng(5);
  const sample = corpus.slice(0, 12);
  const scramble = (run: CorpusRun): CorpusRun => ({
    ...run,
    metrics: run.metrics.map((m, i) => ({
      ...m,
      loss_disc: i === 0 ? Number.NaN : 10 * rng.uniform(),
      loss_gen: -5 + 10 * rng.uniform(),
      d_real: rng.uniform(),
      d_fake: rng.uniform(),
    })),
  });
  const before = evaluateCorpus(sample, { resamples: 5 });
  const after = evaluateCorpus(sample.map(scramble), { resamples: 5 });
  for (let i = 0; i < sample.length; i++) {
    assert.deepEqual(after.runs[i].truth, before.runs[i].truth, sample[i].id);
    assert.equal(after.runs[i].strictLabel, before.runs[i].strictLabel, sample[i].id);
  }
  // ...while what the detectors read did change: a NaN loss is flagged.
  assert.ok(after.runs.every((r) => r.finals["naive threshold"] === "unhealthy"));
});

test("the corpus file keeps NaN and infinities and rounds to 5 significant digits", () => {
  const run = corpus[0];
  const metrics = run.metrics.slice(0, 3).map((m, i) => ({
    ...m,
    loss_disc: [Number.NaN, Number.POSITIVE_INFINITY, 1.23456789][i],
  }));
  const back = decodeRun(encodeRun({ ...run, metrics }));
  assert.ok(Number.isNaN(back.metrics[0].loss_disc));
  assert.equal(back.metrics[1].loss_disc, Number.POSITIVE_INFINITY);
  assert.equal(back.metrics[2].loss_disc, 1.2346);
  assert.deepEqual(runTruth(back), runTruth(run));
});

test("run scores on a hand-made set: 3 caught, 1 missed, 1 false alarm, 5 healthy left alone", () => {
  const pairs: RunPair[] = [
    ...Array.from({ length: 3 }, () => ({ unhealthy: true, flagged: true })),
    { unhealthy: true, flagged: false },
    { unhealthy: false, flagged: true },
    ...Array.from({ length: 5 }, () => ({ unhealthy: false, flagged: false })),
  ];
  const s = runScores(pairs);
  assert.deepEqual([s.tp, s.fn, s.fp, s.tn], [3, 1, 1, 5]);
  assert.equal(s.precision, 3 / 4);
  assert.equal(s.recall, 3 / 4);
  assert.equal(s.f1, 0.75); // 2 * 3 / (2 * 3 + 1 + 1)
  assert.ok(Math.abs(s.balancedAccuracy - (0.75 + 5 / 6) / 2) < 1e-12);
  assert.equal(s.healthyFlagged, 1 / 6);
  // As many healthy runs as unhealthy with the same rates: tp 0.75, fp 1/6, fn 0.25 per class size.
  assert.ok(Math.abs(s.f1Balanced - 1.5 / (1.5 + 1 / 6 + 0.25)) < 1e-12);

  const { point, intervals } = bootstrapScores(pairs, { resamples: 500, seed: 1 });
  assert.equal(point.f1, 0.75);
  for (const i of Object.values(intervals)) {
    assert.ok(i.low <= i.value && i.value <= i.high, `${i.low} <= ${i.value} <= ${i.high}`);
  }
  // A resampled F1 of ten runs varies: the interval is not a point.
  assert.ok(intervals.f1.high - intervals.f1.low > 0.1);
  assert.deepEqual(bootstrapScores(pairs, { resamples: 500, seed: 1 }).intervals, intervals);
});

test("a detector that is always right has F1 and balanced accuracy 1 in every resample", () => {
  const pairs = [true, false, true, false, false].map((u) => ({ unhealthy: u, flagged: u }));
  const { intervals } = bootstrapScores(pairs, { resamples: 200 });
  assert.deepEqual([intervals.f1.low, intervals.f1.high], [1, 1]);
  assert.deepEqual([intervals.healthyFlagged.low, intervals.healthyFlagged.high], [0, 0]);
  assert.equal(intervals.balancedAccuracy.low, 1);
});

test("D's accuracy follows each family's own decision rule", () => {
  const f = (xs: number[]) => Float32Array.from(xs);
  // BCE logits and hinge scores: real above 0.
  assert.deepEqual(dAccuracy("bce", f([1, -1, 2, 3]), f([-1, -2, 0, 1])), { dAccReal: 0.75, dAccFake: 0.75 });
  // LSGAN: the midpoint 0.5 of the 0-1 targets.
  assert.deepEqual(dAccuracy("lsgan", f([0.6, 0.4]), f([0.4, 0.5])), { dAccReal: 0.5, dAccFake: 1 });
  // Relativistic: each batch against the other's mean (fake mean 1, real mean 3.5).
  assert.deepEqual(dAccuracy("ragan", f([5, 2]), f([0, 2])), { dAccReal: 1, dAccFake: 1 });
  // A critic shifted by any constant: the midpoint of the two means (12) decides.
  assert.deepEqual(dAccuracy("wgan_gp", f([13, 14]), f([10, 12.5])), { dAccReal: 1, dAccFake: 0.5 });
  assert.ok(Number.isNaN(dAccuracy("bce", f([Number.NaN]), f([0])).dAccReal));
});

test("the equilibrium band: within 25% of the equilibrium, or |mean| <= 0.25 where it is 0", () => {
  assert.equal(inBand(2 * Math.LN2 * 1.2, 2 * Math.LN2), true);
  assert.equal(inBand(2 * Math.LN2 * 0.7, 2 * Math.LN2), false);
  assert.equal(inBand(-0.6, -Math.LN2), true);
  assert.equal(inBand(0.2, 0), true);
  assert.equal(inBand(-0.3, 0), false);
});

test("issue 14: every healthy run of the other trainer whose losses end at the equilibrium reads healthy", () => {
  // Truth from the evaluator (the samples), never from the losses; "at the equilibrium": both losses'
  // mean over the last quarter of the logged steps within 5% of the family's values (computed here).
  const at = corpus.filter((run) => {
    if (runTruth(run).label !== "healthy") return false;
    const eq = equilibrium(detectorConfig(run).loss);
    if (eq.loss_gen === null) return false;
    const tail = run.metrics.slice(Math.floor((run.metrics.length * 3) / 4));
    const mean = (f: (m: (typeof tail)[number]) => number) => {
      const xs = tail.map(f).filter(Number.isFinite);
      return xs.reduce((a, b) => a + b, 0) / xs.length;
    };
    const rel = (x: number, e: number) => Math.abs(x - e) / Math.abs(e);
    return (
      rel(
        mean((m) => Number(m.loss_disc)),
        eq.loss_disc,
      ) <= 0.05 &&
      rel(
        mean((m) => Number(m.loss_gen)),
        eq.loss_gen,
      ) <= 0.05
    );
  });
  assert.ok(at.length >= 10, `only ${at.length} such runs: the check would say little`);
  const read = at.map((run) => `${run.id}: ${monitorVerdict(run).health}`);
  assert.deepEqual(
    read.filter((r) => !r.endsWith(": healthy")),
    [],
    read.join("\n"),
  );
});
