/**
 * What the driver records at the end of each evaluation window, from outside the losses: the
 * evaluator's figures on 2,500 generated samples, D's accuracy on fresh batches it never trained on,
 * and whether anything in the networks went non-finite or exploded. One JSON line per window in the
 * run's `windows.jsonl`; the labels (labels.ts) read only these fields.
 */

export const WINDOWS_FILE = "windows.jsonl";
export const SCENARIO_FILE = "scenario.json";

export interface WindowRecord {
  /** The training step the window ends at (the evaluation's step). */
  step: number;
  modes: number;
  modes_total: number;
  /** Fraction 0..1 of generated samples within 3 std of their nearest mode. */
  hq: number;
  /** NaN when no sample is high quality. */
  reverse_kl: number;
  jsd: number;
  /** Fraction of a fresh real batch D classifies as real (NaN when D's outputs are not finite). */
  dAccReal: number;
  /** Fraction of a fresh generated batch D classifies as generated. */
  dAccFake: number;
  /** Some weight of G or D is NaN or infinite. */
  weightsNonFinite: boolean;
  /** Fraction of the fresh generated batch with a non-finite coordinate. */
  samplesNonFinite: number;
  /** Median over the fresh generated batch of max(|x|, |y|), in units of the dataset box's half-width:
   *  far above 1 means the generator's output has blown up even if it is still finite. */
  sampleScale: number;
  /** Standard deviation of D's raw outputs over both fresh batches: 0 when D is dead (constant). */
  dOutputSpread: number;
  /** Standard deviation of the fresh generated points' coordinates (mean of x and y), in box
   *  half-widths: 0 when G is dead (every noise gives the same point). */
  sampleSpread: number;
  /** Some logged loss in the window was non-finite: recorded for the report, never used by the labels
   *  (the detectors see the losses; the truth must not). */
  lossNonFinite: boolean;
}

/** What a run directory says about which scenario it is. */
export interface ScenarioMeta {
  scenario: string;
  dataset: string;
  seed: number;
  steps: number;
  evalInterval: number;
  seconds: number;
}

/** JSON has no NaN: write non-finite numbers as strings, as the trainer's files do. */
export function nanSafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}

/** The inverse of nanSafe for one parsed value. */
export function asNumber(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "string") return Number(v);
  return Number.NaN;
}

export function parseWindow(line: string): WindowRecord {
  const o = JSON.parse(line) as Record<string, unknown>;
  return {
    step: asNumber(o.step),
    modes: asNumber(o.modes),
    modes_total: asNumber(o.modes_total),
    hq: asNumber(o.hq),
    reverse_kl: asNumber(o.reverse_kl),
    jsd: asNumber(o.jsd),
    dAccReal: asNumber(o.dAccReal),
    dAccFake: asNumber(o.dAccFake),
    weightsNonFinite: o.weightsNonFinite === true,
    samplesNonFinite: asNumber(o.samplesNonFinite),
    sampleScale: asNumber(o.sampleScale),
    dOutputSpread: asNumber(o.dOutputSpread),
    sampleSpread: asNumber(o.sampleSpread),
    lossNonFinite: o.lossNonFinite === true,
  };
}
