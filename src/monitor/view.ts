/**
 * The monitor's state as the report, the snapshot and the facts read it: one plain object the
 * BalanceMonitor owns and updates, so the readers need no access to the monitor's class.
 */
import type { Lang } from "../i18n/index.ts";
import type { RunHints } from "../sources/parser.ts";
import type { StateMachine } from "./rules/hysteresis.ts";
import type { BucketCurve } from "./signals/curve.ts";
import type { GapSignal } from "./signals/gap-signal.ts";
import type { Reference } from "./signals/reference.ts";
import type { SeriesTracker } from "./signals/series.ts";
import type { AssemblerCounts } from "./signals/step-assembler.ts";
import type { MonitorThresholds } from "./thresholds.ts";
import type { AlertLog } from "./verdict/alerts.ts";
import type { EpochMap } from "./verdict/epochs.ts";
import type { RunFacts } from "./verdict/run-facts.ts";

/** The monitor's state, as the report reads it. */
export interface MonitorView {
  t: MonitorThresholds;
  lang: Lang;
  hints: RunHints;
  ref: Reference;
  refKey?: string;
  trackers: Map<string, SeriesTracker>;
  gap: GapSignal;
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
  /** Updates the fp16 gradient scaler skipped (non-finite gradient norm, finite losses). */
  skipped: { steps: number; first?: { step: number; tag: string; value: number } };
  explosion?: RunFacts["explosion"];
  /** A divergence of an earlier segment: the run was resumed after it, so it is history, not the verdict. */
  earlierDivergence?: { step: number; tag: string; resumeStep: number };
  lr: { lrD?: number; lrG?: number; lr?: number };
  rvcLike: boolean;
  seenTags: Set<string>;
  resumes: { segment: number; step: number }[];
  counts: AssemblerCounts;
}
