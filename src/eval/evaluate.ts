/**
 * One call for the whole evaluation of a generator's samples on a 2D dataset: the mode metrics when the
 * dataset has modes (ring8, grid25), and always the grid JSD against a fresh real sample of the same size.
 * The papers' protocol uses 2,500 generated samples (VEEGAN, PacGAN); `EVAL_SAMPLES` is that count.
 */

import type { Dataset } from "../data/dataset.ts";
import { DatasetError } from "../data/dataset-error.ts";
import type { Rng } from "../rng.ts";
import { gridJsd, JSD_GRID_CELLS } from "./grid-jsd.ts";
import { modeCoverage } from "./mode-coverage.ts";

export const EVAL_SAMPLES = 2500;

/** snake_case throughout, as the CLI and JSON reports print it. Mode fields only for datasets with modes. */
export interface EvalResult {
  /** Number of generated points evaluated. */
  samples: number;
  /** Modes covered by at least one high-quality sample (see mode-coverage.ts). */
  modes?: number;
  modes_total?: number;
  /** Fraction 0..1 of samples within 3 std of their nearest mode. */
  hq?: number;
  /** KL(HQ mode histogram ‖ uniform), nats; NaN when no sample is HQ. */
  reverse_kl?: number;
  /** HQ samples per mode, in the dataset's centre order. */
  mode_counts?: number[];
  /** Grid JSD between the samples and a real sample of the same size, nats (0..ln 2). */
  jsd: number;
  /** The same in bits (0..1). */
  jsd_bits: number;
}

export interface EvalOptions {
  /** Cells per side of the JSD grid over the dataset's box; default 61. */
  cells?: number;
  /** The real sample to compare with; by default `dataset.sample(samples, rng)` is drawn. */
  real?: Float32Array;
}

/**
 * Evaluate interleaved [x0, y0, x1, y1, ...] generated points. Draws the real sample for the JSD from
 * `rng` (advancing it by one sample of the same count) unless `opts.real` is given.
 */
export function evaluate(
  samples: Float32Array,
  dataset: Dataset,
  rng: Rng,
  opts: EvalOptions = {},
): EvalResult {
  if (samples.length === 0 || samples.length % 2 !== 0) {
    throw new DatasetError(
      "usage",
      `the evaluator needs a non-empty array of (x, y) pairs, got ${samples.length} numbers`,
    );
  }
  const n = samples.length / 2;
  const real = opts.real ?? dataset.sample(n, rng);
  const jsd = gridJsd(samples, real, dataset.box, opts.cells ?? JSD_GRID_CELLS);
  const result: EvalResult = { samples: n, jsd, jsd_bits: jsd / Math.LN2 };
  if (dataset.modes === undefined) return result;
  const coverage = modeCoverage(samples, dataset.modes);
  return {
    samples: n,
    modes: coverage.modes,
    modes_total: coverage.modes_total,
    hq: coverage.hq,
    reverse_kl: coverage.reverse_kl,
    mode_counts: coverage.mode_counts,
    jsd,
    jsd_bits: result.jsd_bits,
  };
}
