/**
 * The two standard mode-collapse benchmarks (Unrolled GAN, VEEGAN, PacGAN) and a single Gaussian.
 *
 * Their boxes are chosen for the evaluator's 61×61 JSD grid (src/eval/grid-jsd.ts): an odd cell count over
 * a box symmetric about 0 puts 0 at a cell centre, and a cell width that divides the mode spacing
 * (0.1 for ring8, 0.2 for grid25) puts every axis-aligned mode at a cell centre too. A mode on a cell
 * corner instead splits its real mass over four cells: a generator that puts its samples exactly on the
 * centres scores 0.018 (ring8) and 0.033 (grid25) nats on the aligned grid, but 0.28 and 0.38 on 60 cells
 * over [-3,3]² and [-6,6]², whose lines pass through the centres (bench/eval-jsd-bias.ts): an artefact
 * of where the grid lines fall, not of the samples.
 */

import { squareBox } from "./dataset.ts";
import { gaussianMixture } from "./gaussian-mixture.ts";

const RING_MODES = 8;
const RING_RADIUS = 2;

/**
 * 8 Gaussians on a circle of radius 2 at angles 2πi/8, i = 0..7, std 0.02 (the Unrolled GAN paper's
 * setup). Angles 2πi/8 and not linspace(0, 2π, 8), whose first and last angles coincide and leave
 * 7 distinct modes (the bug of the Unrolled GAN notebook).
 */
export const ring8 = gaussianMixture({
  name: "ring8",
  description: "8 Gaussians on a circle of radius 2, std 0.02 (mode-collapse benchmark)",
  centres: Array.from({ length: RING_MODES }, (_, i) => {
    const angle = (2 * Math.PI * i) / RING_MODES;
    return [RING_RADIUS * Math.cos(angle), RING_RADIUS * Math.sin(angle)] as const;
  }),
  std: 0.02,
  box: squareBox(3.05),
  benchmark: true,
});

const GRID_AXIS = [-4, -2, 0, 2, 4];

/** 25 Gaussians at {-4,-2,0,2,4}², std 0.05 (VEEGAN, PacGAN). */
export const grid25 = gaussianMixture({
  name: "grid25",
  description: "25 Gaussians on the grid {-4,-2,0,2,4}², std 0.05 (mode-collapse benchmark)",
  centres: GRID_AXIS.flatMap((x) => GRID_AXIS.map((y) => [x, y] as const)),
  std: 0.05,
  box: squareBox(6.1),
  benchmark: true,
});

/**
 * One Gaussian at (1, 1), std 0.5: the easiest shape to learn, placed off the origin and narrower than
 * N(0, I) so that a generator fed N(0, I) noise must still learn a shift and a scale. Not a benchmark:
 * it has no modes for the evaluator (a single mode would make coverage trivially 1/1), which then reports
 * only the JSD.
 */
export const gaussian = gaussianMixture({
  name: "gaussian",
  description: "one Gaussian at (1, 1), std 0.5",
  centres: [[1, 1]],
  std: 0.5,
  box: squareBox(4),
  benchmark: false,
});
