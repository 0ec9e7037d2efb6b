/**
 * The report as of now: the monitor's bounded state turned into plain data (types.ts). Everything here
 * reads bounded structures (bucket curves, the capped timeline and alerts), so a report costs the same
 * after ten steps or ten million.
 */

import { renderMessage } from "../messages.ts";
import { detectPhases } from "../rules/phases.ts";
import type { CurveBucket } from "../signals/curve.ts";
import { curveTrend } from "../signals/curve-trend.ts";
import type { SeriesTracker } from "../signals/series.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { MonitorReport, Phase, PhaseName } from "../types.ts";
import { notesOf } from "../verdict/notes.ts";
import { finalRel, type RunFacts } from "../verdict/run-facts.ts";
import { klClamp, rvcFacts } from "../verdict/rvc-facts.ts";
import { buildVerdict } from "../verdict/verdict.ts";
import type { MonitorView } from "../view.ts";

export type { MonitorView } from "../view.ts";

export function buildReport(v: MonitorView): MonitorReport {
  const { t, ref } = v;
  const { entries: timeline, omitted } = v.machine.timeline();
  const disc = v.trackers.get("loss_disc");
  const gen = v.trackers.get("loss_gen");
  const phases = phasesOf(v);
  const early = phases.find((p) => p.phase === "early");
  const drift = disc && gen ? runDrift(disc, gen, t, early?.toStep) : undefined;
  const rvc = rvcFacts(v);
  const facts: RunFacts = {
    points: v.points,
    judged: v.judged,
    warmupSteps: t.warmupSteps,
    seenTags: [...v.seenTags],
    timeline,
    finalState: v.machine.state,
    finalEvidence: v.machine.evidence,
    ref,
    smoothed: { disc: disc?.level.value ?? Number.NaN, gen: gen?.level.value ?? Number.NaN },
    lr: { lrD: v.lr.lrD ?? v.lr.lr, lrG: v.lr.lrG ?? v.lr.lr },
    rvcLike: v.rvcLike,
    ...(rvc?.trends.loss_mel ? { melTrend: rvc.trends.loss_mel.direction } : {}),
    ...(v.resumes.length > 0 ? { resumes: v.resumes.length } : {}),
    candidates: rvc?.candidates ?? [],
    checkpoints: v.hints.checkpoints ?? [],
    ...(v.diverged ? { diverged: v.diverged } : {}),
    ...(v.explosion ? { explosion: v.explosion } : {}),
    ...(drift ? { drift } : {}),
    ...leadGapOf(v),
    ...klClamp(v),
  };
  const core = buildVerdict(facts, t);
  const curves: Record<string, CurveBucket[]> = {};
  for (const [tag, tr] of v.trackers) curves[tag] = tr.curve.snapshot();
  if (v.gap.tracker.count > 0) curves.d_gap = v.gap.tracker.curve.snapshot();

  const report: MonitorReport = {
    version: 1,
    lossFamily: ref.family,
    discriminators: ref.discriminators,
    reference: {
      family: ref.family,
      familySource: ref.familySource,
      discriminators: ref.discriminators,
      discriminatorsSource: ref.discriminatorsSource,
    },
    equilibrium: { ...ref.equilibrium },
    completedSteps: v.judged,
    timeline,
    timelineOmitted: omitted,
    alerts: v.alerts.alerts(),
    alertsOmitted: v.alerts.omittedCounts(),
    phases,
    verdict: { ...core, summaryText: renderMessage("summary", core.summary, v.lang) },
    curves,
    notes: notesOf(v, drift, finalRel(facts)),
    dataQuality: {
      points: v.points,
      invalid: v.invalid,
      late: v.counts.late,
      backward: v.counts.backward,
      repeated: v.counts.repeated,
      staleSegment: v.counts.staleSegment,
    },
  };
  if (v.firstJudgedStep !== undefined) report.firstStep = v.firstJudgedStep;
  if (v.lastJudgedStep !== undefined) report.lastStep = v.lastJudgedStep;
  if (drift) report.drift = drift;
  if (v.jsd.length > 0) {
    report.jsd = {
      series: v.jsd
        .snapshot()
        .filter((b) => Number.isFinite(b.mean))
        .map((b) => ({ step: b.toStep, value: b.mean })),
      caveat: { key: "jsdCaveat", params: {} },
    };
  }
  if (v.gap.source && v.gap.tracker.count > 0) {
    report.dOutputs = {
      source: v.gap.source,
      series: v.gap.tracker.curve
        .snapshot()
        .filter((b) => Number.isFinite(b.mean))
        .map((b) => ({ step: b.toStep, gap: b.mean })),
    };
  }
  if (rvc) report.rvc = rvc;
  return report;
}

function phasesOf(v: MonitorView): Phase[] {
  const disc = v.trackers.get("loss_disc");
  const gen = v.trackers.get("loss_gen");
  if (!disc || !gen) return [];
  const eq = v.ref.equilibrium;
  return detectPhases(
    {
      disc: disc.curve.snapshot(),
      gen: gen.curve.snapshot(),
      ...(v.gap.tracker.count > 0 ? { gap: v.gap.tracker.curve.snapshot() } : {}),
      discScale: disc.scale,
      genScale: gen.scale,
      discEq: eq.loss_disc,
      genEq: eq.loss_gen ?? gen.curve.bucket(0)?.mean ?? 0,
    },
    v.t,
  );
}

export function currentPhase(v: MonitorView): PhaseName | undefined {
  return phasesOf(v).at(-1)?.phase;
}

/** D's gap averaged over the second half of its whole-run curve (bounded: at most runBuckets). */
function leadGapOf(v: MonitorView): { leadGap?: number } {
  const c = v.gap.tracker.curve;
  let sum = 0;
  let n = 0;
  for (let i = c.length >> 1; i < c.length; i++) {
    const m = c.bucket(i).mean;
    if (Number.isFinite(m)) {
      sum += m;
      n++;
    }
  }
  return n > 0 ? { leadGap: sum / n } : {};
}

/** The drift after the early phase (D winning easily at the start is the early phase, not a drift). */
function runDrift(
  disc: SeriesTracker,
  gen: SeriesTracker,
  t: MonitorThresholds,
  after?: number,
): MonitorReport["drift"] {
  const d = curveTrend(disc.curve, disc.scale, t, after);
  const g = curveTrend(gen.curve, gen.scale, t, after);
  return d && g ? { loss_disc: d, loss_gen: g } : undefined;
}
