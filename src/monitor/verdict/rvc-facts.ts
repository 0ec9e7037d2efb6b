/**
 * The facts about RVC-family runs (and any run whose log names checkpoints or resumed): resumes, steps
 * per epoch, the trends of loss_mel / loss_kl / loss_fm / loss_gen_total, clamped values, and the
 * candidate epochs to listen to.
 */

import type { BucketCurve } from "../signals/curve.ts";
import { curveTrend } from "../signals/curve-trend.ts";
import type { SeriesTracker } from "../signals/series.ts";
import type { RvcFacts } from "../types.ts";
import type { MonitorView } from "../view.ts";
import { candidateEpochs } from "./candidates.ts";
import type { RunFacts } from "./run-facts.ts";

export function rvcFacts(v: MonitorView): RvcFacts | undefined {
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
export function clampValue(tr: SeriesTracker): number {
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

export function klClamp(v: MonitorView): Pick<RunFacts, "klClamp"> {
  const kl = v.trackers.get("loss_kl");
  if (!kl || kl.lowerBound === 0 || kl.lastLowerBound !== kl.lastStep) return {};
  if (kl.lowerBound === 1 && kl.firstLowerBound === kl.firstStep) return {};
  return { klClamp: { step: kl.firstLowerBound as number, value: clampValue(kl) } };
}
