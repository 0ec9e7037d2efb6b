/**
 * What every detector in the suite offers, and the one replay that runs any of them over a saved run:
 * the logged steps in order (as a live trainer or a growing log would deliver them), the detector's
 * state after each step, its problem flag at each window's end, and its run-level health at regular
 * check steps. The scores (scoring.ts) read only this trace.
 */
import type { Health, StateName } from "../../src/monitor/types.ts";
import type { TrainConfig } from "../../src/train/config.ts";
import type { StepMetrics } from "../../src/train/trainer.ts";
import type { LossFamily } from "../../src/types.ts";

/**
 * What a detector is told about a run: the trainer's configuration, whose loss may be any family the
 * monitor judges (another trainer's runs include families Nashboard does not train).
 */
export type DetectorConfig = Omit<TrainConfig, "loss"> & { loss: LossFamily };

export interface Detector {
  /** One logged step (all its tags; the detector reads what it is meant to). */
  push(m: StepMetrics): void;
  /** The end of the stream. */
  end(): void;
  /** The current state in the monitor's names, for detectors that name states. */
  state(): StateName | undefined;
  /** Whether the detector says something is wrong right now (the per-window problem flag). */
  problemNow(): boolean;
  /** The run-level verdict on the steps seen so far. */
  health(): Health;
}

export interface DetectorSpec {
  name: string;
  /** One line for the report: what it reads and when it flags a run. */
  description: string;
  /** Whether it names states (per-state precision and recall apply), or only flags runs. */
  namesStates: boolean;
  /** Whether "warning" is a distinct verdict (the monitor's), reported as a second reading. */
  hasWarning: boolean;
  create(config: DetectorConfig): Detector;
}

export interface DetectorTrace {
  detector: string;
  /** Per evaluation window, what the detector said at its end. */
  windows: { step: number; state?: StateName; problem: boolean }[];
  /** The run-level health at every check step, and at the end (the last entry). */
  checks: { step: number; health: Health }[];
  /** Every change of the detector's state, in step order (empty without states). */
  stateChanges: { step: number; state: StateName }[];
  final: Health;
}

/**
 * Replays `metrics` through a fresh detector. `windowSteps` are the evaluation steps (window ends);
 * the run-level health is read every `checkEvery` steps and at each window's end.
 */
export function replay(
  spec: DetectorSpec,
  config: DetectorConfig,
  metrics: readonly StepMetrics[],
  windowSteps: readonly number[],
  checkEvery: number,
): DetectorTrace {
  const d = spec.create(config);
  const trace: DetectorTrace = {
    detector: spec.name,
    windows: [],
    checks: [],
    stateChanges: [],
    final: "healthy",
  };
  let w = 0;
  let nextCheck = checkEvery;
  let last: StateName | undefined;
  const closeWindowsUpTo = (step: number) => {
    while (w < windowSteps.length && windowSteps[w] <= step) {
      const state = d.state();
      trace.windows.push({ step: windowSteps[w], ...(state ? { state } : {}), problem: d.problemNow() });
      w++;
    }
  };
  for (const m of metrics) {
    // Windows that ended before this step are read before it is seen.
    closeWindowsUpTo(m.step - 1);
    d.push(m);
    const state = d.state();
    if (state !== undefined && state !== last) {
      trace.stateChanges.push({ step: m.step, state });
      last = state;
    }
    if (m.step >= nextCheck) {
      trace.checks.push({ step: m.step, health: d.health() });
      while (nextCheck <= m.step) nextCheck += checkEvery;
    }
  }
  d.end();
  const state = d.state();
  const lastStep = metrics.at(-1)?.step ?? 0;
  if (state !== undefined && state !== last) trace.stateChanges.push({ step: lastStep, state });
  closeWindowsUpTo(Number.POSITIVE_INFINITY);
  trace.final = d.health();
  trace.checks.push({ step: lastStep, health: trace.final });
  return trace;
}

/** The monitor's problem states (everything but warmup and balanced). */
export function isProblemState(s: StateName | undefined): boolean {
  return s !== undefined && s !== "warmup" && s !== "balanced";
}
