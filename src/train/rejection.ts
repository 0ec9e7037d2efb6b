/**
 * Sampling through D: draw more points than asked from G and keep the ones D scores highest, so the
 * share `reject` that D finds least real is discarded. The idea is Discriminator Rejection Sampling
 * (Azadi et al. 2019, ICLR): a trained D knows where G puts mass the data lacks. Why it is needed here:
 * a continuous G fed a connected latent must cross the gaps between disconnected modes, so some of its
 * samples always lie on the paths between them (Khayatkhoei et al. 2018; Tanielian et al. 2020); on
 * grid25 with the remedy set that is ~5% of the samples, 2.4% of them farther than 10 std from any mode,
 * and no training change moved it (bench/RESULTS-steer.md).
 *
 * A hard cut rather than DRS's acceptance probability, from measurement on tuning seeds: D's scores at
 * the end of a run with R1 are compressed near 0 (logits -0.2 to 0.06), so DRS's calibrated acceptance
 * barely moved high quality (95.3 -> 95.7%), and its shifted form (gamma at the 50-95th percentile)
 * raised it but drew unevenly from the modes (reverse KL 0.03-0.8 against 0.01). D ranks the samples
 * well even when its scale is off: discarding the lowest 5% gave 96.5-98.7% high quality with the mode
 * histogram kept (KL 0.01-0.03). Fine-tuning D on the frozen G first (as DRS does) made it worse.
 *
 * Higher scores mean "more real" in every loss family here (BCE logits, LSGAN and hinge outputs, WGAN
 * critic values), so one rule serves them all.
 */

/** How many candidates to draw so that discarding the share `reject` leaves `n`. */
export function candidatesFor(n: number, reject: number): number {
  return reject > 0 ? Math.ceil(n / (1 - reject)) : n;
}

/**
 * The `n` of the interleaved 2D `points` whose `scores` are highest, in the order they were drawn (so
 * a stream of draws keeps its order). Ties at the cut keep the earlier points.
 */
export function keepHighestScored(points: Float32Array, scores: Float32Array, n: number): Float32Array {
  const m = scores.length;
  if (points.length !== 2 * m) throw new Error(`keepHighestScored: ${points.length / 2} points, ${m} scores`);
  if (n >= m) return points.slice();
  // A NaN score (a diverged D) ranks last: a point D cannot judge is not one it vouches for.
  const score = (i: number) => (Number.isNaN(scores[i]) ? -Infinity : scores[i]);
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => score(b) - score(a) || a - b);
  const kept = order.slice(0, n).sort((a, b) => a - b);
  const out = new Float32Array(2 * n);
  kept.forEach((i, j) => {
    out[2 * j] = points[2 * i];
    out[2 * j + 1] = points[2 * i + 1];
  });
  return out;
}
