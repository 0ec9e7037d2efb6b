/**
 * Equal-weight mixtures of isotropic Gaussians: the mode-collapse benchmarks (ring8, grid25) and the
 * single Gaussian are all this one sampler with different centres.
 */

import type { Rng } from "../rng.ts";
import { type Box, type Dataset, type Modes, type Point2, pointBuffer } from "./dataset.ts";

export interface MixtureSpec {
  name: string;
  description: string;
  centres: readonly Point2[];
  std: number;
  box: Box;
  /** Expose the centres to the evaluator (the benchmarks do; a single Gaussian does not). */
  benchmark: boolean;
}

export function gaussianMixture(spec: MixtureSpec): Dataset {
  const centres = Object.freeze(spec.centres.map((c) => Object.freeze([c[0], c[1]] as const)));
  const { std } = spec;
  const sample = (n: number, rng: Rng, out?: Float32Array): Float32Array => {
    const xy = pointBuffer(n, out);
    for (let i = 0; i < n; i++) {
      // The component first, then its two coordinates: a fixed order of draws keeps runs reproducible.
      const c = centres[rng.int(centres.length)];
      xy[2 * i] = c[0] + std * rng.normal();
      xy[2 * i + 1] = c[1] + std * rng.normal();
    }
    return xy;
  };
  const modes: Modes | undefined = spec.benchmark ? Object.freeze({ centres, std }) : undefined;
  return Object.freeze({
    name: spec.name,
    description: spec.description,
    box: spec.box,
    ...(modes ? { modes } : {}),
    sample,
  });
}
