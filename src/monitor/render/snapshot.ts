/**
 * The monitor's current state for a live view: the state, its confidence and evidence, the phase so
 * far, and the latest signals by name (smoothed values as TensorBoard shows them, levels against the
 * equilibrium, trends, D's gap, the JSD bound).
 */
import type { LossSignalReader } from "../signals/loss-signals.ts";
import type { Snapshot } from "../types.ts";
import { currentPhase, type MonitorView } from "./report.ts";

export function buildSnapshot(v: MonitorView, reader: LossSignalReader): Snapshot {
  const signals: Record<string, number> = {};
  for (const [tag, tr] of v.trackers) {
    if (tr.ema.count > 0) signals[`${tag}.smoothed`] = tr.ema.value;
  }
  const disc = v.trackers.get("loss_disc");
  const gen = v.trackers.get("loss_gen");
  if (disc && gen && disc.ema.count > 0) {
    const eq = v.ref.equilibrium;
    const pairs = [
      ["loss_disc", reader.read(disc, eq.loss_disc, v.ref.discScale)],
      ["loss_gen", reader.read(gen, eq.loss_gen, v.ref.genScale)],
    ] as const;
    for (const [name, l] of pairs) {
      if (l.rel !== undefined) signals[`${name}.rel`] = l.rel;
      if (l.trend) signals[`${name}.trend`] = l.trend.change;
      if (l.longTrend) signals[`${name}.long_trend`] = l.longTrend.change;
    }
  }
  const gap = v.gap.value();
  if (gap !== undefined) signals.d_gap = gap;
  // The rates the log says each optimiser has: a steerer compares the two players' speeds with them.
  const lrD = v.lr.lrD ?? v.lr.lr;
  const lrG = v.lr.lrG ?? v.lr.lr;
  if (lrD !== undefined) signals.lr_d = lrD;
  if (lrG !== undefined) signals.lr_g = lrG;
  const jsd = v.jsd.length > 0 ? v.jsd.bucket(v.jsd.length - 1).smoothed : Number.NaN;
  if (Number.isFinite(jsd)) signals.jsd_lower_bound = jsd;
  const phase = currentPhase(v);
  return {
    step: v.lastJudgedStep ?? v.lastStep ?? 0,
    state: v.machine.state,
    confidence: v.machine.confidence,
    evidence: v.machine.evidence,
    ...(phase ? { phase } : {}),
    signals,
    completedSteps: v.judged,
  };
}
