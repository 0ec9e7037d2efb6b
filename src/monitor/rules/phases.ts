/**
 * The phases of a run, read from its whole-run bucket curves (bounded: at most `runBuckets` buckets):
 *
 * - early: D wins easily. D's lead (the gap, or the losses' lean when there is no gap) peaks in the
 *   first half of the run clearly above where the run ends up (by at least `phaseEarlyLead`); early
 *   lasts until the lead has come down half way from that peak to the final level (median of the last
 *   quarter). A run whose lead never stands out has no early phase (e.g. a fine-tuned RVC model whose
 *   D is only somewhat ahead from the first line).
 * - late: the settled end. Going back from the last bucket, the longest stretch over which neither
 *   loss (nor the gap) moves by `phaseFlat` equilibrium units (Theil–Sen change over the stretch, and
 *   each bucket within `phaseFlat` of the stretch's median level) and
 *   which holds at least 3 buckets and 1/8 of the run. A run still moving at its end has no late phase.
 * - middle: between the two (G catching up, the players trading blows).
 *
 * Computed on demand (snapshot, report): O(buckets³) at worst, independent of the run's length.
 */
import type { CurveBucket } from "../signals/curve.ts";
import { trendOf } from "../signals/trend.ts";
import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence, Phase } from "../types.ts";

export interface PhaseInputs {
  disc: CurveBucket[];
  gen: CurveBucket[];
  /** D's gap per bucket when known (logged or estimated), aligned with the loss buckets. */
  gap?: CurveBucket[];
  discScale: number;
  genScale: number;
  discEq: number;
  genEq: number;
}

export function detectPhases(p: PhaseInputs, t: MonitorThresholds): Phase[] {
  const n = Math.min(p.disc.length, p.gen.length);
  if (n < 6) return [];
  const lead = leadSeries(p, n);
  const steps = p.disc.slice(0, n);
  if (lead.some((v) => !Number.isFinite(v))) return [];

  // early
  const lateFrom = Math.floor((3 * n) / 4);
  const finalLevel = median(lead.slice(lateFrom));
  let peakAt = 0;
  for (let i = 1; i < Math.ceil(n / 2); i++) if (lead[i] > lead[peakAt]) peakAt = i;
  const peak = lead[peakAt];
  let earlyEnd = -1;
  if (peak - finalLevel >= t.phaseEarlyLead) {
    const half = finalLevel + (peak - finalLevel) / 2;
    earlyEnd = n - 1;
    for (let i = peakAt + 1; i < n; i++) {
      if (lead[i] <= half) {
        earlyEnd = i - 1;
        break;
      }
    }
  }

  // late: extend a flat suffix backwards while it stays flat
  let lateStart = n;
  const xs = steps.map((b) => (b.fromStep + b.toStep) / 2);
  // flat: no trend across the stretch, and the bucket joining it sits at the stretch's level (a
  // robust trend alone would let a short slope at the stretch's start through)
  const flat = (k: number) =>
    [
      [p.disc, p.discScale],
      [p.gen, p.genScale],
    ].every(([c, scale]) => {
      const ys = (c as CurveBucket[]).slice(k, n).map((b) => b.mean);
      const tr = trendOf(xs.slice(k), ys, n - k, scale as number);
      const level = median(ys);
      return (
        tr !== undefined &&
        Math.abs(tr.change) < t.phaseFlat &&
        Math.abs(ys[0] - level) <= t.phaseFlat * (scale as number)
      );
    }) &&
    flatLead(lead, xs, k, n, t) &&
    Math.abs(lead[k] - median(lead.slice(k))) <= t.phaseEarlyLead;
  for (let k = n - 3; k > earlyEnd; k--) {
    if (!flat(k)) break;
    lateStart = k;
  }
  if (n - lateStart < Math.max(3, Math.ceil(n / 8))) lateStart = n;

  const phases: Phase[] = [];
  if (earlyEnd >= 0) {
    phases.push({
      phase: "early",
      fromStep: steps[0].fromStep,
      toStep: steps[earlyEnd].toStep,
      evidence: [
        { signal: "lead.peak", value: peak },
        { signal: "lead.final", value: finalLevel },
        { signal: "lead.peak_minus_final", value: peak - finalLevel, threshold: t.phaseEarlyLead, op: ">=" },
      ],
    });
  }
  const middleFrom = earlyEnd + 1;
  const middleTo = lateStart - 1;
  if (middleTo >= middleFrom) {
    phases.push({
      phase: "middle",
      fromStep: steps[middleFrom].fromStep,
      toStep: steps[middleTo].toStep,
      evidence: [],
    });
  }
  if (lateStart < n) {
    phases.push({
      phase: "late",
      fromStep: steps[lateStart].fromStep,
      toStep: steps[n - 1].toStep,
      evidence: lateEvidence(p, xs, lateStart, n, t),
    });
  }
  return phases;
}

/**
 * D's lead per bucket: the gap when known; otherwise the losses' lean, half of
 * (gen - eq_gen)/scale_gen - (disc - eq_disc)/scale_disc, which is positive when D wins.
 */
function leadSeries(p: PhaseInputs, n: number): number[] {
  if (p.gap && p.gap.length >= n && p.gap.slice(0, n).every((b) => Number.isFinite(b.mean))) {
    return p.gap.slice(0, n).map((b) => b.mean);
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const d = (p.disc[i].mean - p.discEq) / p.discScale;
    const g = (p.gen[i].mean - p.genEq) / p.genScale;
    out.push((g - d) / 2);
  }
  return out;
}

function flatLead(lead: number[], xs: number[], k: number, n: number, t: MonitorThresholds): boolean {
  const tr = trendOf(xs.slice(k), lead.slice(k), n - k, 1);
  return tr !== undefined && Math.abs(tr.change) < t.phaseEarlyLead;
}

function lateEvidence(p: PhaseInputs, xs: number[], k: number, n: number, t: MonitorThresholds): Evidence[] {
  const out: Evidence[] = [];
  for (const [tag, c, scale] of [
    ["loss_disc", p.disc, p.discScale],
    ["loss_gen", p.gen, p.genScale],
  ] as const) {
    const tr = trendOf(
      xs.slice(k),
      c.slice(k, n).map((b) => b.mean),
      n - k,
      scale,
    );
    if (tr) out.push({ signal: `${tag}.late_change`, value: tr.change, threshold: t.phaseFlat, op: "<" });
  }
  return out;
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
