/**
 * From saved runs to the suite's results: label every run (primary and strict rules), replay every
 * detector over its logged steps, and score each detector on all runs, on the held-out seeds and on
 * the training seeds (the ones thresholds may be tuned on). Plain data, written as JSON and rendered
 * as markdown by report-markdown.ts.
 */
import type { MonitorThresholds } from "../../src/monitor/thresholds.ts";
import type { Health } from "../../src/monitor/types.ts";
import { type DetectorSpec, type DetectorTrace, replay } from "./detector.ts";
import { suiteDetectors } from "./detector-list.ts";
import { labelRun, PRIMARY_RULES, type RunTruth, STRICT_RULES, type TruthState } from "./labels.ts";
import type { SavedRun } from "./run-data.ts";
import { findScenario } from "./scenario-table.ts";
import {
  confusion,
  detectionStep,
  type Reading,
  type RunLevelScores,
  runLevelScores,
  type ScoredRun,
  type StateLatency,
  type StateScores,
  stateLatencies,
  windowScores,
} from "./scoring.ts";

export interface RunSummary {
  id: string;
  scenario: string;
  dataset: string;
  seed: number;
  steps: number;
  expected: "healthy" | "unhealthy";
  truth: {
    label: RunTruth["label"];
    finalState: TruthState;
    onsetStep: number | null;
    windows: TruthState[];
  };
  strictLabel: RunTruth["label"];
  final: { modes: number; modes_total: number; hq: number; jsd: number; dAccReal: number; dAccFake: number };
  trainSeconds: number;
  /** Per detector: its final health and its detection step under the "unhealthy" reading. */
  detectors: Record<string, { final: Health; detectionStep: number | null }>;
}

export type Subset = "all" | "heldOut" | "train";

export interface DetectorResults {
  name: string;
  description: string;
  namesStates: boolean;
  hasWarning: boolean;
  runLevel: Record<Subset, Partial<Record<Reading, RunLevelScores>>>;
  /** Run level against the strict labels, all seeds. */
  strictLabels: Partial<Record<Reading, RunLevelScores>>;
  windows: StateScores[];
  latencies?: StateLatency[];
  confusion?: Record<string, Record<string, number>>;
}

export interface SuiteEvaluation {
  runs: RunSummary[];
  detectors: DetectorResults[];
}

export interface EvaluateOptions {
  trainSeeds: readonly number[];
  checkEvery: number;
  thresholds?: Partial<MonitorThresholds>;
}

export function evaluateSuite(saved: readonly SavedRun[], options: EvaluateOptions): SuiteEvaluation {
  const specs = suiteDetectors(options.thresholds);
  const labelled = saved.map((run) => ({
    run,
    truth: labelRun(run.windows, PRIMARY_RULES),
    strict: labelRun(run.windows, STRICT_RULES),
    traces: new Map<string, DetectorTrace>(),
  }));
  for (const l of labelled) {
    const windowSteps = l.run.windows.map((w) => w.step);
    for (const spec of specs) {
      l.traces.set(spec.name, replay(spec, l.run.config, l.run.metrics, windowSteps, options.checkEvery));
    }
  }
  const runs: RunSummary[] = labelled.map(({ run, truth, strict, traces }) => {
    const last = run.windows[run.windows.length - 1];
    const detectors: RunSummary["detectors"] = {};
    for (const [name, trace] of traces) {
      detectors[name] = { final: trace.final, detectionStep: detectionStep(trace.checks, "unhealthy") };
    }
    return {
      id: run.id,
      scenario: run.meta.scenario,
      dataset: run.meta.dataset,
      seed: run.meta.seed,
      steps: run.config.steps,
      expected: findScenario(run.meta.scenario).expected,
      truth: {
        label: truth.label,
        finalState: truth.finalState,
        onsetStep: truth.onsetStep,
        windows: truth.windows.map((w) => w.truth),
      },
      strictLabel: strict.label,
      final: {
        modes: last.modes,
        modes_total: last.modes_total,
        hq: last.hq,
        jsd: last.jsd,
        dAccReal: last.dAccReal,
        dAccFake: last.dAccFake,
      },
      trainSeconds: run.meta.seconds,
      detectors,
    };
  });
  const inSubset = (seed: number, subset: Subset) =>
    subset === "all" || (subset === "train") === options.trainSeeds.includes(seed);
  const detectors = specs.map((spec) => {
    const scored = (subset: Subset, strictLabels = false): ScoredRun[] =>
      labelled
        .filter((l) => inSubset(l.run.meta.seed, subset))
        .map((l) => ({
          id: l.run.id,
          steps: l.run.config.steps,
          truth: strictLabels ? l.strict : l.truth,
          trace: l.traces.get(spec.name) as DetectorTrace,
        }));
    return detectorResults(spec, scored);
  });
  return { runs, detectors };
}

function detectorResults(
  spec: DetectorSpec,
  scored: (subset: Subset, strictLabels?: boolean) => ScoredRun[],
): DetectorResults {
  const readings: Reading[] = spec.hasWarning ? ["unhealthy", "warning_or_worse"] : ["unhealthy"];
  const byReading = (runs: ScoredRun[]) => {
    const out: Partial<Record<Reading, RunLevelScores>> = {};
    for (const r of readings) out[r] = runLevelScores(runs, r);
    return out;
  };
  const all = scored("all");
  const result: DetectorResults = {
    name: spec.name,
    description: spec.description,
    namesStates: spec.namesStates,
    hasWarning: spec.hasWarning,
    runLevel: {
      all: byReading(all),
      heldOut: byReading(scored("heldOut")),
      train: byReading(scored("train")),
    },
    strictLabels: byReading(scored("all", true)),
    windows: windowScores(all),
  };
  if (spec.namesStates) {
    result.latencies = stateLatencies(all);
    const matrix: Record<string, Record<string, number>> = {};
    for (const [truth, row] of confusion(all)) matrix[truth] = Object.fromEntries(row);
    result.confusion = matrix;
  }
  return result;
}
