/**
 * The suite's scores, as pure functions of the labels (labels.ts) and the detectors' traces
 * (detector.ts):
 *
 * - run level, unhealthy = positive: precision, recall, F1; for each unhealthy run the detector caught,
 *   the detection step (the first check from which its verdict stays unhealthy to the end), the
 *   latency after the truth's onset, and whether it came in the first half of the run; and the false
 *   alarms: healthy runs whose verdict was unhealthy at some check but not at the end;
 * - per window, per state: a detector's state at a window's end against the window's truth, precision
 *   and recall per named state, and "any problem" (truth not balanced vs a problem flag) for all;
 * - per-state latency: for each stretch of windows with the same problem truth, the steps from its
 *   start until the detector first names that state inside the stretch (missed if it never does).
 */
import type { Health, StateName } from "../../src/monitor/types.ts";
import type { DetectorTrace } from "./detector.ts";
import type { RunTruth, TruthState } from "./labels.ts";

export type Reading = "unhealthy" | "warning_or_worse";

export function flagged(h: Health, reading: Reading): boolean {
  return reading === "unhealthy" ? h === "unhealthy" : h !== "healthy";
}

export interface Binary {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function binaryScores(pairs: readonly { truth: boolean; predicted: boolean }[]): Binary {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (const { truth, predicted } of pairs) {
    if (truth && predicted) tp++;
    else if (!truth && predicted) fp++;
    else if (truth) fn++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : Number.NaN;
  const recall = tp + fn > 0 ? tp / (tp + fn) : Number.NaN;
  const f1 = tp > 0 ? (2 * precision * recall) / (precision + recall) : tp + fp + fn > 0 ? 0 : Number.NaN;
  return { tp, fp, fn, tn, precision, recall, f1 };
}

/** The first check from which the verdict stays flagged to the end; null when the end is not flagged. */
export function detectionStep(checks: DetectorTrace["checks"], reading: Reading): number | null {
  if (checks.length === 0 || !flagged(checks[checks.length - 1].health, reading)) return null;
  let i = checks.length - 1;
  while (i > 0 && flagged(checks[i - 1].health, reading)) i--;
  return checks[i].step;
}

/** One run as the scores need it. */
export interface ScoredRun {
  id: string;
  steps: number;
  truth: RunTruth;
  trace: DetectorTrace;
}

export interface RunLevelScores extends Binary {
  runs: number;
  /** Unhealthy runs caught, with their detection. */
  detections: { id: string; step: number; latency: number; fraction: number; onset: number }[];
  medianLatency: number;
  medianFraction: number;
  /** Of the unhealthy runs whose onset lies in the first half: the share caught in the first half. */
  firstHalfRate: number;
  firstHalfEligible: number;
  /** Healthy runs flagged at some check but not at the end (transient false alarms). */
  transientFalseAlarms: number;
}

export function runLevelScores(runs: readonly ScoredRun[], reading: Reading): RunLevelScores {
  const binary = binaryScores(
    runs.map((r) => ({ truth: r.truth.label === "unhealthy", predicted: flagged(r.trace.final, reading) })),
  );
  const detections: RunLevelScores["detections"] = [];
  let eligible = 0;
  let early = 0;
  let transient = 0;
  for (const r of runs) {
    const step = detectionStep(r.trace.checks, reading);
    if (r.truth.label === "healthy") {
      if (step === null && r.trace.checks.some((c) => flagged(c.health, reading))) transient++;
      continue;
    }
    const onset = r.truth.onsetStep as number;
    const half = r.steps / 2;
    if (onset <= half) eligible++;
    if (step === null) continue;
    if (onset <= half && step <= half) early++;
    detections.push({ id: r.id, step, latency: step - onset, fraction: step / r.steps, onset });
  }
  return {
    ...binary,
    runs: runs.length,
    detections,
    medianLatency: median(detections.map((d) => d.latency)),
    medianFraction: median(detections.map((d) => d.fraction)),
    firstHalfRate: eligible > 0 ? early / eligible : Number.NaN,
    firstHalfEligible: eligible,
    transientFalseAlarms: transient,
  };
}

/** A monitor state in the truth's vocabulary (states the truth does not name keep their own name). */
export function asTruthName(s: StateName | undefined): string {
  if (s === undefined) return "none";
  return s === "collapse_suspected" ? "collapse" : s;
}

export const SCORED_STATES: readonly TruthState[] = [
  "balanced",
  "d_dominant",
  "g_dominant",
  "collapse",
  "diverged",
];

export interface StateScores {
  state: TruthState | "any problem";
  truthWindows: number;
  predictedWindows: number;
  precision: number;
  recall: number;
}

/** Per-window precision and recall for each named state, and for "any problem". */
export function windowScores(runs: readonly ScoredRun[]): StateScores[] {
  const pairs = windowPairs(runs);
  const out: StateScores[] = SCORED_STATES.map((state) => {
    const b = binaryScores(
      pairs.map((p) => ({ truth: p.truth === state, predicted: p.predicted === state })),
    );
    return {
      state,
      truthWindows: b.tp + b.fn,
      predictedWindows: b.tp + b.fp,
      precision: b.precision,
      recall: b.recall,
    };
  });
  const any = binaryScores(pairs.map((p) => ({ truth: p.truth !== "balanced", predicted: p.problem })));
  out.push({
    state: "any problem",
    truthWindows: any.tp + any.fn,
    predictedWindows: any.tp + any.fp,
    precision: any.precision,
    recall: any.recall,
  });
  return out;
}

/** Counts of (truth, predicted) over all windows: the confusion matrix. */
export function confusion(runs: readonly ScoredRun[]): Map<string, Map<string, number>> {
  const m = new Map<string, Map<string, number>>();
  for (const p of windowPairs(runs)) {
    const row = m.get(p.truth) ?? new Map<string, number>();
    row.set(p.predicted, (row.get(p.predicted) ?? 0) + 1);
    m.set(p.truth, row);
  }
  return m;
}

function windowPairs(
  runs: readonly ScoredRun[],
): { truth: TruthState; predicted: string; problem: boolean }[] {
  const out: { truth: TruthState; predicted: string; problem: boolean }[] = [];
  for (const r of runs) {
    if (r.trace.windows.length !== r.truth.windows.length) {
      throw new Error(
        `${r.id}: ${r.trace.windows.length} detector windows for ${r.truth.windows.length} labelled`,
      );
    }
    r.truth.windows.forEach((w, i) => {
      const d = r.trace.windows[i];
      out.push({ truth: w.truth, predicted: asTruthName(d.state), problem: d.problem });
    });
  }
  return out;
}

export interface StateLatency {
  state: TruthState;
  /** Stretches of windows with this truth. */
  episodes: number;
  detected: number;
  medianLatency: number;
}

/** For each problem state: how many of its stretches the detector named in time, and how fast. */
export function stateLatencies(runs: readonly ScoredRun[]): StateLatency[] {
  const byState = new Map<TruthState, { episodes: number; latencies: number[] }>();
  for (const r of runs) {
    for (const ep of episodes(r.truth)) {
      const entry = byState.get(ep.state) ?? { episodes: 0, latencies: [] };
      entry.episodes++;
      const hit = firstNamed(r.trace.stateChanges, ep.state, ep.fromStep, ep.toStep);
      if (hit !== null) entry.latencies.push(hit - ep.fromStep);
      byState.set(ep.state, entry);
    }
  }
  return SCORED_STATES.filter((s) => s !== "balanced").map((state) => {
    const e = byState.get(state) ?? { episodes: 0, latencies: [] };
    return { state, episodes: e.episodes, detected: e.latencies.length, medianLatency: median(e.latencies) };
  });
}

/** Maximal stretches of consecutive windows with the same named problem truth. */
export function episodes(truth: RunTruth): { state: TruthState; fromStep: number; toStep: number }[] {
  const out: { state: TruthState; fromStep: number; toStep: number }[] = [];
  for (const w of truth.windows) {
    const last = out[out.length - 1];
    if (last && last.state === w.truth && last.toStep === w.fromStep) last.toStep = w.toStep;
    else out.push({ state: w.truth, fromStep: w.fromStep, toStep: w.toStep });
  }
  return out.filter((e) => e.state !== "balanced" && e.state !== "poor");
}

/** The first step in [from, to] at which the state in effect, read in the truth's names, is `state`. */
export function firstNamed(
  changes: DetectorTrace["stateChanges"],
  state: TruthState,
  from: number,
  to: number,
): number | null {
  let current: string | undefined;
  for (const c of changes) {
    if (c.step <= from) {
      current = asTruthName(c.state);
      continue;
    }
    if (current === state) return from;
    if (c.step > to) return null;
    current = asTruthName(c.state);
    if (current === state) return c.step;
  }
  return current === state ? from : null;
}

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
