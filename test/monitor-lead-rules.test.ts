import assert from "node:assert/strict";
import { test } from "node:test";
import { DiscSide } from "../src/monitor/signals/disc-side.ts";
import { LeadFloor } from "../src/monitor/signals/lead-floor.ts";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";
import { assertHolds } from "./helpers/monitor-evidence.ts";
import { bceLevels, bceSteps, feed, LN2, type StepValues } from "./helpers/monitor-streams.ts";

/**
 * The rules that read D's lead further back than one window (src/monitor/rules/rules-lead.ts): a working D
 * at the equilibrium, a D no better than a constant, and the frozen stall that
 * now needs D's lead never to have come down. Thresholds come from MONITOR_THRESHOLDS.
 */

const T = MONITOR_THRESHOLDS;

test("DiscSide: the share below the equilibrium over a bounded ring; float32's hair below ln 4 is not below", () => {
  const side = new DiscSide(4, T.workingDMargin);
  assert.equal(side.share(), undefined);
  // a D that outputs exactly 0.5 logs 1.3862922 against ln 4 = 1.3862944
  side.push((1.3862922 - 2 * LN2) / (2 * LN2));
  assert.equal(side.share(), 0);
  side.push(-0.005);
  side.push(-0.005);
  side.push(Number.NaN); // not data about the side: ignored
  side.push(undefined);
  assert.equal(side.size, 3);
  assert.ok(Math.abs((side.share() as number) - 2 / 3) < 1e-12);
  side.push(-0.005);
  side.push(-0.005); // the ring holds 4: the first (not below) falls out
  assert.equal(side.share(), 1);
  side.reset();
  assert.equal(side.share(), undefined);
});

test("LeadFloor: the lowest gap from the given judged step on, forgotten on reset", () => {
  const floor = new LeadFloor();
  floor.observe(3, 0.01, 15); // the early transient does not count
  assert.equal(floor.value(), undefined);
  floor.observe(15, 0.4, 15);
  floor.observe(16, 0.3, 15);
  floor.observe(17, 0.5, 15);
  floor.observe(18, undefined, 15);
  assert.equal(floor.value(), 0.3);
  floor.observe(19, 0.05, 15);
  floor.observe(20, 0.9, 15);
  assert.equal(floor.value(), 0.05);
  floor.reset();
  assert.equal(floor.value(), undefined);
});

/** A game at rest at its equilibrium: D a hair ahead (gap ~0.01), losses nearly flat (decayed rates). */
const atRest = () =>
  bceSteps(200, bceLevels(0.505, 0.495), 0.002, 4).map(({ loss_disc, loss_gen }) => ({
    loss_disc,
    loss_gen,
  }));

test("a working D at rest (gap ~0.01, flat losses just below the equilibrium) is balanced, not pinned or stalled", () => {
  const f = feed(atRest(), { lossFamily: "bce" });
  assert.deepEqual(f.states, ["warmup", "balanced"]);
  assert.equal(f.report.verdict.health, "healthy");
  // the latest vote's evidence (the timeline entry keeps the evidence it opened with)
  const share = f.monitor.snapshot().evidence.find((e) => e.signal === "loss_disc.below_equilibrium_share");
  assert.ok(share && share.value >= T.workingDShare, JSON.stringify(share));
  // without the working-D reading the same stream is still no failure: losses resting at the
  // equilibrium with batch jitter are the game's goal as far as they can tell (issue 14)
  const off = feed(atRest(), { lossFamily: "bce", thresholds: { workingDShare: 2 } });
  assert.deepEqual(off.states, ["warmup", "balanced"]);
  assert.ok(off.report.notes.some((n) => n.key === "atEquilibrium"));
});

/** Losses only, loss_disc `shift` equilibrium units above (or below) its equilibrium, loss_gen 5% above. */
const aboveEq = (shift: number) =>
  bceSteps(200, { disc: 2 * LN2 * (1 + shift), gen: LN2 * (1 + 0.05) }, 0.03, 6).map(
    ({ loss_disc, loss_gen }) => ({ loss_disc, loss_gen }),
  );

test("D worse than a constant (loss_disc 10% above its equilibrium): G dominant, unhealthy, with the reason", () => {
  const f = feed(aboveEq(0.1), { lossFamily: "bce" });
  assert.equal(f.states.at(-1), "g_dominant");
  const evidence = f.report.timeline.at(-1)?.evidence;
  assertHolds(evidence, "loss_disc.below_equilibrium_share", "<=", "beatenDShare");
  assertHolds(evidence, "loss_disc.rel", ">", "equilibriumBand");
  assert.equal(f.report.verdict.health, "unhealthy");
  const keys = f.report.verdict.advice.map((a) => a.key);
  assert.ok(keys.includes("dNoBetterThanConstant") && keys.includes("lowerLrG"), keys.join(","));
  // the same game with loss_disc as far below its equilibrium: D works, no G dominance
  const below = feed(aboveEq(-0.1), { lossFamily: "bce" });
  assert.ok(!below.states.includes("g_dominant"), below.states.join(","));
  // and resting within the band, on both sides of the equilibrium by turns: balanced, not beaten
  const at = feed(aboveEq(0.01), { lossFamily: "bce" });
  assert.equal(at.report.verdict.health, "healthy", at.states.join(","));
});

/** D's outputs from (dReal, 1 - dReal) at each step, with batch noise. */
function leadWave(n: number, dReal: (i: number) => number, seed = 7): StepValues[] {
  return bceSteps(n, { disc: 0, gen: 0 }, 0.01, seed).map((noise, i) => {
    const l = bceLevels(dReal(i), 1 - dReal(i));
    return { loss_disc: l.disc + noise.loss_disc, loss_gen: l.gen + noise.loss_gen };
  });
}

test("frozen needs D's lead never to have come down: a small lead reached after a level start is no stall", () => {
  // level for the first 20 steps (inside the curve's first eighth, which the run range leaves out),
  // then D a little ahead and nothing moves: a calm game, as with R1 and decayed learning rates
  const steps = leadWave(200, (i) => (i < 20 ? 0.5 : 0.6), 8);
  const f = feed(steps, { lossFamily: "bce" });
  assert.ok(!f.states.includes("stalled"), f.states.join(","));
  // with the gate off (any floor counts) the same stream is read as a dead G
  const gateOff = feed(steps, { lossFamily: "bce", thresholds: { leadFloorGap: -1 } });
  assert.equal(gateOff.states.at(-1), "stalled");
});
