/**
 * Epochs worth listening to, each with its reason, never one "best" epoch: the losses of a voice model
 * do not say which epoch sounds best (RVC-Boss: save small models and compare by listening; the AI
 * Hub guide: the lowest g/total "is not necessarily the best epoch"). The reasons:
 *
 * - lowest smoothed loss_mel: the reconstruction error, the closest thing to audio quality in the log;
 * - lowest smoothed loss_gen_total (what Applio's detector and "lowest_value" tracked);
 * - the last point before loss_gen started a sustained rise (D pulling ahead: the usual sign of
 *   overtraining people look for in TensorBoard);
 * - the last step before the losses became NaN (later checkpoints may hold NaN weights);
 * - the latest step (the model as it stands), unless the run diverged.
 *
 * When the log names its checkpoints, each candidate moves to a checkpoint: the nearest one, or for a
 * divergence the last one before it, since only saved models can be listened to. Candidates that
 * land on the same checkpoint merge their reasons.
 */

import { round3 } from "../round.ts";
import type { CurveBucket } from "../signals/curve.ts";
import type { CandidateEpoch, MessageRef } from "../types.ts";
import type { EpochMap } from "./epochs.ts";

export interface Checkpoint {
  step?: number;
  epoch?: number;
  file?: string;
}

export interface CandidateInputs {
  mel?: CurveBucket[];
  genTotal?: CurveBucket[];
  gen?: CurveBucket[];
  /** Smoothed rise of loss_gen (equilibrium units) from its minimum that counts as "started rising". */
  genRise: number;
  genScale: number;
  divergedAt?: number;
  firstStep: number;
  lastStep: number;
  epochs: EpochMap;
  checkpoints: Checkpoint[];
}

interface Raw {
  step: number;
  reason: MessageRef;
  /** Snap to the last checkpoint at or before the step (divergence) instead of the nearest. */
  before?: boolean;
}

export function candidateEpochs(c: CandidateInputs): CandidateEpoch[] {
  const raw: Raw[] = [];
  const lowest = (curve: CurveBucket[] | undefined, key: string) => {
    const at = argMinSmoothed(curve);
    if (at) raw.push({ step: at.step, reason: { key, params: { value: round3(at.value) } } });
  };
  lowest(c.mel, "lowestMel");
  lowest(c.genTotal, "lowestGenTotal");
  const rise = beforeRise(c.gen, c.genRise * c.genScale);
  if (rise)
    raw.push({ step: rise.step, reason: { key: "beforeGenRise", params: { value: round3(rise.value) } } });
  if (c.divergedAt === undefined) {
    raw.push({ step: c.lastStep, reason: { key: "latest", params: {} } });
  } else if (c.divergedAt > c.firstStep) {
    // the latest model of a diverged run holds NaN weights: the last one before the NaN instead
    raw.push({
      step: c.divergedAt - 1,
      reason: { key: "beforeDivergence", params: { step: c.divergedAt } },
      before: true,
    });
  }

  const out: CandidateEpoch[] = [];
  const checkpoints = c.checkpoints
    .map((k) => ({ ...k, at: k.step ?? (k.epoch !== undefined ? c.epochs.stepOf(k.epoch) : undefined) }))
    .filter((k): k is Checkpoint & { at: number } => k.at !== undefined);
  for (const r of raw) {
    let step = r.step;
    let checkpoint: Checkpoint | undefined;
    if (checkpoints.length > 0) {
      const pool = r.before ? checkpoints.filter((k) => k.at <= r.step) : checkpoints;
      if (pool.length === 0) continue;
      const best = pool.reduce((a, b) => (Math.abs(b.at - r.step) < Math.abs(a.at - r.step) ? b : a));
      step = best.at;
      checkpoint = {
        ...(best.step !== undefined ? { step: best.step } : {}),
        ...(best.epoch !== undefined ? { epoch: best.epoch } : {}),
        ...(best.file !== undefined ? { file: best.file } : {}),
      };
      if (best.at !== r.step) {
        r.reason.params.nearStep = r.step;
        const nearEpoch = c.epochs.epochAt(r.step);
        if (nearEpoch !== undefined) r.reason.params.nearEpoch = nearEpoch;
      }
    }
    const same = out.find((o) => o.step === step);
    if (same) {
      same.reasons.push(r.reason);
      continue;
    }
    const epoch = checkpoint?.epoch ?? c.epochs.epochAt(step);
    out.push({
      ...(epoch !== undefined ? { epoch } : {}),
      step,
      reasons: [r.reason],
      ...(checkpoint ? { checkpoint } : {}),
    });
  }
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The curve smoothed for choosing: a centred moving average of three bucket means. Centred, because
 * the EMA lags (its minimum on a slowly falling curve sits at the end); three buckets of at most
 * `runBuckets`, so the smoothing is a fixed share of the run however long it is.
 */
function centred(curve: CurveBucket[]): { step: number; value: number }[] {
  const out: { step: number; value: number }[] = [];
  for (let i = 0; i < curve.length; i++) {
    let sum = 0;
    let n = 0;
    for (let j = Math.max(0, i - 1); j <= Math.min(curve.length - 1, i + 1); j++) {
      if (Number.isFinite(curve[j].mean)) {
        sum += curve[j].mean;
        n++;
      }
    }
    if (n > 0 && Number.isFinite(curve[i].mean)) out.push({ step: curve[i].toStep, value: sum / n });
  }
  return out;
}

function argMinSmoothed(curve: CurveBucket[] | undefined): { step: number; value: number } | undefined {
  if (!curve || curve.length < 3) return undefined;
  let best: { step: number; value: number } | undefined;
  for (const p of centred(curve)) if (best === undefined || p.value < best.value) best = p;
  return best;
}

/** Where smoothed loss_gen was lowest, if it rose by `rise` after it and ends up there. */
function beforeRise(
  curve: CurveBucket[] | undefined,
  rise: number,
): { step: number; value: number } | undefined {
  if (!curve || curve.length < 4) return undefined;
  const smooth = centred(curve);
  const min = argMinSmoothed(curve);
  const last = smooth.at(-1);
  if (!min || !last || !(rise > 0) || min.step >= last.step) return undefined;
  return last.value - min.value >= rise ? min : undefined;
}
