/**
 * Divergence and explosions, per completed step:
 *
 * - non-finite: any loss or D output that is NaN or ±Infinity (learning rates are not watched: they
 *   are set, not learned). The tags that stayed finite are named too: "loss_disc became NaN while
 *   loss_mel stayed finite" points at fp16 overflow in the adversarial branch (RVC#507).
 * - skipped step: a gradient norm that is NaN or ±Infinity. Under mixed precision (fp16, RVC's and
 *   VITS' default) the gradient scaler finds inf gradients now and then, skips that update and lowers
 *   its scale: the weights never see them, and the losses stay finite. That is not divergence, which is
 *   a non-finite or exploding loss; it is counted and told. A streak of them longer than a scaler can
 *   skip (`skipStreakSteps`) is non-finite weights: divergence.
 * - spike: a loss or gradient norm whose robust z-score against its window (|x - median| / (1.4826·MAD))
 *   reaches `spikeZ` and whose jump exceeds `spikeMin` scale units (a near-constant series with a tiny
 *   MAD must not alarm on a wobble).
 * - explosion: a loss beyond `explodeAbs` scale units (no history needed), or `explodeSustain`
 *   consecutive spikes of the same loss whose magnitude grew by `explodeJump` scale units: one bad
 *   batch is a spike, a run of blow-ups is divergence, a loss settling at a new level is neither.
 * - high gradient norm: grad_norm_d above `gradNormHighD`, grad_norm_g above `gradNormHighG`.
 */
import type { PushResult } from "../signals/series.ts";
import type { MonitorThresholds } from "../thresholds.ts";

/** Tags whose non-finite values mean the training diverged. */
export const WATCHED_FINITE = [
  "loss_disc",
  "loss_gen",
  "loss_fm",
  "loss_mel",
  "loss_kl",
  "loss_gen_total",
  "d_real",
  "d_fake",
];

/** Gradient norms: non-finite ones are steps the fp16 gradient scaler skipped. */
export const GRAD_NORMS = ["grad_norm_d", "grad_norm_g"];

/** Tags checked for spikes (robust z against their window). */
export const SPIKE_TAGS = ["loss_disc", "loss_gen", "grad_norm_d", "grad_norm_g"];

export interface DivergenceFindings {
  nonFinite: { tag: string; value: number }[];
  /** Non-finite gradient norms: an update the gradient scaler skipped (not divergence). */
  skipped: { tag: string; value: number }[];
  /** Watched tags that were finite at the same step. */
  finiteTags: string[];
  spikes: { tag: string; value: number; z: number; median: number }[];
  explosion?: { tag: string; value: number; reason: "absolute" | "sustained"; limit?: number };
  gradHigh: { tag: string; value: number; limit: number }[];
}

export class DivergenceWatch {
  private readonly consecutive = new Map<string, number>();
  /** Per gradient norm, the first step of its current streak of non-finite values. */
  private readonly streaks = new Map<string, { from: number; count: number }>();

  constructor(private readonly t: MonitorThresholds) {}

  /**
   * `values` are the step's values by tag, `pushed` what each tracker said of its value (robust z),
   * `scale(tag)` the tag's scale and `median(tag)` its window median.
   */
  check(
    step: number,
    values: Map<string, { value: number }>,
    pushed: Map<string, PushResult>,
    scale: (tag: string) => number,
    median: (tag: string) => number,
  ): DivergenceFindings {
    const t = this.t;
    const f: DivergenceFindings = { nonFinite: [], skipped: [], finiteTags: [], spikes: [], gradHigh: [] };
    for (const tag of WATCHED_FINITE) {
      const v = values.get(tag);
      if (v === undefined) continue;
      if (Number.isFinite(v.value)) f.finiteTags.push(tag);
      else f.nonFinite.push({ tag, value: v.value });
    }
    for (const tag of GRAD_NORMS) {
      const v = values.get(tag);
      if (v === undefined) continue;
      if (Number.isFinite(v.value)) {
        this.streaks.delete(tag);
        continue;
      }
      const streak = this.streaks.get(tag) ?? { from: step, count: 0 };
      streak.count++;
      this.streaks.set(tag, streak);
      const persistent = streak.count >= 2 && step - streak.from > t.skipStreakSteps;
      (persistent ? f.nonFinite : f.skipped).push({ tag, value: v.value });
    }
    for (const tag of SPIKE_TAGS) {
      const v = values.get(tag);
      if (v === undefined || !Number.isFinite(v.value)) continue;
      const isLoss = tag.startsWith("loss_");
      const s = scale(tag);
      if (isLoss && Math.abs(v.value) > t.explodeAbs * s) {
        f.explosion ??= { tag, value: v.value, reason: "absolute", limit: t.explodeAbs * s };
      }
      const r = pushed.get(tag);
      const spiked =
        r?.z !== undefined && r.jump !== undefined && r.z >= t.spikeZ && r.jump >= t.spikeMin * s;
      if (spiked) f.spikes.push({ tag, value: v.value, z: r.z as number, median: median(tag) });
      const blowUp = spiked && Math.abs(v.value) - Math.abs(median(tag)) >= t.explodeJump * s;
      const run = blowUp ? (this.consecutive.get(tag) ?? 0) + 1 : 0;
      this.consecutive.set(tag, run);
      if (isLoss && run >= t.explodeSustain) f.explosion ??= { tag, value: v.value, reason: "sustained" };
    }
    const limits: [string, number][] = [
      ["grad_norm_d", t.gradNormHighD],
      ["grad_norm_g", t.gradNormHighG],
    ];
    for (const [tag, limit] of limits) {
      const v = values.get(tag);
      if (v !== undefined && Number.isFinite(v.value) && v.value > limit)
        f.gradHigh.push({ tag, value: v.value, limit });
    }
    return f;
  }

  reset(): void {
    this.consecutive.clear();
    this.streaks.clear();
  }
}
