/**
 * Scores the suite's detectors on the committed cross-trainer corpus, with no training and no Python:
 * every run is labelled from its window records (labels.ts), every detector is replayed over its logged
 * metrics exactly as bench/scenarios replays them over Nashboard's own runs (detector.ts), and the
 * run-level flags are scored overall, on the families Nashboard knows, per truth state and per loss
 * family, each with a bootstrap interval. Plain data: report.ts renders it.
 */
import { equilibrium } from "../../src/losses/equilibrium.ts";
import { BalanceMonitor } from "../../src/monitor/monitor.ts";
import type { Health, MonitorReport, StateName } from "../../src/monitor/types.ts";
import { type DetectorSpec, type DetectorTrace, replay } from "../scenarios/detector.ts";
import { MONITOR_LOSSES_ONLY, suiteDetectors } from "../scenarios/detector-list.ts";
import { LOSS_TAGS } from "../scenarios/detector-monitor.ts";
import { type RunTruth, STRICT_RULES, TRUTH_STATES, type TruthState } from "../scenarios/labels.ts";
import { confusion, type ScoredRun } from "../scenarios/scoring.ts";
import {
  type BootstrapOptions,
  bootstrapScores,
  type Interval,
  type RunPair,
  type RunScores,
} from "./bootstrap.ts";
import { type CorpusRun, type CrossFamily, detectorConfig, runTruth, stratumOf } from "./corpus.ts";
import { equilibriumBandDetector } from "./equilibrium-band.ts";

export const CHECK_EVERY = 100;
/** Families whose conventions Nashboard knows (relativistic is told "bce": see corpus.ts). */
export const KNOWN_FAMILIES: readonly CrossFamily[] = ["bce", "bce_minimax", "lsgan", "hinge", "wgan_gp"];

export function corpusDetectors(): DetectorSpec[] {
  return [...suiteDetectors(), equilibriumBandDetector()];
}

/** The losses-only monitor's verdict in words: which problem and which sentence decided it. */
export interface MonitorVerdict {
  health: Health;
  primary: StateName | null;
  summaryKey: string;
  /** Which rule named the main problem: the signals its evidence compared with a threshold, as
   *  "d_gap>=" (from the last stretch in that state), or "" without a problem. */
  rule: string;
  /** The id of the rule that decided the verdict: the rule of the last stretch in the primary state
   *  (or of the final stretch without a problem), or the verdict's own reading (family misfit). */
  ruleId: string;
  /** The monitor's state at the end of the run. */
  finalState: StateName;
}

export interface RunResult {
  id: string;
  family: CrossFamily;
  failure: string;
  stratum: "grid" | "lean";
  datasetKind: string;
  truth: { label: RunTruth["label"]; finalState: TruthState; windows: TruthState[] };
  strictLabel: RunTruth["label"];
  /** Per detector, its health at the end of the run. */
  finals: Record<string, Health>;
  monitor: MonitorVerdict;
  /** Mean finite loss_disc over the last quarter of the logged steps, minus the equilibrium, in units of
   *  the equilibrium (absolute for Wasserstein, whose equilibrium is 0): how far from "flat at the
   *  equilibrium" the run ended. */
  discOffset: number;
}

export interface Scored {
  point: RunScores;
  intervals: Record<string, Interval>;
}

export interface DetectorScores {
  name: string;
  description: string;
  overall: Scored;
  knownFamilies: Scored;
  /** The "grid" stratum alone: the grid as documented, without the healthier second stratum. */
  gridStratum: Scored;
  strictLabels: Scored;
  /** Per truth state at the end of the run: the share of its runs flagged. */
  byTruth: Partial<Record<TruthState, Scored>>;
  byFamily: Partial<Record<CrossFamily, Scored>>;
}

export interface CorpusEvaluation {
  runs: RunResult[];
  detectors: DetectorScores[];
  /** The losses-only monitor's state at each window's end against the window's truth. */
  windowConfusion: Record<string, Record<string, number>>;
}

/** The losses-only monitor replayed once more for its verdict's words (the trace keeps only health). */
export function monitorVerdict(run: CorpusRun): MonitorVerdict {
  const { monitor, report } = replayMonitor(run);
  const v = report.verdict;
  const entry = [...report.timeline].reverse().find((e) => e.state === v.primary);
  const rule = (entry?.evidence ?? [])
    .filter((e) => e.op !== undefined)
    .map((e) => `${e.signal}${e.op}`)
    .join(", ");
  return {
    health: v.health,
    primary: v.primary,
    summaryKey: v.summary.key,
    rule,
    ruleId:
      v.summary.key === "cannotJudge" ? "family_misfit" : ((entry ?? report.timeline.at(-1))?.rule ?? "none"),
    finalState: monitor.snapshot().state,
  };
}

