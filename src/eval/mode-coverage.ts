/**
 * The mode-collapse protocol of VEEGAN (Srivastava et al. 2017) and PacGAN (Lin et al. 2018) on 2D
 * mixtures of equal-weight isotropic Gaussians:
 *
 * - a sample is high quality (HQ) when its Euclidean distance to the nearest mode centre is ≤ 3·std
 *   (PacGAN's MetricLogger uses a strict `<` on the Mahalanobis distance, the same thing for isotropic
 *   modes up to a boundary of probability zero);
 * - a mode is covered when it is the nearest mode of at least one HQ sample;
 * - reverse KL = KL(p ‖ uniform) in nats, where p is the histogram of the HQ samples only, each counted
 *   at its nearest mode, normalised by the number of HQ samples. This is what PacGAN's code logs
 *   (its `detail_of_coverage` counts only samples under the threshold; its reverse KL is ln K minus
 *   the entropy of that histogram). Samples that are not HQ do not enter it. With no HQ sample at all
 *   the histogram is 0/0 and the KL is NaN (numpy gives nan there too); `modes` = 0 and `hq` = 0 then
 *   say what happened.
 *
 * A NaN or infinite sample (a diverged generator) is never HQ and never covers a mode.
 *
 * For real data the expected HQ fraction is not 1: the radius of a 2D standard Gaussian exceeds 3 with
 * probability e^(−9/2), so real samples score hq ≈ 0.9889.
 */

import type { Modes } from "../data/dataset.ts";

export interface ModeCoverage {
  /** Modes covered by at least one HQ sample. */
  modes: number;
  modes_total: number;
  /** Fraction (0..1) of all samples that are HQ. */
  hq: number;
  /** KL(HQ mode histogram ‖ uniform) in nats; NaN when no sample is HQ. */
  reverse_kl: number;
  /** HQ samples per mode, in the order of `modes.centres`. */
  mode_counts: number[];
}

/** HQ threshold in mode stds, as in VEEGAN and PacGAN (`dis_thre=3`). */
export const HQ_STDS = 3;

export function modeCoverage(samples: Float32Array, modes: Modes): ModeCoverage {
  const n = samples.length >> 1;
  const k = modes.centres.length;
  const cx = Float64Array.from(modes.centres, (c) => c[0]);
  const cy = Float64Array.from(modes.centres, (c) => c[1]);
  const limit2 = (HQ_STDS * modes.std) ** 2;
  const counts = new Array<number>(k).fill(0);
  let hqCount = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[2 * i];
    const y = samples[2 * i + 1];
    let best = Infinity;
    let nearest = -1;
    for (let j = 0; j < k; j++) {
      const d2 = (x - cx[j]) ** 2 + (y - cy[j]) ** 2;
      if (d2 < best) {
        best = d2;
        nearest = j;
      }
    }
    // NaN coordinates give NaN distances, which never beat Infinity: nearest stays -1.
    if (nearest >= 0 && best <= limit2) {
      counts[nearest]++;
      hqCount++;
    }
  }
  return {
    modes: counts.filter((c) => c > 0).length,
    modes_total: k,
    hq: n > 0 ? hqCount / n : Number.NaN,
    reverse_kl: hqCount > 0 ? klFromUniform(counts, hqCount) : Number.NaN,
    mode_counts: counts,
  };
}

/** KL(p ‖ uniform over k) = Σ p ln(p·k), with 0 ln 0 = 0, for p = counts / total. */
function klFromUniform(counts: readonly number[], total: number): number {
  let kl = 0;
  for (const c of counts) {
    if (c > 0) {
      const p = c / total;
      kl += p * Math.log(p * counts.length);
    }
  }
  return Math.max(0, kl); // rounding can leave −1e-17 for an exactly uniform histogram
}
