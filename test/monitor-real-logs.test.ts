import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { renderReportText } from "../src/monitor/render/render-text.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { DcganConsoleParser } from "../src/sources/dcgan-console.ts";
import type { StreamParser } from "../src/sources/parser.ts";
import { RvcLogParser } from "../src/sources/rvc-log.ts";
import { TfEventsParser } from "../src/sources/tfevents.ts";

/**
 * The monitor on real logs from test/fixtures (sources in their SOURCES.md files): each verdict below
 * was checked against what the file shows when read by eye.
 */

function analyze(parser: StreamParser, path: string): MonitorReport {
  const bytes = readFileSync(new URL(`./fixtures/${path}`, import.meta.url));
  const outs = [parser.push(bytes), parser.end(true)];
  const m = new BalanceMonitor({ hints: parser.meta() });
  for (const o of outs) for (const p of o.points) m.push(p);
  m.flush();
  return m.report();
}

const rvc = (name: string) => analyze(new RvcLogParser(name), `real-logs/${name}`);

test("fumiama#135: loss_disc becomes NaN while loss_mel stays finite → diverged, turn off fp16", () => {
  const r = rvc("fumiama-RVC-WebUI-issue135.log");
  // two pasted loss lines without [step, lr]: the reader counts them as steps 0 and 1
  assert.equal(r.verdict.health, "unhealthy");
  assert.equal(r.verdict.primary, "diverged");
  assert.equal(r.verdict.summary.key, "diverged");
  assert.equal(r.verdict.summary.params.step, 1);
  assert.equal(r.verdict.summary.params.tag, "loss_disc");
  const fp16 = r.verdict.advice[0];
  assert.equal(fp16.key, "fp16Nan");
  assert.equal(fp16.params.step, 1);
  assert.match(String(fp16.params.finiteTags), /loss_mel/);
  assert.ok(r.alerts.some((a) => a.kind === "non_finite" && a.step === 1 && a.params.tag === "loss_disc"));
  assert.deepEqual(r.equilibrium, { loss_disc: 4.5, loss_gen: 2.25 }); // K = 9 assumed, and said
  assert.ok(r.notes.some((n) => n.key === "kAssumed" && n.params.k === 9));
  const en = renderReportText(r, "en");
  assert.match(en, /loss_disc became NaN at step 1 while loss_mel, loss_kl stayed finite: turn off fp16/);
  assert.match(renderReportText(r, "zh"), /关闭 fp16/);
});

test("RVC#507 (the excerpt as saved): no NaN yet; loss_kl pinned at its clamp and too few lines to judge", () => {
  // The issue is about a run that went NaN later; the saved excerpt stops at epoch 4: three loss lines
  // (steps 200, 400, 600), loss_disc 3.859 → 3.216, loss_gen 3.076 → 4.726, loss_kl = 9.000 (the clamp)
  // from step 400 on. The monitor reports what is there and does not invent a divergence.
  const r = rvc("RVC-WebUI-issue507.log");
  assert.equal(r.completedSteps, 3);
  assert.equal(r.verdict.primary, null);
  assert.equal(r.verdict.enoughData, false);
  assert.equal(r.verdict.summary.key, "fewSteps");
  assert.equal(r.verdict.summary.params.fits, true); // 3.2-3.9 / 3.1-4.7 are RVC v2 values
  assert.ok(!r.alerts.some((a) => a.kind === "non_finite"));
  const clamp = r.alerts.find((a) => a.kind === "clamped");
  assert.deepEqual([clamp?.step, clamp?.params.tag], [400, "loss_kl"]);
  assert.deepEqual(
    r.verdict.advice.map((a) => a.key),
    ["notEnoughData", "klClamped"],
  );
  assert.deepEqual(r.rvc?.clamped, [{ tag: "loss_kl", count: 2, firstStep: 400, lastStep: 600, value: 9 }]);
  const disc = r.curves.loss_disc.map((b) => b.mean);
  const gen = r.curves.loss_gen.map((b) => b.mean);
  assert.deepEqual(
    [disc, gen],
    [
      [3.859, 3.253, 3.216],
      [3.076, 4.051, 4.726],
    ],
  );
});

test("VITS run (linslime/MYTTS train.log): NaN in its first row → diverged from the first logged step", () => {
  const r = rvc("vits-family/linslime_MYTTS__ljs_base_train.log");
  assert.equal(r.verdict.primary, "diverged");
  assert.equal(r.verdict.summary.key, "divergedFromStart");
  assert.equal(r.verdict.advice[0].key, "nanFromStart");
  assert.equal(r.discriminators, 6);
  assert.deepEqual(r.rvc?.candidates, [], "no model of this run is worth listening to");
  assert.match(renderReportText(r, "en"), /Diverged from the first logged step/);
});

test("the same run's TensorBoard file: K = 6 from the per-sub-discriminator tags, NaN from step 0", () => {
  const name =
    "linslime_MYTTS__logs_ljs_base__events.out.tfevents.1731057626.linslime-Lenovo-Legion-R7000-2020.30734.0";
  const r = analyze(new TfEventsParser(name), `tfevents/${name}`);
  assert.equal(r.discriminators, 6);
  assert.equal(r.reference.discriminatorsSource, "tags");
  assert.equal(r.verdict.summary.key, "divergedFromStart");
});

