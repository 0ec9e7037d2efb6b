import assert from "node:assert/strict";
import { test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { renderReportText } from "../src/monitor/render/render-text.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { Rng } from "../src/rng.ts";
import type { ScalarPoint } from "../src/types.ts";
import { bceLevels, bceSteps, feed, LN2, pointsOf } from "./helpers/monitor-streams.ts";

/** Little or bad data gets a clear verdict and never an exception, and the report still renders. */
function renders(r: MonitorReport): void {
  for (const lang of ["en", "zh"] as const) {
    const text = renderReportText(r, lang);
    assert.ok(text.length > 0);
    assert.doesNotMatch(text, /summary\.|advice\.|undefined/);
  }
  assert.doesNotThrow(() => JSON.stringify(r));
}

test("an empty stream: not enough data yet", () => {
  const m = new BalanceMonitor();
  assert.deepEqual(m.flush(), []);
  const snap = m.snapshot();
  assert.deepEqual([snap.state, snap.completedSteps], ["warmup", 0]);
  const r = m.report();
  assert.equal(r.verdict.summary.key, "noPoints");
  assert.deepEqual([r.verdict.health, r.verdict.enoughData, r.timeline.length], ["warning", false, 0]);
  assert.match(r.verdict.summaryText, /Not enough data yet/);
  renders(r);
});

test("one point, and one step: not enough to judge the balance", () => {
  const m = new BalanceMonitor();
  m.push({ tag: "loss_disc", sourceTag: "loss_disc", step: 0, value: 1.2 });
  m.flush();
  const one = m.report();
  assert.equal(one.verdict.summary.key, "noDiscLoss");
  assert.deepEqual(
    one.verdict.advice.map((a) => a.key),
    ["logBothLosses"],
  );
  renders(one);

  const step = feed([{ loss_disc: 1.3, loss_gen: 0.7 }]);
  // one line answers what one line can: the values against the equilibrium, and that a trend needs more
  assert.equal(step.report.verdict.summary.key, "fewSteps");
  const p = step.report.verdict.summary.params;
  assert.deepEqual([p.steps, p.needed, p.disc, p.gen, p.family, p.fits], [1, 5, 1.3, 0.7, "bce", true]);
  assert.equal(step.report.verdict.enoughData, false);
  assert.match(renderReportText(step.report, "en"), /Verdict: TOO EARLY TO TELL/);
  assert.deepEqual(step.states, ["warmup"]);
  renders(step.report);
});

test("an all-NaN series: diverged from the first logged step", () => {
  const f = feed(
    Array.from({ length: 20 }, () => ({ loss_disc: Number.NaN, loss_gen: Number.NaN })),
    { lossFamily: "bce" },
  );
  assert.equal(f.report.verdict.summary.key, "divergedFromStart");
  assert.deepEqual(f.states, ["diverged"]);
  assert.equal(f.report.timeline[0].fromStep, 1);
  assert.equal(f.report.verdict.advice[0].key, "nanFromStart");
  assert.match(f.report.verdict.summaryText, /Diverged from the first logged step/);
  renders(f.report);
});

test("Infinity is data too: a loss_gen of +Infinity diverges the run", () => {
  const steps = bceSteps(30, { disc: 2 * LN2, gen: LN2 });
  steps[20] = { loss_disc: 1.2, loss_gen: Number.POSITIVE_INFINITY };
  const f = feed(steps, { lossFamily: "bce" });
  assert.equal(f.report.verdict.primary, "diverged");
  assert.equal(f.report.verdict.summary.params.value, "Infinity");
  renders(f.report);
});

test("steps out of order: read as restarts, counted and said, never a crash", () => {
  const rng = new Rng(9);
  const steps = bceSteps(60, { disc: 2 * LN2, gen: LN2 });
  const order = steps.map((_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const m = new BalanceMonitor({ lossFamily: "bce" });
  for (const s of order) for (const p of pointsOf(s, steps[s - 1])) m.push(p);
  m.flush();
  const r = m.report();
  assert.ok(r.dataQuality.backward > 10, `backward ${r.dataQuality.backward}`);
  assert.ok(r.alerts.some((a) => a.kind === "out_of_order"));
  assert.ok(r.rvc && r.rvc.resumes.length > 0, "each step back is a segment");
  renders(r);
});

test("a resume (the source marks a new segment) is not a glitch: warmup again, no out-of-order alert", () => {
  const m = new BalanceMonitor({ lossFamily: "bce" });
  const first = bceSteps(40, bceLevels(0.52, 0.48));
  first.forEach((v, i) => {
    for (const p of pointsOf(i + 1, v, { segment: 0 })) m.push(p);
  });
  const events = bceSteps(40, bceLevels(0.52, 0.48), 0.03, 2).flatMap((v, i) =>
    pointsOf(21 + i, v, { segment: 1 }).flatMap((p) => m.push(p)),
  );
  m.flush();
  const r = m.report();
  assert.deepEqual(r.rvc?.resumes, [{ segment: 1, step: 21 }]);
  assert.ok(events.some((e) => e.alert?.kind === "resume" && e.step === 21));
  assert.ok(!r.alerts.some((a) => a.kind === "out_of_order"));
  assert.deepEqual(
    r.timeline.map((e) => [e.segment, e.state]),
    [
      [0, "warmup"],
      [0, "balanced"],
      [1, "warmup"],
      [1, "balanced"],
    ],
  );
  assert.equal(r.verdict.health, "healthy");
});

test("malformed points are counted, not thrown", () => {
  const m = new BalanceMonitor();
  const bad = [
    { tag: "loss_disc", sourceTag: "loss_disc", step: Number.NaN, value: 1 },
    { tag: undefined, sourceTag: "x", step: 1, value: 1 },
    null,
  ] as unknown as ScalarPoint[];
  for (const p of bad) assert.deepEqual(m.push(p), []);
  m.flush();
  const r = m.report();
  assert.equal(r.dataQuality.points, 3);
  assert.equal(r.dataQuality.invalid, 3);
  renders(r);
});

test("a run resumed after it diverged is judged on what came after; the divergence stays as a note", () => {
  const m = new BalanceMonitor({ lossFamily: "bce" });
  const healthy = (seed: number) => bceSteps(40, bceLevels(0.52, 0.48), 0.03, seed);
  healthy(1).forEach((v, i) => {
    const values = i >= 30 ? { ...v, loss_disc: Number.NaN } : v;
    for (const p of pointsOf(i + 1, values, { segment: 0 })) m.push(p);
  });
  healthy(2).forEach((v, i) => {
    for (const p of pointsOf(21 + i, v, { segment: 1 })) m.push(p);
  });
  m.flush();
  const r = m.report();
  assert.ok(r.timeline.some((e) => e.segment === 0 && e.state === "diverged"));
  assert.equal(r.timeline.at(-1)?.state, "balanced");
  assert.notEqual(r.verdict.primary, "diverged");
  const note = r.notes.find((n) => n.key === "divergedBeforeResume");
  assert.deepEqual(note?.params, { tag: "loss_disc", step: 31, resumeStep: 21 });
  renders(r);
});

test("one player's loss only: the verdict may judge that loss, and a note says the balance cannot be judged", () => {
  // G's loss alone, NaN from the first line (a vocoder's console that prints G's total only).
  const g = new BalanceMonitor();
  for (const step of [1000, 2000, 3000])
    g.push({ tag: "loss_gen", sourceTag: "gen", step, value: Number.NaN });
  g.flush();
  const gOnly = g.report();
  assert.deepEqual([gOnly.verdict.health, gOnly.verdict.primary], ["unhealthy", "diverged"]);
  const note = gOnly.notes.find((n) => n.key === "oneLossOnly");
  assert.deepEqual(note?.params, { present: "loss_gen" });
  assert.match(renderReportText(gOnly, "en"), /Only loss_gen is in this log, not loss_disc.*--d-tag/);
  assert.match(renderReportText(gOnly, "zh"), /此日志中只有 loss_gen，没有 loss_disc.*--d-tag/);
  renders(gOnly);
  // D's loss alone, finite: the note names the other flag.
  const d = new BalanceMonitor();
  for (let step = 0; step < 40; step++) d.push({ tag: "loss_disc", sourceTag: "d", step, value: 1.3 });
  d.flush();
  const dOnly = d.report();
  assert.equal(dOnly.verdict.summary.key, "noDiscLoss");
  assert.deepEqual(dOnly.notes.find((n) => n.key === "oneLossOnly")?.params, { present: "loss_disc" });
  // Both losses: no such note.
  const both = feed(bceSteps(60, bceLevels(0.5, 0.5)), { lossFamily: "bce" }).report;
  assert.equal(
    both.notes.some((n) => n.key === "oneLossOnly"),
    false,
  );
});
