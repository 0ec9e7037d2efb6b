import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveReference } from "../src/monitor/signals/reference.ts";
import { MONITOR_THRESHOLDS, resolveThresholds } from "../src/monitor/thresholds.ts";
import type { StateName, TimelineEntry } from "../src/monitor/types.ts";
import type { RunFacts } from "../src/monitor/verdict/run-facts.ts";
import { buildVerdict } from "../src/monitor/verdict/verdict.ts";
import { assertHolds } from "./helpers/monitor-evidence.ts";
import { bceLevels, bceSteps, feed, LN2 } from "./helpers/monitor-streams.ts";

/**
 * The rules added from the scenario suite's measurements (bench/RESULTS-scenarios.md): a starved D
 * pinned at the equilibrium, a game frozen since its start, the verdict's persistence and shares, and
 * the collapse reading of a long D lead. Thresholds are read from MONITOR_THRESHOLDS, never literals.
 */

const T = MONITOR_THRESHOLDS;

test("at the equilibrium: D at 0.5 on both batches, the losses jittering at ln 4 / ln 2: balanced, with what the losses cannot show", () => {
  // Issue 14: the game's goal. A G that matches the data and a D too weak to learn write the same
  // losses; the verdict is healthy and a note says what to look at instead.
  const f = feed(bceSteps(150, { disc: 2 * LN2, gen: LN2, dReal: 0.5, dFake: 0.5 }, 0.02), {
    lossFamily: "bce",
  });
  assert.equal(f.states.at(-1), "balanced");
  assert.equal(f.report.verdict.health, "healthy");
  assert.equal(f.report.verdict.summary.key, "healthy"); // "near the equilibrium": inside the band
  const note = f.report.notes.find((n) => n.key === "atEquilibrium");
  assert.ok(note, f.report.notes.map((n) => n.key).join(","));
  assert.equal(note.params.dOutputs, true); // D's outputs were logged: the note does not ask for them
});

test("beaten: D's loss above its equilibrium on most steps (worse than a constant): G dominant, unhealthy", () => {
  // D(x) 0.45, D(G(z)) 0.6: loss_disc = -ln 0.45 - ln 0.4 = 1.715, 24% above ln 4
  const f = feed(bceSteps(300, bceLevels(0.45, 0.6), 0.02), { lossFamily: "bce" });
  assert.equal(f.states.at(-1), "g_dominant");
  assert.equal(f.report.verdict.health, "unhealthy");
});

test("not pinned: the same levels with D a little ahead (gap 0.1, as healthy runs keep it) stay balanced", () => {
  const f = feed(bceSteps(150, bceLevels(0.55, 0.45), 0.02), {
    lossFamily: "bce",
  });
  assert.deepEqual(f.states, ["warmup", "balanced"]);
  assert.equal(f.report.verdict.health, "healthy");
});

/** D ahead (loss_disc 30% below, loss_gen 60% above the equilibrium) after a start at the equilibrium. */
function leadSteps(n: number, moveSteps: number) {
  return bceSteps(n, { disc: 0, gen: 0 }, 0.02, 3).map((v, i) => {
    const k = moveSteps === 0 ? 1 : Math.min(1, i / moveSteps);
    return {
      loss_disc: 2 * LN2 * (1 - 0.3 * k) + v.loss_disc,
      loss_gen: LN2 * (1 + 0.6 * k) + v.loss_gen,
    };
  });
}

test("frozen: D's lead never moves from the first logged step (a dead G): stalled, unhealthy", () => {
  const f = feed(leadSteps(200, 0), { lossFamily: "bce" });
  assert.equal(f.states.at(-1), "stalled");
  const entry = f.report.timeline.at(-1) as TimelineEntry;
  assertHolds(entry.evidence, "loss_disc.run_range", "<=", "frozenRange");
  assertHolds(entry.evidence, "judged_steps", ">=", "frozenMinSteps");
  assert.ok(entry.fromStep >= T.frozenMinSteps, `stalled from ${entry.fromStep}`);
  assert.equal(f.report.verdict.health, "unhealthy");
});

test("not frozen: D's lead as still, but G's loss climbing a whole equilibrium unit from step 10 to 60: G still learns, no stall", () => {
  const climbing = leadSteps(200, 0).map((v, i) => ({
    ...v,
    loss_gen: v.loss_gen + LN2 * Math.min(1, Math.max(0, (i - 10) / 50)),
  }));
  const f = feed(climbing, { lossFamily: "bce" });
  assert.ok(!f.states.includes("stalled"), f.states.join(","));
  // with the G gate off the same stream reads as a dead G
  const gateOff = feed(climbing, {
    lossFamily: "bce",
    thresholds: { frozenGenRange: 1e9 },
  });
  assert.equal(gateOff.states.at(-1), "stalled");
});

