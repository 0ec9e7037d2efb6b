/**
 * What every 2D dataset offers the trainer, the plots and the evaluator: a seeded sampler, a box, and,
 * for the mode-collapse benchmarks, the mode centres. Pure TypeScript (no tfjs): the trainer wraps the
 * returned array in tf.tensor2d(arr, [n, 2]) itself.
 */

import type { Rng } from "../rng.ts";
import { DatasetError } from "./dataset-error.ts";

export type Point2 = readonly [number, number];

/** An axis-aligned rectangle [xMin, xMax) × [yMin, yMax), used for plots and for the evaluator's JSD grid. */
export interface Box {
  readonly xMin: number;
  readonly xMax: number;
  readonly yMin: number;
  readonly yMax: number;
}

/**
 * The mixture components of a mode-collapse benchmark: equal-weight isotropic Gaussians with one std.
 * The evaluator counts a sample as high quality within 3·std of its nearest centre.
 */
export interface Modes {
  readonly centres: readonly Point2[];
  readonly std: number;
}

export interface Dataset {
  /** The registry name ("ring8", ...) or "csv" for a user's points. */
  readonly name: string;
  /** One line for help texts and reports. */
  readonly description: string;
  readonly box: Box;
  /** Present only for mixtures of well-separated modes; without it the evaluator reports only the JSD. */
  readonly modes?: Modes;
  /**
   * n points as interleaved [x0, y0, x1, y1, ...] (row-major [n, 2]). Draws only from `rng`, so a run
   * restored from the rng's state draws the same points. When `out` is given it is filled (it must hold
   * at least 2n numbers) and returned, trimmed to 2n by a view when longer.
   */
  sample(n: number, rng: Rng, out?: Float32Array): Float32Array;
}

/** The buffer a sampler writes n points into: `out` (checked) or a new one. */
export function pointBuffer(n: number, out?: Float32Array): Float32Array {
  if (!Number.isInteger(n) || n < 0) {
    throw new DatasetError("usage", `the number of points to sample must be a whole number ≥ 0, got ${n}`);
  }
  if (out === undefined) return new Float32Array(2 * n);
  if (out.length < 2 * n) {
    throw new DatasetError("usage", `the output buffer holds ${out.length / 2} points, ${n} were asked for`);
  }
  return out.length === 2 * n ? out : out.subarray(0, 2 * n);
}

export function squareBox(halfWidth: number): Box {
  return Object.freeze({ xMin: -halfWidth, xMax: halfWidth, yMin: -halfWidth, yMax: halfWidth });
}
