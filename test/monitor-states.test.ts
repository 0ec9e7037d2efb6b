import assert from "node:assert/strict";
import { test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";
import { STATE_NAMES } from "../src/monitor/types.ts";
import { Rng } from "../src/rng.ts";
import {
  bceLevels,
  bceSteps,
  type Fed,
  feed,
  LN2,
  pointsOf,
  type StepValues,
} from "./helpers/monitor-streams.ts";

/** Every timeline entry carries a confidence in 0..1 and the numbers that led to it. */
function wellFormed(f: Fed): void {
  for (const e of f.report.timeline) {
    assert.ok(e.confidence >= 0 && e.confidence <= 1, `confidence ${e.confidence}`);
    assert.ok(e.evidence.length > 0, `${e.state} has evidence`);
    assert.ok(e.evidence.every((x) => typeof x.signal === "string" && typeof x.value === "number"));
    assert.ok(e.toStep >= e.fromStep);
  }
  assert.ok(f.report.timeline.every((e) => STATE_NAMES.includes(e.state)));
}

const balanced = (n: number, seed = 1) => bceSteps(n, bceLevels(0.52, 0.48), 0.03, seed);

test("warmup, then balanced: a BCE game at its equilibrium is healthy", () => {
  const f = feed(balanced(200), { lossFamily: "bce" });
  wellFormed(f);
  assert.deepEqual(f.states, ["warmup", "balanced"]);
  assert.equal(f.report.timeline[0].fromStep, 1);
  assert.equal(f.report.verdict.health, "healthy");
  assert.equal(f.report.verdict.primary, null);
  assert.ok(f.report.timeline[1].confidence > 0.8);
  // the state change was announced as an event when it happened
  const change = f.events.find((e) => e.type === "state");
  assert.deepEqual([change?.from, change?.to], ["warmup", "balanced"]);
});

test("hysteresis: one wild batch does not change the state", () => {
  const steps = balanced(200);
  steps[120] = { loss_disc: 0.05, loss_gen: 4, d_real: 0.99, d_fake: 0.01 }; // one batch D nails
  steps[150] = { loss_disc: 4, loss_gen: 0.05, d_real: 0.01, d_fake: 0.99 }; // one batch D gets all wrong
  const f = feed(steps, { lossFamily: "bce" });
  assert.deepEqual(f.states, ["warmup", "balanced"]);
  assert.equal(f.events.filter((e) => e.type === "state").length, 1);
  // ... though the spike itself is an alert
  assert.ok(f.report.alerts.some((a) => a.kind === "spike" && a.step === 121));
});

test("d_dominant from D's outputs far apart, with the lr_d advice from the logged rate", () => {
  const steps = bceSteps(150, { disc: 0.3, gen: 3, dReal: 0.9, dFake: 0.1 }).map((v) => ({
    ...v,
    lr_d: 1e-4,
    lr_g: 1e-4,
  }));
  const f = feed(steps, { lossFamily: "bce" });
  wellFormed(f);
  assert.deepEqual(f.states, ["warmup", "d_dominant"]);
  const entry = f.report.timeline[1];
  const gap = entry.evidence.find((e) => e.signal === "d_gap");
  assert.ok(gap && gap.value > 0.7 && gap.threshold === MONITOR_THRESHOLDS.gapDominant && gap.op === ">=");
  assert.equal(f.report.verdict.health, "unhealthy");
  assert.equal(f.report.verdict.primary, "d_dominant");
  const advice = f.report.verdict.advice.find((a) => a.key === "lowerLrD");
  assert.deepEqual(advice?.params, { from: 1e-4, to: 5e-5 });
});

test("d_dominant from the losses alone: loss_disc steadily falling while loss_gen rises", () => {
  const rng = new Rng(2);
  const steps: StepValues[] = Array.from({ length: 240 }, (_, i) => ({
    loss_disc: 1.25 - (0.8 * i) / 240 + 0.02 * rng.normal(),
    loss_gen: 0.8 + (1.6 * i) / 240 + 0.02 * rng.normal(),
  }));
  const f = feed(steps, { lossFamily: "bce" });
  wellFormed(f);
  assert.ok(f.states.includes("d_dominant"), f.states.join(","));
  assert.equal(f.report.dOutputs?.source, "estimated");
  const trend = f.report.timeline
    .find((e) => e.state === "d_dominant")
    ?.evidence.find((e) => e.signal.startsWith("loss_disc"));
  assert.ok(trend, "the entry names loss_disc's trend or level");
});

test("g_dominant: D rates the fakes above the reals", () => {
  const f = feed(bceSteps(150, { disc: 2.2, gen: 0.35, dReal: 0.3, dFake: 0.7 }), { lossFamily: "bce" });
  wellFormed(f);
  assert.deepEqual(f.states, ["warmup", "g_dominant"]);
  assert.equal(f.report.verdict.primary, "g_dominant");
  assert.ok(f.report.verdict.advice.some((a) => a.key === "lowerLrG"));
});

test("collapse_suspected: loss_gen drops fast while D's outputs become uninformative", () => {
  const rng = new Rng(4);
  const steps: StepValues[] = [];
  for (let i = 0; i < 100; i++) {
    steps.push({
      loss_disc: 1.1 + 0.02 * rng.normal(),
      loss_gen: 1.2 + 0.02 * rng.normal(),
      d_real: 0.6,
      d_fake: 0.4,
    });
  }
  for (let i = 0; i < 30; i++) {
    const drop = Math.min(1, i / 6);
    steps.push({
      loss_disc: 1.1 + 0.4 * drop + 0.02 * rng.normal(),
      loss_gen: 1.2 - 1.0 * drop + 0.02 * rng.normal(),
      d_real: 0.6 - 0.1 * drop,
      d_fake: 0.4 + 0.2 * drop,
    });
  }
  const f = feed(steps, { lossFamily: "bce" });
  wellFormed(f);
  assert.ok(f.states.includes("collapse_suspected"), f.states.join(","));
  const entry = f.report.timeline.find((e) => e.state === "collapse_suspected");
  assert.ok(entry && entry.fromStep > 100 && entry.fromStep <= 112, `entered at ${entry?.fromStep}`);
  assert.ok(
    entry.evidence.some(
      (e) => e.signal === "loss_gen.short_trend" && e.value <= MONITOR_THRESHOLDS.collapseGenDrop,
    ),
  );
});

test("oscillating: the two losses swing against each other", () => {
  const rng = new Rng(5);
  const steps: StepValues[] = Array.from({ length: 200 }, (_, i) => {
    const s = Math.sin((2 * Math.PI * i) / 10);
    return {
      loss_disc: 2 * LN2 + 0.4 * s + 0.02 * rng.normal(),
      loss_gen: LN2 - 0.3 * s + 0.02 * rng.normal(),
    };
  });
  const f = feed(steps, { lossFamily: "bce" });
  wellFormed(f);
  assert.equal(f.states.at(-1), "oscillating");
  assert.equal(f.report.verdict.primary, "oscillating");
  const corr = f.report.timeline.at(-1)?.evidence.find((e) => e.signal === "loss_cross_correlation");
  assert.ok(corr && corr.value < -0.5, `cross-correlation ${corr?.value}`);
});

test("stalled: D's output frozen at 0.5 and both losses frozen (moving by float rounding only)", () => {
  // A dead D (dead ReLUs, NaN weights) answers one constant: its losses move by float32 rounding, 1e-7,
  // which no network that still computes can do on fresh batches (issue 14: a game resting at the
  // equilibrium jitters by 1e-3 and reads balanced, test/monitor-verdict.test.ts).
  const f = feed(bceSteps(150, { disc: 2 * LN2, gen: LN2, dReal: 0.5, dFake: 0.5 }, 1e-7), {
    lossFamily: "bce",
  });
  wellFormed(f);
  assert.equal(f.states.at(-1), "stalled");
  assert.ok(f.report.verdict.advice.some((a) => a.key === "stalledFlat"));
});

test("stalled: G's gradient is exactly zero", () => {
  const steps = balanced(100).map((v, i) => ({ ...v, grad_norm_g: i < 40 ? 0.5 : 0, grad_norm_d: 0.3 }));
  const f = feed(steps, { lossFamily: "bce" });
  const entry = f.report.timeline.find((e) => e.state === "stalled");
  assert.ok(entry && entry.fromStep >= 45 && entry.fromStep <= 50, `stalled from ${entry?.fromStep}`);
  assert.ok(f.report.verdict.advice.some((a) => a.key === "stalledGrad"));
});

test("diverged: NaN enters at once, with an event at that step and the step in the verdict", () => {
  const steps = balanced(80);
  for (let i = 60; i < 80; i++) steps[i] = { ...steps[i], loss_disc: Number.NaN, loss_gen: Number.NaN };
  const m = new BalanceMonitor({ lossFamily: "bce" });
  const changes: { step: number; to?: string }[] = [];
  steps.forEach((v, i) => {
    for (const p of pointsOf(i + 1, v))
      for (const e of m.push(p)) if (e.type === "state") changes.push({ step: e.step, to: e.to });
  });
  m.flush();
  assert.deepEqual(changes.at(-1), { step: 61, to: "diverged" });
  const r = m.report();
  assert.equal(r.verdict.primary, "diverged");
  assert.equal(r.verdict.summary.key, "diverged");
  assert.equal(r.verdict.summary.params.step, 61);
  assert.ok(r.alerts.some((a) => a.kind === "non_finite" && a.step === 61 && a.severity === "critical"));
});

test("fp16: a non-finite gradient norm with finite losses is a skipped update, counted, not divergence", () => {
  const steps: Record<string, number>[] = balanced(100).map((v) => ({
    ...v,
    grad_norm_d: 0.4,
    grad_norm_g: 0.6,
  }));
  for (const i of [20, 47, 48, 90]) steps[i] = { ...steps[i], grad_norm_g: Number.POSITIVE_INFINITY };
  steps[60] = { ...steps[60], grad_norm_d: Number.NaN };
  const f = feed(steps, { lossFamily: "bce" });
  assert.notEqual(f.report.verdict.primary, "diverged");
  assert.ok(!f.states.includes("diverged"), f.states.join(" "));
  // Non-finite for longer than a gradient scaler can skip: the weights are gone, divergence.
  const dead = steps.map((v, i) => (i >= 50 ? { ...v, grad_norm_d: Number.NaN } : v));
  assert.equal(feed(dead, { lossFamily: "bce" }).report.verdict.primary, "diverged");
  assert.ok(!f.report.alerts.some((a) => a.kind === "non_finite"));
  const skipped = f.report.alerts.filter((a) => a.kind === "skipped_step");
  assert.deepEqual(
    skipped.map((a) => [a.step, a.severity]),
    [[21, "info"]],
  );
  const note = f.report.notes.find((n) => n.key === "skippedSteps");
  assert.deepEqual(note?.params, { count: 5, tag: "grad_norm_g", step: 21 });
  // A NaN loss at the same step is divergence whatever the gradient norm says.
  steps[95] = { ...steps[95], loss_disc: Number.NaN, grad_norm_d: Number.NaN };
  assert.equal(feed(steps, { lossFamily: "bce" }).report.verdict.primary, "diverged");
});

test("diverged: an explosion with no NaN", () => {
  const steps = balanced(80);
  for (let i = 50; i < 80; i++) steps[i] = { ...steps[i], loss_disc: 1e5 * (i - 49) };
  const f = feed(steps, { lossFamily: "bce" });
  assert.equal(f.states.at(-1), "diverged");
  assert.equal(f.report.verdict.summary.key, "exploded");
  assert.ok(f.report.alerts.some((a) => a.kind === "explosion" && a.step === 51));
});

test("least squares with K: the same stream scaled by K reads the same", () => {
  // an RVC-like D lead: per sub-discriminator D(x) ≈ 0.9, D(G(z)) ≈ 0.15
  const perSubD = { disc: 0.1 ** 2 + 0.15 ** 2, gen: 0.85 ** 2 };
  for (const k of [1, 6, 9]) {
    const steps = bceSteps(120, { disc: k * perSubD.disc, gen: k * perSubD.gen }, 0.005 * k);
    const f = feed(steps, { lossFamily: "lsgan", discriminators: k });
    assert.equal(f.report.discriminators, k);
    assert.deepEqual(f.report.equilibrium, { loss_disc: 0.5 * k, loss_gen: 0.25 * k });
    assert.equal(f.states.at(-1), "d_dominant", `K = ${k}: ${f.states}`);
  }
});

test("phases: D wins easily first (early), G catches up (middle), the game settles (late)", () => {
  const rng = new Rng(6);
  const lead = (i: number) => (i < 50 ? 0.7 : i < 150 ? 0.7 - (0.6 * (i - 50)) / 100 : 0.1);
  const steps: StepValues[] = Array.from({ length: 400 }, (_, i) => ({
    loss_disc: 2 * LN2 - lead(i) + 0.02 * rng.normal(),
    loss_gen: LN2 + 2 * lead(i) + 0.02 * rng.normal(),
    d_real: 0.5 + lead(i) / 2,
    d_fake: 0.5 - lead(i) / 2,
  }));
  const f = feed(steps, { lossFamily: "bce" });
  const phases = f.report.phases;
  assert.deepEqual(
    phases.map((p) => p.phase),
    ["early", "middle", "late"],
  );
  const [early, middle, late] = phases;
  // the lead halves (0.7 → 0.4) at step ~100
  assert.ok(early.toStep >= 85 && early.toStep <= 115, `early ends at ${early.toStep}`);
  assert.equal(middle.fromStep, early.toStep + 1);
  assert.ok(late.fromStep >= 135 && late.fromStep <= 260, `late starts at ${late.fromStep}`);
  assert.equal(late.toStep, 400);
  assert.ok(early.evidence.some((e) => e.signal === "lead.peak_minus_final" && e.value > 0.5));
  assert.equal(f.monitor.snapshot().phase, "late");
});

test("snapshot: the current state, its confidence and the latest signals, mid-stream", () => {
  const m = new BalanceMonitor({ lossFamily: "bce" });
  bceSteps(60, { disc: 0.3, gen: 3, dReal: 0.9, dFake: 0.1 }).forEach((v, i) => {
    for (const p of pointsOf(i + 1, v)) m.push(p);
  });
  const s = m.snapshot();
  assert.equal(s.state, "d_dominant");
  assert.equal(s.step, 59); // step 60 waits for a later step (or flush) to be complete
  assert.equal(s.completedSteps, 59);
  assert.ok(s.confidence > 0.5 && s.confidence <= 1);
  assert.ok(s.signals.d_gap > 0.7);
  assert.ok(Math.abs(s.signals["loss_disc.smoothed"] - 0.3) < 0.05);
  assert.ok(s.signals.jsd_lower_bound > 0.5, "D separates: the JSD bound is high");
  assert.ok(s.evidence.some((e) => e.signal === "d_gap"));
});

test("hints can arrive late: a growing log that learns its K and checkpoints as it goes", () => {
  const m = new BalanceMonitor();
  bceSteps(30, { disc: 3.2, gen: 2.4 }).forEach((v, i) => {
    for (const p of pointsOf(i * 10, { ...v, loss_mel: 20 - i * 0.1 })) m.push(p);
  });
  assert.equal(m.report().discriminators, 9); // RVC-like with no K given: assumed v2
  m.setHints({
    lossFamily: "lsgan",
    discriminators: 7,
    checkpoints: [{ epoch: 2, step: 100, file: "G_100.pth" }],
  });
  m.flush();
  const r = m.report();
  assert.deepEqual([r.discriminators, r.reference.discriminatorsSource], [7, "hints"]);
  assert.deepEqual(r.equilibrium, { loss_disc: 3.5, loss_gen: 1.75 });
  assert.ok(r.rvc?.candidates.every((c) => c.checkpoint?.file === "G_100.pth"));
});
