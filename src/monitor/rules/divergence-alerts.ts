/**
 * Turns a step's divergence findings (divergence.ts) into alerts and into the run's divergence facts:
 * the first non-finite value (and whether it came at the first judged step) and the first explosion,
 * which the verdict and the advice quote.
 */

import { round3 } from "../round.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { Alert, AlertKind, MessageRef } from "../types.ts";
import type { DivergenceFindings } from "./divergence.ts";

export type RaiseAlert = (
  step: number,
  kind: AlertKind,
  severity: Alert["severity"],
  key: string,
  params: MessageRef["params"],
  onceKey?: string,
) => void;

export interface DivergenceFacts {
  judged: number;
  /** Steps whose gradient norm was not finite while no loss was: updates the fp16 scaler skipped. */
  skipped: { steps: number; first?: { step: number; tag: string; value: number } };
  diverged?: { step: number; tag: string; value: number; finiteTags: string[]; fromStart: boolean };
  explosion?: { step: number; tag: string; value: number };
}

export function recordDivergence(
  facts: DivergenceFacts,
  step: number,
  f: DivergenceFindings,
  t: MonitorThresholds,
  raise: RaiseAlert,
): void {
  const finiteTags = f.finiteTags.join(", ");
  for (const n of f.nonFinite) {
    const params = { tag: n.tag, step, value: String(n.value), finiteTags };
    raise(step, "non_finite", "critical", "nonFinite", params, `nonFinite:${n.tag}`);
  }
  if (f.nonFinite.length > 0 && facts.diverged === undefined) {
    const first = f.nonFinite[0];
    facts.diverged = {
      step,
      tag: first.tag,
      value: first.value,
      finiteTags: f.finiteTags,
      fromStart: facts.judged === 0,
    };
  }
  if (f.skipped.length > 0 && f.nonFinite.length === 0) {
    const first = f.skipped[0];
    facts.skipped.steps++;
    facts.skipped.first ??= { step, tag: first.tag, value: first.value };
    const params = { tag: first.tag, step, value: String(first.value) };
    raise(step, "skipped_step", "info", "skippedStep", params, "skippedStep");
  }
  if (f.explosion) {
    const e = f.explosion;
    facts.explosion ??= { step, tag: e.tag, value: e.value };
    const how: MessageRef["params"] =
      e.limit !== undefined ? { limit: e.limit, limitFactor: t.explodeAbs } : { sustain: t.explodeSustain };
    const params = { tag: e.tag, step, value: e.value, reason: e.reason, ...how };
    raise(step, "explosion", "critical", "explosion", params, `explosion:${e.tag}`);
  }
  for (const s of f.spikes) {
    const params = { tag: s.tag, step, value: s.value, z: round3(s.z), median: round3(s.median) };
    raise(step, "spike", "warning", "spike", params);
  }
  for (const h of f.gradHigh) {
    const params = { tag: h.tag, step, value: h.value, limit: h.limit };
    raise(step, "grad_norm_high", "warning", "gradNormHigh", params, `gradHigh:${h.tag}`);
  }
}
