/**
 * The monitor's output shapes: plain data, ready for JSON (no Maps, no classes, no functions). Every
 * sentence is carried as a message key with its parameters, so any sink can render it in any language
 * (src/i18n/monitor-en.ts defines the keys); alerts also carry the message rendered in the monitor's
 * language. Non-finite numbers in parameters are written as strings ("NaN", "Infinity") by the sinks.
 */
import type { Equilibrium } from "../losses/equilibrium.ts";
import type { LossFamily } from "../types.ts";
import type { CurveBucket } from "./signals/curve.ts";
import type { ReferenceSource } from "./signals/reference.ts";

export const STATE_NAMES = [
  "warmup",
  "balanced",
  "d_dominant",
  "g_dominant",
  "collapse_suspected",
  "diverged",
  "oscillating",
  "stalled",
] as const;
export type StateName = (typeof STATE_NAMES)[number];

/** The states that are problems (every state but warmup and balanced). */
export const PROBLEM_STATES: readonly StateName[] = [
  "d_dominant",
  "g_dominant",
  "collapse_suspected",
  "diverged",
  "oscillating",
  "stalled",
];

export type Health = "healthy" | "warning" | "unhealthy";
export type PhaseName = "early" | "middle" | "late";

/** One number that led to a judgement, with the threshold it was compared against. */
export interface Evidence {
  /** e.g. "d_gap", "loss_disc.rel", "loss_gen.trend", "loss_disc.trend_z", "non_finite:loss_disc". */
  signal: string;
  value: number;
  threshold?: number;
  /** How value relates to threshold for the rule to hold. */
  op?: "<" | "<=" | ">" | ">=" | "=";
}

/** A sentence as a key of the monitor's message catalogue and its parameters. */
export interface MessageRef {
  key: string;
  params: Record<string, string | number | boolean>;
}

/**
 * The rule that decided a state (classifier.ts lists them in the order they are tried; ARCHITECTURE.md
 * tables each with its validation figure). Carried by every timeline entry and state change so that
 * `analyze --explain`, the JSON and the dashboard can say which rule spoke and on what numbers.
 */
export const RULE_IDS = [
  "non_finite",
  "exploded",
  "warmup",
  "dead_g_gradient",
  "collapse_drop",
  "d_gap_dominant",
  "d_gap_fooled",
  "g_gradient_vanished",
  "frozen_game",
  "frozen_losses",
  "critic_beaten",
  "critic_ahead",
  "d_beaten",
  "oscillation",
  "worse_than_constant",
  "d_trend",
  "g_trend",
  "no_problem",
] as const;
export type RuleId = (typeof RULE_IDS)[number];

export interface TimelineEntry {
  fromStep: number;
  toStep: number;
  segment: number;
  state: StateName;
  /** The rule that opened the entry. */
  rule: RuleId;
  /** 0..1: the agreement of the recent votes times how far past its thresholds the state's rule was. */
  confidence: number;
  /** The numbers that led to the state when it was entered. */
  evidence: Evidence[];
  /** Completed steps in the entry. */
  steps: number;
}

export type AlertKind =
  | "non_finite"
  | "skipped_step"
  | "explosion"
  | "spike"
  | "grad_norm_high"
  | "clamped"
  | "resume"
  | "out_of_order";

export interface Alert {
  step: number;
  kind: AlertKind;
  severity: "info" | "warning" | "critical";
  /** Rendered in the monitor's language. */
  message: string;
  key: string;
  params: MessageRef["params"];
}

export interface Phase {
  phase: PhaseName;
  fromStep: number;
  toStep: number;
  evidence: Evidence[];
}

export interface Advice extends MessageRef {
  /** The signals this advice rests on. */
  evidence: Evidence[];
}

export interface Verdict {
  health: Health;
  /** The main problem (a problem state), or null. */
  primary: StateName | null;
  summary: MessageRef;
  /** Summary rendered in the monitor's language. */
  summaryText: string;
  advice: Advice[];
  /** False when there was too little data to judge the balance (the summary says why). */
  enoughData: boolean;
}

