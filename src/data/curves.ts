/**
 * Shapes for learning rather than for counting modes: two moons and a spiral, noisy curves a generator
 * must bend its noise onto. They have no modes, so the evaluator reports only the JSD for them.
 */

import type { Rng } from "../rng.ts";
import { type Dataset, pointBuffer, squareBox } from "./dataset.ts";

const MOONS_NOISE = 0.1;

/**
 * scikit-learn's make_moons (outer arc (cos t, sin t), inner arc (1 − cos t, ½ − sin t), t ∈ [0, π]),
 * centred on the origin and scaled by 2 so it spans about [-3, 3] × [-1.5, 1.5], like ring8's scale;
 * Gaussian noise std 0.1 (make_moons' common noise=0.05, scaled too). Each point picks a moon with
 * probability ½.
 */
export const moons: Dataset = Object.freeze({
  name: "moons",
  description: "two interleaving half circles (scikit-learn's make_moons, scaled by 2), noise std 0.1",
  box: squareBox(4),
  sample(n: number, rng: Rng, out?: Float32Array): Float32Array {
    const xy = pointBuffer(n, out);
    for (let i = 0; i < n; i++) {
      const inner = rng.int(2) === 1;
      const t = Math.PI * rng.uniform();
      const sign = inner ? -1 : 1;
      // Outer: (2cos t − 1, 2sin t − ½); inner: the same point reflected through the origin.
      xy[2 * i] = sign * (2 * Math.cos(t) - 1) + MOONS_NOISE * rng.normal();
      xy[2 * i + 1] = sign * (2 * Math.sin(t) - 0.5) + MOONS_NOISE * rng.normal();
    }
    return xy;
  },
});

const SPIRAL_TURNS = 1.5;
const SPIRAL_RADIUS = 3;
const SPIRAL_NOISE = 0.05;

/**
 * An Archimedean spiral r = 3·θ/θmax, θ ∈ [0, θmax = 1.5 turns], noise std 0.05. θ = θmax·√u with u
 * uniform: the arc length of r ∝ θ grows as θ², so √u spreads the points evenly along the curve instead
 * of crowding its centre.
 */
export const spiral: Dataset = Object.freeze({
  name: "spiral",
  description: "an Archimedean spiral of 1.5 turns out to radius 3, noise std 0.05",
  box: squareBox(4),
  sample(n: number, rng: Rng, out?: Float32Array): Float32Array {
    const xy = pointBuffer(n, out);
    const thetaMax = 2 * Math.PI * SPIRAL_TURNS;
    for (let i = 0; i < n; i++) {
      const theta = thetaMax * Math.sqrt(rng.uniform());
      const r = (SPIRAL_RADIUS * theta) / thetaMax;
      xy[2 * i] = r * Math.cos(theta) + SPIRAL_NOISE * rng.normal();
      xy[2 * i + 1] = r * Math.sin(theta) + SPIRAL_NOISE * rng.normal();
    }
    return xy;
  },
});