test("so-vits-svc (wsywsy979, 245 rows): K = 6 → 3.0 / 1.5, and D gradually winning", () => {
  const r = rvc("vits-family/wsywsy979_SVC__32k_train.log");
  assert.deepEqual(r.equilibrium, { loss_disc: 3, loss_gen: 1.5 });
  assert.equal(r.reference.discriminatorsSource, "hints");
  // first vs last quarter of the run (vits-family/SOURCES.md): disc 2.23 → 1.94, gen 2.57 → 3.06
  assert.equal(r.drift?.loss_disc.direction, "falling");
  assert.equal(r.drift?.loss_gen.direction, "rising");
  assert.equal(r.verdict.health, "warning");
  assert.equal(r.verdict.primary, "d_dominant");
  assert.equal(r.verdict.summary.key, "drift");
  assert.ok(r.notes.some((n) => n.key === "dGraduallyWinning"));
  assert.ok(r.verdict.advice.some((a) => a.key === "rvcDWinning"));
  // ... while loss_mel keeps improving
  assert.equal(r.rvc?.trends.loss_mel?.direction, "falling");
  // step to step the game reads balanced: D ahead, as usual for these models, but not running away
  assert.equal(r.timeline.at(-1)?.state, "balanced");
});

test("Gabrysiewicz (20 epochs, checkpoints every 5): candidate epochs among the saved checkpoints", () => {
  const r = rvc("Gabrysiewicz-S8P_RVC-README-full20epochs.log");
  const saved = new Set([5, 10, 15, 20]);
  const candidates = r.rvc?.candidates ?? [];
  assert.ok(candidates.length >= 2, `${candidates.length} candidates`);
  for (const c of candidates) {
    assert.ok(c.epoch !== undefined && saved.has(c.epoch), `epoch ${c.epoch} has a checkpoint`);
    assert.ok(c.checkpoint?.file?.startsWith("G_"));
    assert.ok(c.reasons.length > 0);
  }
  assert.ok(candidates.some((c) => c.reasons.some((x) => x.key === "lowestMel")));
  assert.equal(r.rvc?.stepsPerEpoch, 136); // G_680.pth saved at epoch 5
  assert.equal(r.rvc?.checkpointsKnown, true);
  // the fixed note against the most common misunderstanding
  assert.ok(r.notes.some((n) => n.key === "notBothZero"));
  const zh = renderReportText(r, "zh");
  assert.match(zh, /并不应该同时降到零/);
  assert.match(zh, /值得试听的候选轮次/);
});

test("the PyTorch DCGAN tutorial (CelebA): D wins outright for 1,900 steps, then lets G catch up: D dominant, then balanced; healthy", () => {
  const r = analyze(
    new DcganConsoleParser("dcgan.txt"),
    "real-logs/dcgan/pytorch-dcgan-tutorial-apachecn-zh-1.7.log",
  );
  const states = r.timeline.map((s) => s.state);
  assert.equal(states[1], "d_dominant", "D(x) ~1, D(G(z)) ~0 and loss_gen ~38 in the first epoch");
  assert.ok(
    r.timeline[1].toStep < 3000,
    `D's outright lead ends by the second epoch (${r.timeline[1].toStep})`,
  );
  // Afterwards D(x) - D(G(z)) sits at 0.26-0.6 while the faces form: a fall of ~0.7 from D's outright
  // win, so "D never let go" (its gap above leadFloorGap all along) must not read this as D dominant.
  assert.equal(states.at(-1), "balanced");
  assert.equal(r.verdict.health, "healthy");
});

test("an RVC run with nothing wrong answers 'overtrained?' first: what the log can and cannot say", () => {
  const r = rvc("Gabrysiewicz-S8P_RVC-README-full20epochs.log");
  assert.equal(r.verdict.health, "healthy");
  const first = r.verdict.advice[0];
  assert.equal(first.key, "rvcOvertrained");
  assert.equal(first.params.dWinning, false);
  assert.equal(first.params.mel, r.rvc?.trends.loss_mel?.direction);
  assert.match(renderReportText(r, "en"), /Overtrained\? A log cannot tell/);
  assert.match(renderReportText(r, "zh"), /过度训练/);
  // a diverged RVC run is not asked that question
  assert.ok(!rvc("fumiama-RVC-WebUI-issue135.log").verdict.advice.some((a) => a.key === "rvcOvertrained"));
});

test("candidates in one epoch are each named once, by epoch and step (RVC#2735 prints every step)", () => {
  const r = rvc("RVC-WebUI-issue2735.log");
  const listen = r.verdict.advice.find((a) => a.key === "rvcListen");
  const names = String(listen?.params.epochs).split(", ");
  assert.equal(new Set(names).size, names.length, String(listen?.params.epochs));
  assert.ok(names.length >= 2);
});
