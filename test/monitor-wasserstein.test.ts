import assert from "node:assert/strict";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { loadCorpus, runTruth } from "../bench/cross-trainer/corpus.ts";
import { monitorVerdict } from "../bench/cross-trainer/score.ts";
import { diagnose } from "../src/cli/analyze-report.ts";
import { CriticPeak } from "../src/monitor/rules/rules-wasserstein.ts";
import { Rng } from "../src/rng.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { feed, type StepValues } from "./helpers/monitor-streams.ts";

/**
 * WGAN read as itself (src/monitor/rules/rules-wasserstein.ts): the critic's Wasserstein estimate
 * W = -loss_disc against its own peak. Synthetic critics whose estimate rises while the critic learns
 * and then shrinks (G catching up), sinks well below 0 (the critic rates generated data above real) or
 * stays at its peak (G never catches up); then the corpus's real WGAN-GP runs, whose truth comes from
 * their samples.
 */

/** n steps of a WGAN whose estimate follows w(i); G's loss carries the critic's free offset. */
function wganSteps(n: number, w: (i: number) => number, seed: number): StepValues[] {
  const rng = new Rng(seed);
  const out: StepValues[] = [];
  for (let i = 0; i < n; i++) {
    const noise = 0.04 * (rng.uniform() - 0.5);
    out.push({ loss_disc: -(w(i) + noise), loss_gen: 0.3 + 0.002 * i + 0.05 * (rng.uniform() - 0.5) });
  }
  return out;
}

/** The estimate climbs to 1 over the first 40 steps, then settles at `end` (time constant 40 steps). */
const shape = (_n: number, end: number) => (i: number) =>
  i < 40 ? i / 40 : end + (1 - end) * Math.exp(-(i - 40) / 40);

test("CriticPeak: the highest smoothed estimate from the given judged step on, forgotten on reset", () => {
  const p = new CriticPeak();
  assert.equal(p.observe(1, -5, 5), undefined); // before the warm-up: no peak yet
  assert.deepEqual(p.observe(5, -1, 5), { estimate: 1, peak: 1 });
  assert.deepEqual(p.observe(6, -0.25, 5), { estimate: 0.25, peak: 1 });
  assert.equal(p.observe(7, Number.NaN, 5), undefined);
  p.reset();
  assert.deepEqual(p.observe(8, 0.5, 5), { estimate: -0.5, peak: -0.5 });
});

test("a WGAN whose estimate shrinks to a tenth of its peak (G catching up) reads healthy", () => {
  const n = 400;
  const { report } = feed(wganSteps(n, shape(n, 0.1), 1), { lossFamily: "wasserstein" });
  assert.equal(report.verdict.health, "healthy", JSON.stringify(report.timeline.map((e) => e.rule)));
  // the critic leads while it learns (the early phase); from the second half on nothing is wrong
  assert.ok(!report.timeline.some((e) => e.rule === "critic_beaten"));
  assert.ok(!report.timeline.some((e) => e.rule === "critic_ahead" && e.toStep > n / 2));
  assert.equal(report.timeline.at(-1)?.rule, "no_problem");
});

test("a WGAN whose estimate sinks to 60% of its peak below 0 reads G dominant: the critic is beaten", () => {
  const n = 400;
  const { report } = feed(wganSteps(n, shape(n, -0.6), 2), { lossFamily: "wasserstein" });
  assert.equal(
    report.verdict.health,
    "unhealthy",
    JSON.stringify(report.timeline.map((e) => [e.fromStep, e.rule])),
  );
  assert.equal(report.verdict.primary, "g_dominant");
  const last = report.timeline.at(-1);
  assert.equal(last?.rule, "critic_beaten");
  const ratio = last?.evidence.find((e) => e.signal === "critic.estimate_to_peak");
  // entered once the estimate was well below 0: a third of the peak or more
  assert.ok(ratio !== undefined && ratio.value < -0.25 && ratio.value > -0.7, JSON.stringify(ratio));
});

test("a WGAN whose estimate never comes down from its peak reads D dominant: G has not caught up", () => {
  const n = 400;
  const { report } = feed(wganSteps(n, shape(n, 0.95), 3), { lossFamily: "wasserstein" });
  assert.equal(report.verdict.health, "unhealthy");
  assert.equal(report.verdict.primary, "d_dominant");
  assert.equal(report.timeline.at(-1)?.rule, "critic_ahead");
});

test("a WGAN whose estimate is still shrinking at the end, above half its peak, is not read D dominant: G is closing the gap", () => {
  // The keras-io WGAN-GP example's shape: 20 epochs, every one lower (7.7 -> 2.5, a third of the peak),
  // the smoothed estimate lagging above half of it when the run stops.
  const n = 100;
  const { report } = feed(
    wganSteps(n, (i) => 1 - (0.45 * i) / n, 4),
    { lossFamily: "wasserstein" },
  );
  const rules = JSON.stringify(report.timeline.map((e) => [e.fromStep, e.rule]));
  // Once the fall is clear across the window (a significant trend), the rule lets go, for good.
  assert.equal(report.timeline.at(-1)?.rule, "no_problem", rules);
  assert.equal(report.verdict.health, "healthy", rules);
});

test("the keras-io WGAN-GP example's printed fit (healthy by its source) reads healthy", async () => {
  const file = fileURLToPath(
    new URL("fixtures/real-world/pasted/keras-io-wgan-gp-keras2-fit-negative.log", import.meta.url),
  );
  const [{ report }] = diagnose(await readRuns(file), { lang: "en" });
  assert.equal(report.reference.family, "wasserstein");
  assert.equal(report.verdict.health, "healthy", JSON.stringify(report.timeline.map((e) => e.rule)));
});

test("the same critic told it is BCE is not read by the WGAN rules", () => {
  const n = 400;
  const { report } = feed(wganSteps(n, shape(n, -0.6), 2), { lossFamily: "bce" });
  assert.ok(!report.timeline.some((e) => e.rule === "critic_beaten" || e.rule === "critic_ahead"));
});

test("on the corpus's WGAN-GP runs, every verdict the beaten-critic rule decides is unhealthy by the samples", () => {
  const runs = loadCorpus().filter((r) => r.config.loss === "wgan_gp");
  const decided = runs.filter((r) => monitorVerdict(r).ruleId === "critic_beaten");
  assert.ok(decided.length >= 5, `${decided.length} runs decided`);
  for (const r of decided) assert.equal(runTruth(r).label, "unhealthy", r.id);
});
