/**
 * The report as of now: the monitor's bounded state turned into plain data (types.ts). Everything here
 * reads bounded structures (bucket curves, the capped timeline and alerts), so a report costs the same
 * after ten steps or ten million.
 */
import type { Lang } from "../i18n/index.ts";
import type { RunHints } from "../sources/parser.ts";
import type { AlertLog } from "./alerts.ts";
import { candidateEpochs } from "./candidates.ts";
import type { BucketCurve, CurveBucket } from "./curve.ts";
import type { EpochMap } from "./epochs.ts";
import type { StateMachine } from "./hysteresis.ts";
import { renderMessage } from "./messages.ts";
import { detectPhases } from "./phases.ts";
import type { Reference } from "./reference.ts";
import { driftWinner, finalRel, type RunFacts } from "./run-facts.ts";
import type { SeriesTracker } from "./series.ts";
import type { AssemblerCounts } from "./step-assembler.ts";
import type { MonitorThresholds } from "./thresholds.ts";
import { trendOf } from "./trend.ts";
import type { MessageRef, MonitorReport, Phase, PhaseName, RvcFacts, TrendSummary } from "./types.ts";
import { buildVerdict } from "./verdict.ts";

/** The monitor's state, as the report reads it. */
export interface MonitorView {
  t: MonitorThresholds;
  lang: Lang;
  hints: RunHints;
  ref: Reference;
  refKey?: string;
  trackers: Map<string, SeriesTracker>;
  gap: SeriesTracker;
  gapSource?: "logged" | "per_sub_discriminator" | "estimated";
  jsd: BucketCurve;
  machine: StateMachine;
  alerts: AlertLog;
  epochs: EpochMap;
  points: number;
  /** Points without a string tag or a finite step: counted, not used. */
  invalid: number;
  judged: number;
  firstJudgedStep?: number;
  lastJudgedStep?: number;
  lastStep?: number;
  diverged?: RunFacts["diverged"];
  explosion?: RunFacts["explosion"];
  lr: { lrD?: number; lrG?: number; lr?: number };
  rvcLike: boolean;
  seenTags: Set<string>;
  resumes: { segment: number; step: number }[];
  counts: AssemblerCounts;
}

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
    candidates: rvc?.candidates ?? [],
    checkpoints: v.hints.checkpoints ?? [],
    ...(v.diverged ? { diverged: v.diverged } : {}),
    ...(v.explosion ? { explosion: v.explosion } : {}),
    ...(drift ? { drift } : {}),
    ...klClamp(v),
  };
  const core = buildVerdict(facts, t);
  const curves: Record<string, CurveBucket[]> = {};
  for (const [tag, tr] of v.trackers) curves[tag] = tr.curve.snapshot();
  if (v.gap.count > 0) curves.d_gap = v.gap.curve.snapshot();

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
  if (v.gapSource && v.gap.count > 0) {
    report.dOutputs = {
      source: v.gapSource,
      series: v.gap.curve
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
      ...(v.gap.count > 0 ? { gap: v.gap.curve.snapshot() } : {}),
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

/** Theil–Sen of a curve's bucket means (those after step `after`), in units of `scale`. */
export function curveTrend(
  c: BucketCurve,
  scale: number,
  t: MonitorThresholds,
  after = Number.NEGATIVE_INFINITY,
): TrendSummary | undefined {
  const xs: number[] = [];
  const ys: number[] = [];
  let first: number | undefined;
  for (let i = 0; i < c.length; i++) {
    const b = c.bucket(i);
    if (!Number.isFinite(b.mean) || b.toStep <= after) continue;
    first ??= b.fromStep;
    xs.push((b.fromStep + b.toStep) / 2);
    ys.push(b.mean);
  }
  const tr = trendOf(xs, ys, xs.length, scale);
  if (!tr || c.length === 0) return undefined;
  const significant = Math.abs(tr.z) >= t.trendZ && Math.abs(tr.change) >= t.longTrendChange;
  return {
    change: round(tr.change),
    z: round(tr.z),
    direction: !significant ? "flat" : tr.change > 0 ? "rising" : "falling",
    fromStep: first ?? c.bucket(0).fromStep,
    toStep: c.bucket(c.length - 1).toStep,
  };
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

function rvcFacts(v: MonitorView): RvcFacts | undefined {
  const checkpoints = v.hints.checkpoints ?? [];
  // voice-model facts: for RVC-family logs, and for any run whose log names checkpoints or resumed
  if (!v.rvcLike && checkpoints.length === 0 && v.resumes.length === 0) return undefined;
  const trends: RvcFacts["trends"] = {};
  for (const tag of ["loss_mel", "loss_kl", "loss_fm", "loss_gen_total"] as const) {
    const tr = v.trackers.get(tag);
    if (!tr || tr.curve.length < 3) continue;
    const level = medianLevel(tr.curve);
    const trend = level > 0 ? curveTrend(tr.curve, level, v.t) : undefined;
    if (trend) trends[tag] = trend;
  }
  const clamped: RvcFacts["clamped"] = [];
  for (const tr of v.trackers.values()) {
    if (tr.lowerBound > 0) {
      clamped.push({
        tag: tr.tag,
        count: tr.lowerBound,
        firstStep: tr.firstLowerBound as number,
        lastStep: tr.lastLowerBound as number,
        value: clampValue(tr),
      });
    }
  }
  const gen = v.trackers.get("loss_gen");
  const lastStep = v.lastJudgedStep ?? v.lastStep;
  const facts: RvcFacts = {
    resumes: v.resumes.map((r) => ({ ...r })),
    trends,
    clamped,
    candidates:
      lastStep === undefined
        ? []
        : candidateEpochs({
            mel: v.trackers.get("loss_mel")?.curve.snapshot(),
            genTotal: v.trackers.get("loss_gen_total")?.curve.snapshot(),
            gen: gen?.curve.snapshot(),
            genRise: v.t.trendChange,
            genScale: gen?.scale ?? 1,
            ...(v.diverged ? { divergedAt: v.diverged.step } : {}),
            firstStep: v.firstJudgedStep ?? lastStep,
            lastStep,
            epochs: v.epochs,
            checkpoints,
          }),
    checkpointsKnown: checkpoints.length > 0,
  };
  const spe = v.epochs.stepsPerEpoch(checkpoints);
  if (spe !== undefined) facts.stepsPerEpoch = spe;
  return facts;
}

/** The clamp of a tag's lower-bound points: RVC's 9 (loss_kl) and 75 (loss_mel), else its minimum. */
function clampValue(tr: SeriesTracker): number {
  if (tr.tag === "loss_kl") return 9;
  if (tr.tag === "loss_mel") return 75;
  return tr.min;
}

function medianLevel(c: BucketCurve): number {
  const means: number[] = [];
  for (let i = 0; i < c.length; i++)
    if (Number.isFinite(c.bucket(i).mean)) means.push(Math.abs(c.bucket(i).mean));
  means.sort((a, b) => a - b);
  return means.length === 0 ? 0 : means[means.length >> 1];
}

function klClamp(v: MonitorView): Pick<RunFacts, "klClamp"> {
  const kl = v.trackers.get("loss_kl");
  if (!kl || kl.lowerBound === 0 || kl.lastLowerBound !== kl.lastStep) return {};
  if (kl.lowerBound === 1 && kl.firstLowerBound === kl.firstStep) return {};
  return { klClamp: { step: kl.firstLowerBound as number, value: clampValue(kl) } };
}

function notesOf(
  v: MonitorView,
  drift: MonitorReport["drift"],
  rel: ReturnType<typeof finalRel>,
): MessageRef[] {
  const { ref } = v;
  const notes: MessageRef[] = [];
  const eq = ref.equilibrium;
  notes.push(
    eq.loss_gen === null
      ? { key: "notBothZeroWasserstein", params: {} }
      : { key: "notBothZero", params: { eqDisc: round(eq.loss_disc), eqGen: round(eq.loss_gen) } },
  );
  if (ref.familySource === "assumed") notes.push({ key: "familyAssumed", params: { family: ref.family } });
  if (ref.discriminatorsSource === "assumed" && ref.discriminators > 1)
    notes.push({ key: "kAssumed", params: { k: ref.discriminators } });
  else if (ref.discriminators > 1)
    notes.push({ key: "kFrom", params: { k: ref.discriminators, source: ref.discriminatorsSource } });
  if (v.gapSource === "estimated") notes.push({ key: "dOutputsEstimated", params: {} });
  if (ref.family === "bce" || ref.family === "bce_minimax") notes.push({ key: "jsdCaveat", params: {} });
  const winner = driftWinner(drift, rel, v.t.trendZ, v.t.driftChange);
  if (winner && drift) {
    notes.push({
      key: winner === "d" ? "dGraduallyWinning" : "gGraduallyWinning",
      params: { discChange: drift.loss_disc.change, genChange: drift.loss_gen.change },
    });
  }
  for (const tr of v.trackers.values()) {
    if (tr.lowerBound > 0)
      notes.push({
        key: "clampedValues",
        params: { tag: tr.tag, value: clampValue(tr), count: tr.lowerBound },
      });
  }
  if (v.resumes.length > 0) {
    notes.push({
      key: "resumes",
      params: { count: v.resumes.length, steps: v.resumes.map((r) => r.step).join(", ") },
    });
  }
  const spe = v.epochs.stepsPerEpoch(v.hints.checkpoints ?? []);
  if (spe !== undefined) notes.push({ key: "stepsPerEpoch", params: { steps: round(spe) } });
  return notes;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
