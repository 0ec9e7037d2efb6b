import assert from "node:assert/strict";
import { test } from "node:test";
import { jsdLowerBound } from "../src/losses/index.ts";
import { BucketCurve } from "../src/monitor/signals/curve.ts";
import { OscillationScratch, oscillationOf } from "../src/monitor/signals/oscillation.ts";
import {
  estimateDOutputs,
  gapFromTerms,
  gapOf,
  jsdBoundFor,
  resolveReference,
} from "../src/monitor/signals/reference.ts";
import { DebiasedEma } from "../src/monitor/signals/smoothing.ts";
import { StepAssembler } from "../src/monitor/signals/step-assembler.ts";
import { trendDirection, trendOf } from "../src/monitor/signals/trend.ts";
import { medianAndMad, medianOf, RingWindow } from "../src/monitor/signals/window.ts";
import { resolveThresholds } from "../src/monitor/thresholds.ts";
import { EpochMap } from "../src/monitor/verdict/epochs.ts";
import { Rng } from "../src/rng.ts";
import type { ScalarPoint } from "../src/types.ts";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

test("EMA: TensorBoard's debiased smoothing on a hand example", () => {
  // The example of TensorBoard's own classicSmoothing test, weight 0.6: [1, 0.5, 0].
  const ema = new DebiasedEma(0.6);
  close(ema.push(1), 0.4 / (1 - 0.6)); // = 1
  close(ema.push(0.5), (0.5 * 0.4 + 0.4 * 1 * 0.6) / (1 - 0.6 ** 2)); // = 0.6875
  close(ema.push(0), ((0.5 * 0.4 + 0.4 * 1 * 0.6) * 0.6) / (1 - 0.6 ** 3)); // ≈ 0.33673
  close(ema.value, 0.336734693877551, 1e-15);
});