export interface MonitorEvent {
  type: "state" | "alert";
  step: number;
  /** For state events. */
  from?: StateName;
  to?: StateName;
  /** For state events: the rule that decided the new state. */
  rule?: RuleId;
  confidence?: number;
  evidence?: Evidence[];
  /** For alert events. */
  alert?: Alert;
}

export interface TrendSummary {
  /** Theil–Sen change across the span, in units of the scale (equilibrium or the series' level). */
  change: number;
  /** Mann–Kendall z. */
  z: number;
  direction: "rising" | "falling" | "flat";
  fromStep: number;
  toStep: number;
}

export interface CandidateEpoch {
  epoch?: number;
  step: number;
  reasons: MessageRef[];
  checkpoint?: { step?: number; epoch?: number; file?: string };
}

export interface RvcFacts {
  /** Segments beyond the first (resumes) and the step each began at. */
  resumes: { segment: number; step: number }[];
  /** Steps per epoch when the log lets us tell (checkpoint names, epoch fields). */
  stepsPerEpoch?: number;
  /** Trends of the generator's other terms over the run. */
  trends: Partial<Record<"loss_mel" | "loss_kl" | "loss_fm" | "loss_gen_total", TrendSummary>>;
  /** Values at a clamp (lower bounds): "loss_kl = 9" means at least 9. */
  clamped: { tag: string; count: number; firstStep: number; lastStep: number; value: number }[];
  candidates: CandidateEpoch[];
  checkpointsKnown: boolean;
}

export interface ReferenceReport {
  family: LossFamily;
  familySource: ReferenceSource;
  discriminators: number;
  discriminatorsSource: ReferenceSource;
}

export interface Snapshot {
  step: number;
  state: StateName;
  confidence: number;
  evidence: Evidence[];
  phase?: PhaseName;
  /** The latest signals by name (smoothed losses, rel levels, trends, gap, ...). */
  signals: Record<string, number>;
  completedSteps: number;
}

export interface MonitorReport {
  /** Schema version of this object. */
  version: 1;
  lossFamily: LossFamily;
  discriminators: number;
  reference: ReferenceReport;
  equilibrium: Equilibrium;
  /** Steps with both losses that the rules judged. */
  completedSteps: number;
  firstStep?: number;
  lastStep?: number;
  timeline: TimelineEntry[];
  /** Timeline entries left out to bound memory (the first and latest are kept). */
  timelineOmitted: number;
  alerts: Alert[];
  /** Alerts counted but not kept, per kind. */
  alertsOmitted: Partial<Record<AlertKind, number>>;
  phases: Phase[];
  verdict: Verdict;
  /** Long-run drift of the two losses (whole run, bucket means), in equilibrium units. */
  drift?: { loss_disc: TrendSummary; loss_gen: TrendSummary };
  /** BCE only: the JS-divergence lower bound from the smoothed loss_disc, per bucket, and its caveat. */
  jsd?: { series: { step: number; value: number }[]; caveat: MessageRef };
  /** Mean D outputs, logged or estimated (per bucket), and where they came from. */
  dOutputs?: {
    source: "logged" | "accuracy" | "per_sub_discriminator" | "estimated";
    series: { step: number; gap: number }[];
  };
  /** Decimated curves for charts: canonical tags seen, in bounded buckets. */
  curves: Record<string, CurveBucket[]>;
  rvc?: RvcFacts;
  /** Fixed and run-specific notes (assumptions, the "not both to zero" note). */
  notes: MessageRef[];
  /** Data quality counts: points dropped or re-ordered, and why. */
  dataQuality: {
    points: number;
    /** Points without a string tag or a finite step. */
    invalid: number;
    late: number;
    backward: number;
    repeated: number;
    staleSegment: number;
  };
}
