/** The evaluator's public surface: mode coverage, high-quality fraction, reverse KL and grid JSD. */

export { EVAL_SAMPLES, type EvalOptions, type EvalResult, evaluate } from "./evaluate.ts";
export { gridHistogram, gridJsd, JSD_GRID_CELLS, jsdFromCounts } from "./grid-jsd.ts";
export { HQ_STDS, type ModeCoverage, modeCoverage } from "./mode-coverage.ts";