test("EMA: a non-finite value shows as itself and does not poison the average", () => {
  const ema = new DebiasedEma(0.6);
  ema.push(1);
  assert.ok(Number.isNaN(ema.push(Number.NaN)));
  assert.equal(ema.push(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
  // the next finite value is smoothed as if the non-finite ones were not there (n counts finite values)
  close(ema.push(0.5), 0.6875);
  assert.equal(ema.count, 2);
  // a constant series comes back exactly, as TensorBoard returns constant series unsmoothed
  const flat = new DebiasedEma(0.99);
  for (let i = 0; i < 50; i++) assert.equal(flat.push(0.1), 0.1);
});

test("window order statistics: median and MAD", () => {
  const a = Float64Array.from([1, 2, 3, 4, 100]);
  const { median, mad } = medianAndMad(a, 5);
  assert.equal(median, 3);
  close(mad, 1.4826); // median of |x - 3| = [2, 1, 0, 1, 97] is 1
  assert.equal(medianOf(Float64Array.from([4, 1, 3, 2]), 4), 2.5);
  const w = new RingWindow(3);
  for (const v of [1, 2, 3, 4]) w.push(v, v * 10);
  assert.deepEqual([w.value(0), w.value(1), w.value(2), w.size], [20, 30, 40, 3]);
});

test("Theil–Sen: the slope of a line survives outliers that tilt least squares", () => {
  const xs = Array.from({ length: 20 }, (_, i) => i);
  const ys = xs.map((x) => 2 * x + 1);
  ys[3] += 100;
  ys[8] += 100;
  ys[14] += 100;
  ys[17] = -50;
  const t = trendOf(xs, ys, 20, 38);
  assert.ok(t);
  close(t.slope, 2);
  close(t.change, (2 * 19) / 38); // fitted change across the window in units of the scale: 1
  // ordinary least squares on the same points is pulled well away from 2
  const mx = xs.reduce((s, x) => s + x, 0) / 20;
  const my = ys.reduce((s, y) => s + y, 0) / 20;
  const ols =
    xs.reduce((s, x, i) => s + (x - mx) * (ys[i] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  assert.ok(Math.abs(ols - 2) > 0.5, `OLS slope ${ols}`);
});

test("Mann–Kendall: a monotonic trend is significant, shuffled noise is not", () => {
  const rng = new Rng(7);
  const xs = Array.from({ length: 32 }, (_, i) => i * 10);
  const rising = xs.map((x) => x / 100 + 0.2 * rng.normal());
  const noise = xs.map(() => rng.normal());
  const up = trendOf(xs, rising, 32, 1);
  const flat = trendOf(xs, noise, 32, 1);
  assert.ok(up && flat);
  assert.ok(up.z > 1.96, `z ${up.z}`);
  assert.equal(trendDirection(up, 1.96, 0.1), 1);
  assert.ok(Math.abs(flat.z) < 1.96, `z ${flat.z}`);
  assert.equal(trendDirection(flat, 1.96, 0.1), 0);
  // exact: S for a strictly increasing series is n(n-1)/2 and ties lower the variance
  const exact = trendOf([0, 1, 2, 3], [1, 2, 3, 4], 4, 1);
  assert.equal(exact?.s, 6);
  assert.equal(trendOf([0, 1], [1, 2], 2, 1), undefined);
});

test("oscillation: a swing has structure and crossings, white noise has no structure", () => {
  const scratch = new OscillationScratch();
  const xs = Array.from({ length: 32 }, (_, i) => i);
  const sine = xs.map((x) => Math.sin((2 * Math.PI * x) / 8));
  const o = oscillationOf(xs, sine, 32, 0, 1, scratch);
  assert.ok(o);
  assert.ok(o.autocorr > 0.6, `autocorr ${o.autocorr}`); // cos(2π/8) ≈ 0.71
  assert.ok(o.crossings >= 6, `crossings ${o.crossings}`); // 4 cycles
  assert.ok(o.amplitude > 0.9 && o.amplitude < 1.2, `amplitude ${o.amplitude}`);
  const rng = new Rng(3);
  const noise = xs.map(() => rng.normal());
  const n = oscillationOf(xs, noise, 32, 0, 1, scratch);
  assert.ok(n && Math.abs(n.autocorr) < 0.3, `noise autocorr ${n?.autocorr}`);
  // a steady rise, detrended by its slope, does not swing
  const line = xs.map((x) => 0.1 * x);
  const l = oscillationOf(xs, line, 32, 0.1, 1, scratch);
  assert.ok(l && l.amplitude < 1e-9);
});

test("bucket curve: bounded buckets whose means are the means of the points they hold", () => {
  const c = new BucketCurve(8);
  for (let i = 1; i <= 100; i++) c.add(i, i, i);
  assert.ok(c.length <= 8);
  const b = c.snapshot();
  assert.equal(
    b.reduce((s, x) => s + x.count, 0),
    100,
  );
  assert.equal(b[0].fromStep, 1);
  assert.equal(b.at(-1)?.toStep, 100);
  for (let i = 1; i < b.length; i++) assert.equal(b[i].fromStep, b[i - 1].toStep + 1);
  for (const x of b) close(x.mean, (x.fromStep + x.toStep) / 2, 1e-9);
  c.add(101, Number.NaN, Number.NaN);
  assert.equal(
    c.snapshot().reduce((s, x) => s + x.nonFinite, 0),
    1,
  );
});

test("reference: equilibrium by family and K, with where K came from", () => {
  const rvc = resolveReference({ rvcLike: true, negativeGen: false });
  assert.deepEqual(
    [rvc.family, rvc.familySource, rvc.discriminators, rvc.discriminatorsSource],
    ["lsgan", "assumed", 9, "assumed"],
  );
  assert.deepEqual(rvc.equilibrium, { loss_disc: 4.5, loss_gen: 2.25 });
  const svc = resolveReference({ hintFamily: "lsgan", hintK: 6, rvcLike: true, negativeGen: false });
  assert.deepEqual([svc.equilibrium, svc.discriminatorsSource], [{ loss_disc: 3, loss_gen: 1.5 }, "hints"]);
  const v1 = resolveReference({ hintFamily: "lsgan", tagK: 7, hintK: 9, rvcLike: true, negativeGen: false });
  assert.deepEqual([v1.equilibrium, v1.discriminatorsSource], [{ loss_disc: 3.5, loss_gen: 1.75 }, "tags"]);
  const forced = resolveReference({
    optionFamily: "bce",
    optionK: 1,
    hintFamily: "lsgan",
    hintK: 9,
    rvcLike: true,
    negativeGen: false,
  });
  assert.equal(forced.familySource, "option");
  close(forced.equilibrium.loss_disc, 2 * Math.LN2);
  assert.equal(resolveReference({ rvcLike: false, negativeGen: true }).family, "bce_minimax");
  assert.equal(
    resolveReference({ optionFamily: "wasserstein", rvcLike: false, negativeGen: false }).discScale,
    undefined,
  );
});

test("D outputs from the losses: exact for constant outputs, 0.5 / 0.5 at the equilibrium", () => {
  const bce = resolveReference({ optionFamily: "bce", rvcLike: false, negativeGen: false });
  // D(x) = 0.9 and D(G(z)) = 0.2 on every sample
  const d = estimateDOutputs(bce, -Math.log(0.9) - Math.log(0.8), -Math.log(0.2));
  assert.ok(d);
  close(d.dReal, 0.9);
  close(d.dFake, 0.2);
  const eq = estimateDOutputs(bce, 2 * Math.LN2, Math.LN2);
  close(gapOf(bce, eq as NonNullable<typeof eq>) as number, 0);
  const minimax = resolveReference({ optionFamily: "bce_minimax", rvcLike: false, negativeGen: false });
  const m = estimateDOutputs(minimax, -Math.log(0.9) - Math.log(0.8), Math.log(0.8));
  close(m?.dFake as number, 0.2);
  // LSGAN, K = 9, D(x) = 0.7 and D(G(z)) = 0.4 on every sub-discriminator (notes/rvc-logs.md §2)
  const ls = resolveReference({ optionFamily: "lsgan", optionK: 9, rvcLike: true, negativeGen: false });
  const l = estimateDOutputs(ls, 9 * (0.3 ** 2 + 0.4 ** 2), 9 * 0.6 ** 2);
  close(l?.dReal as number, 0.7, 1e-12);
  close(l?.dFake as number, 0.4, 1e-12);
  close(gapFromTerms([0.09, 0.09], [0.16, 0.16]) as number, 0.3, 1e-12);
  assert.equal(estimateDOutputs(ls, Number.NaN, 1), undefined);
});

test("JSD lower bound: BCE only, from the shared formula (notes §5: loss_disc 0.392 ↔ 0.497 nats)", () => {
  const bce = resolveReference({ optionFamily: "bce", rvcLike: false, negativeGen: false });
  close(jsdBoundFor(bce, 0.392) as number, jsdLowerBound(0.392));
  close(jsdBoundFor(bce, 0.392) as number, 0.497, 2e-3);
  assert.equal(jsdBoundFor(bce, 2 * Math.LN2), 0);
  const ls = resolveReference({ optionFamily: "lsgan", rvcLike: false, negativeGen: false });
  assert.equal(jsdBoundFor(ls, 0.3), undefined);
});

test("epochs: interpolated between anchors; steps per epoch from checkpoints", () => {
  const e = new EpochMap();
  e.observe(0, 1);
  e.observe(136, 2);
  e.observe(272, 3);
  assert.equal(e.epochAt(200), 2);
  assert.equal(e.epochAt(272), 3);
  assert.equal(e.stepOf(2), 136);
  assert.equal(e.stepsPerEpoch([{ step: 680, epoch: 5 }]), 136);
  assert.equal(e.stepsPerEpoch(), 136);
  // bounded: thousands of epochs keep at most the capacity
  const big = new EpochMap(16);
  for (let i = 1; i <= 3000; i++) big.observe(i * 16, i);
  assert.equal(big.epochAt(16 * 1500), 1500);
});

test("step assembler: interleaved tags, repeats, late points, resumes", () => {
  const a = new StepAssembler();
  const p = (tag: string, step: number, value = 1, segment?: number): ScalarPoint => ({
    tag,
    sourceTag: tag,
    step,
    value,
    ...(segment === undefined ? {} : { segment }),
  });
  // loss_disc runs one step ahead of loss_gen: steps still complete whole
  const done = [
    ...a.push(p("loss_disc", 1)).completed,
    ...a.push(p("loss_disc", 2)).completed,
    ...a.push(p("loss_gen", 1)).completed,
    ...a.push(p("loss_gen", 2)).completed,
  ];
  assert.deepEqual(
    done.map((r) => [r.step, [...r.values.keys()].sort()]),
    [[1, ["loss_disc", "loss_gen"]]],
  );
  a.push(p("loss_gen", 2, 5)); // the same step again: the latest value wins
  const flushed = a.flush();
  assert.equal(flushed[0].values.get("loss_gen")?.value, 5);
  assert.equal(a.counts.repeated, 1);
  assert.equal(a.push(p("loss_disc", 2)).completed.length, 0);
  // a step that goes back with no segment is a restart, counted
  const back = a.push(p("loss_disc", 1, 1));
  assert.equal(back.newSegment?.announced, false);
  assert.equal(a.counts.backward, 1);
  // an announced segment starts a new segment; a point from an older segment is stale
  const seg = a.push(p("loss_disc", 0, 1, 5));
  assert.deepEqual(seg.newSegment, { segment: 5, step: 0, announced: true });
  a.push(p("loss_disc", 9, 1, 2));
  assert.equal(a.counts.staleSegment, 1);
});

test("thresholds: overrides apply, unknown names and bad values are refused", () => {
  assert.equal(resolveThresholds({ gapDominant: 0.6 }).gapDominant, 0.6);
  assert.throws(() => resolveThresholds({ nope: 1 } as never), /unknown monitor threshold/);
  assert.throws(() => resolveThresholds({ window: Number.NaN }), /finite/);
  assert.throws(() => resolveThresholds({ runBuckets: 7 }), /runBuckets/);
});