test("not frozen: the same lead reached over the run's first 60 steps (D pulling ahead) is not a stall", () => {
  const f = feed(leadSteps(200, 60), { lossFamily: "bce" });
  assert.ok(!f.states.includes("stalled"), f.states.join(","));
});

// Hand-made facts: the verdict's rules alone.
function facts(timeline: [StateName, number][], over: Partial<RunFacts> = {}): RunFacts {
  let step = 0;
  const entries: TimelineEntry[] = timeline.map(([state, steps]) => {
    const e = {
      fromStep: step + 1,
      toStep: step + steps,
      segment: 0,
      state,
      rule: "no_problem" as const,
      confidence: 0.8,
      evidence: [],
      steps,
    };
    step += steps;
    return e;
  });
  return {
    points: 2 * step,
    judged: step,
    warmupSteps: T.warmupSteps,
    seenTags: ["loss_disc", "loss_gen"],
    timeline: entries,
    finalState: entries.at(-1)?.state ?? "warmup",
    finalEvidence: [],
    ref: resolveReference({ optionFamily: "bce", rvcLike: false, negativeGen: false }),
    smoothed: { disc: 2 * LN2, gen: LN2 },
    lr: { lrD: 2e-4, lrG: 2e-4 },
    rvcLike: false,
    candidates: [],
    checkpoints: [],
    ...over,
  };
}

/** The verdict of a hand-made timeline (after a 5-step warm-up), with the committed thresholds. */
function verdictOf(...tail: [StateName, number][]) {
  return buildVerdict(facts([["warmup", 5], ...tail]), T);
}

test("persistence: a severe state just entered is a warning until it has held verdictMinSteps", () => {
  const n = T.verdictMinSteps;
  const fresh = verdictOf(["balanced", 300], ["collapse_suspected", n - 1]);
  assert.equal(fresh.health, "warning");
  assert.equal(fresh.primary, "collapse_suspected");
  const held = verdictOf(["balanced", 300], ["collapse_suspected", n]);
  assert.equal(held.health, "unhealthy");
  // diverged needs no persistence: a NaN is certain
  const nan = verdictOf(["balanced", 300], ["diverged", 1]);
  assert.equal(nan.health, "unhealthy");
});

test("persistence counts the trailing stretch of problems, whatever their names (g_dominant, then stalled)", () => {
  const n = T.verdictMinSteps;
  // a starved D: G dominant for a long stretch, then read stalled for fewer than verdictMinSteps steps
  const renamed = verdictOf(["balanced", 100], ["g_dominant", 200], ["stalled", n - 1]);
  assert.equal(renamed.health, "unhealthy");
  assert.equal(renamed.primary, "stalled");
  // a balanced stretch in between breaks the stretch: the fresh problem is a warning until it holds
  const broken = verdictOf(["g_dominant", 10], ["balanced", 290], ["stalled", n - 1]);
  assert.equal(broken.health, "warning");
});

test("shares are thresholds: the problems of the second half together against verdictShareFinal", () => {
  // second half (150 steps): 30 g_dominant, 10 balanced, 30 stalled... ending g_dominant for 40 steps
  const timeline: [StateName, number][] = [
    ["warmup", 5],
    ["balanced", 195],
    ["g_dominant", 20],
    ["balanced", 20],
    ["g_dominant", 40],
  ];
  const share = 60 / 140; // the second half of the 280 judged steps after warm-up
  const at = (verdictShareFinal: number) =>
    buildVerdict(facts(timeline), resolveThresholds({ verdictShareFinal })).health;
  assert.equal(at(share - 0.01), "unhealthy");
  assert.equal(at(share + 0.01), "warning");
  assert.equal(
    buildVerdict(facts(timeline), T).health,
    share >= T.verdictShareFinal ? "unhealthy" : "warning",
  );
});

test("collapse reading: D's long lead with loss_gen far above the equilibrium adds 'check the samples'", () => {
  const genHigh = LN2 * (1 + T.collapseGenRel + 0.2);
  const lead = facts(
    [
      ["warmup", 5],
      ["balanced", 300],
    ],
    {
      leadGap: T.collapseLeadGap + 0.05,
      smoothed: { disc: 2 * LN2 * 0.5, gen: genHigh },
    },
  );
  const v = buildVerdict(lead, T);
  const advice = v.advice.find((a) => a.key === "checkCollapse");
  assert.ok(advice, JSON.stringify(v.advice));
  assertHolds(advice.evidence, "d_gap.second_half_mean", ">=", "collapseLeadGap");
  assertHolds(advice.evidence, "loss_gen.rel", ">=", "collapseGenRel");
  // the losses cannot tell a collapse from a G still sharpening its modes: advice, not a verdict
  assert.equal(v.health, "healthy");
  const smallLead = buildVerdict({ ...lead, leadGap: T.collapseLeadGap - 0.05 }, T);
  assert.ok(!smallLead.advice.some((a) => a.key === "checkCollapse"));
});