/** The losses-only monitor's report on a run, as a user reading its log would get it. */
export function monitorReport(run: CorpusRun): MonitorReport {
  return replayMonitor(run).report;
}

function replayMonitor(run: CorpusRun): { monitor: BalanceMonitor; report: MonitorReport } {
  const monitor = new BalanceMonitor({ lossFamily: detectorConfig(run).loss, discriminators: 1 });
  for (const m of run.metrics) {
    for (const tag of LOSS_TAGS) monitor.push({ tag, sourceTag: tag, step: m.step, value: Number(m[tag]) });
  }
  monitor.flush();
  return { monitor, report: monitor.report() };
}

export function evaluateCorpus(
  corpus: readonly CorpusRun[],
  options: BootstrapOptions = {},
): CorpusEvaluation {
  const specs = corpusDetectors();
  const lossesOnly = specs.findIndex((s) => s.name === MONITOR_LOSSES_ONLY);
  const traces = new Map<string, DetectorTrace[]>();
  const runs: RunResult[] = corpus.map((run) => {
    const truth = runTruth(run);
    const config = detectorConfig(run);
    const windowSteps = run.windows.map((w) => w.step);
    const runTraces = specs.map((s) => replay(s, config, run.metrics, windowSteps, CHECK_EVERY));
    traces.set(run.id, runTraces);
    const monitor = monitorVerdict(run);
    if (monitor.health !== runTraces[lossesOnly].final) {
      throw new Error(
        `${run.id}: the monitor's verdict replays as ${monitor.health}, its trace as ${runTraces[lossesOnly].final}`,
      );
    }
    return {
      id: run.id,
      family: run.config.loss,
      failure: run.config.failure,
      stratum: stratumOf(run),
      datasetKind: run.config.dataset.kind,
      truth: { label: truth.label, finalState: truth.finalState, windows: truth.windows.map((w) => w.truth) },
      strictLabel: runTruth(run, STRICT_RULES).label,
      finals: Object.fromEntries(specs.map((s, i) => [s.name, runTraces[i].final])),
      monitor,
      discOffset: discOffset(run),
    };
  });
  // The monitor's "warning" is a verdict of its own: read as healthy (the headline reading) and, as a
  // second row, as a flag (what a user who acts on every warning would get).
  const readings = specs.flatMap((spec) => [
    { spec, name: spec.name, flags: (h: Health) => h === "unhealthy" },
    ...(spec.hasWarning
      ? [{ spec, name: `${spec.name} (warning or worse)`, flags: (h: Health) => h !== "healthy" }]
      : []),
  ]);
  const detectors = readings.map(({ spec, name, flags }) => {
    const pairs = (subset: readonly RunResult[], strict = false): RunPair[] =>
      subset.map((r) => ({
        unhealthy: (strict ? r.strictLabel : r.truth.label) === "unhealthy",
        flagged: flags(r.finals[spec.name]),
      }));
    const scored = (subset: readonly RunResult[], strict = false) =>
      bootstrapScores(pairs(subset, strict), options);
    const byTruth: DetectorScores["byTruth"] = {};
    for (const state of TRUTH_STATES) {
      const subset = runs.filter((r) => r.truth.finalState === state);
      if (subset.length > 0) byTruth[state] = scored(subset);
    }
    const byFamily: DetectorScores["byFamily"] = {};
    for (const family of new Set(runs.map((r) => r.family))) {
      byFamily[family] = scored(runs.filter((r) => r.family === family));
    }
    return {
      name,
      description: spec.description,
      overall: scored(runs),
      knownFamilies: scored(runs.filter((r) => KNOWN_FAMILIES.includes(r.family))),
      gridStratum: scored(runs.filter((r) => r.stratum === "grid")),
      strictLabels: scored(runs, true),
      byTruth,
      byFamily,
    };
  });
  const scoredRuns: ScoredRun[] = corpus.map((run) => ({
    id: run.id,
    steps: run.config.steps,
    truth: runTruth(run),
    trace: (traces.get(run.id) as DetectorTrace[])[lossesOnly],
  }));
  const windowConfusion: CorpusEvaluation["windowConfusion"] = {};
  for (const [truth, row] of confusion(scoredRuns)) windowConfusion[truth] = Object.fromEntries(row);
  return { runs, detectors, windowConfusion };
}

export function discOffset(run: CorpusRun): number {
  const disc = run.metrics.map((m) => m.loss_disc).filter(Number.isFinite);
  const tail = disc.slice(Math.floor((disc.length * 3) / 4));
  if (tail.length === 0) return Number.NaN;
  const mean = tail.reduce((a, b) => a + b, 0) / tail.length;
  const eq = equilibrium(detectorConfig(run).loss).loss_disc;
  return eq === 0 ? mean : (mean - eq) / Math.abs(eq);
}
