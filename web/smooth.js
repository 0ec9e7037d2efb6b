/**
 * TensorBoard's smoothing: a debiased exponential moving average, the formula of its scalar chart and
 * of the monitor (src/monitor/signals/smoothing.ts):
 *
 *   last = last * w + (1 - w) * x;   smoothed = last / (1 - w^n)
 *
 * n counts the finite values so far; a non-finite value is shown as itself and does not enter the
 * average; a series constant so far is returned exactly. The state is kept, so points that arrive live
 * are smoothed in O(new points).
 */

export class Smoother {
  /** @param {number} weight in [0, 1) */
  constructor(weight) {
    this.weight = weight;
    this.last = 0;
    this.count = 0;
    this.first = Number.NaN;
    this.constant = true;
    /** w^count, kept as a running product: a power per point would cost more than the average itself. */
    this.power = 1;
    /** Points of the input smoothed so far. */
    this.done = 0;
  }

  /**
   * Smooths values[done..n) into out (same indices). out must hold n values.
   * @param {ArrayLike<number>} values
   * @param {Float64Array} out
   * @param {number} n
   */
  extend(values, out, n) {
    const w = this.weight;
    let { last, count, first, constant, power } = this;
    for (let i = this.done; i < n; i++) {
      const x = values[i];
      if (!Number.isFinite(x)) {
        out[i] = x;
        continue;
      }
      count++;
      if (count === 1) first = x;
      else if (x !== first) constant = false;
      last = last * w + (1 - w) * x;
      power *= w;
      out[i] = constant ? x : last / (1 - power);
    }
    this.last = last;
    this.count = count;
    this.first = first;
    this.constant = constant;
    this.power = power;
    this.done = n;
  }
}

/**
 * The whole series smoothed at once (tests, and a changed weight).
 * @param {ArrayLike<number>} values
 * @param {number} weight
 */
export function smooth(values, weight) {
  const out = new Float64Array(values.length);
  new Smoother(weight).extend(values, out, values.length);
  return out;
}
