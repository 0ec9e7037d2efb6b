import assert from "node:assert/strict";
import { test } from "node:test";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";

/**
 * A literal snapshot of the monitor's threshold table (src/monitor/thresholds.ts). Tests of the rules
 * read the table by name; this one pins its values, so every retune shows up here, in one diff, and
 * has to be said in the commit that makes it (issue 14: a threshold that changes after scoring means
 * rescoring bench/cross-trainer.ts on runs made after the change).
 */
const SNAPSHOT = {
  emaWeight: 0.9,
  warmupSteps: 5,
  window: 32,
  stride: 4,
  shortWindow: 8,
  trendZ: 1.96,
  trendChange: 0.1,
  longTrendChange: 0.06,
  driftChange: 0.4,
  runBuckets: 64,
  gapDominant: 0.5,
  gapFooled: -0.15,
  gapUninformative: 0.1,
  gapBeaten: -0.02,
  gapLean: 0.25,
  levelLean: 0.1,
  collapseGenDrop: -0.5,
  equilibriumBand: 0.05,
  workingDShare: 0.9,
  workingDMargin: 0.0001,
  beatenDShare: 0.5,
  leadFloorFrom: 15,
  leadFloorGap: 0.2,
  stallSpread: 0.0001,
  stallGradRatio: 0.01,
  frozenRange: 0.12,
  frozenGenRange: 0.5,
  frozenMinSteps: 50,
  criticBeaten: 0.3,
  criticKept: 0.5,
  oscAmplitude: 0.15,
  oscAutocorr: 0.3,
  oscCrossings: 4,
  oscAntiCorrelation: -0.5,
  deadGradSteps: 5,
  spikeZ: 8,
  spikeMin: 1,
  explodeSustain: 3,
  skipStreakSteps: 32,
  explodeJump: 5,
  explodeAbs: 1000,
  gradNormHighD: 100,
  gradNormHighG: 1000,
  verdictShareFinal: 0.4,
  verdictShareSevere: 0.25,
  verdictShareWarn: 0.1,
  verdictMinSteps: 6,
  collapseLeadGap: 0.35,
  collapseGenRel: 1,
  hysteresisWindow: 8,
  enterVotes: 4,
  phaseEarlyLead: 0.1,
  phaseFlat: 0.1,
  maxAlertsPerKind: 20,
};

test("the threshold table is the one last validated (retune: update this snapshot and rescore)", () => {
  assert.deepEqual({ ...MONITOR_THRESHOLDS }, SNAPSHOT);
});
