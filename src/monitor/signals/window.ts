/**
 * A bounded window of the latest (step, value) pairs and the order statistics the rules need. Every
 * rule that looks back does so through one of these, so the monitor's memory does not grow with the
 * run and each point costs a bounded amount of work.
 */

export class RingWindow {
  readonly capacity: number;
  private readonly steps: Float64Array;
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error(`RingWindow: capacity ${capacity} < 2`);
    this.capacity = capacity;
    this.steps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(step: number, value: number): void {
    const at = (this.start + this.count) % this.capacity;
    this.steps[at] = step;
    this.values[at] = value;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
  }

  /** The i-th oldest entry (0 = oldest). */
  step(i: number): number {
    return this.steps[(this.start + i) % this.capacity];
  }

  value(i: number): number {
    return this.values[(this.start + i) % this.capacity];
  }

  last(): number {
    return this.value(this.count - 1);
  }

  clear(): void {
    this.start = 0;
    this.count = 0;
  }

  /** Copies the values, oldest first, into `out` (which must hold `size` numbers); returns `size`. */
  copyValues(out: Float64Array): number {
    for (let i = 0; i < this.count; i++) out[i] = this.value(i);
    return this.count;
  }
}

/**
 * The k-th smallest of `a[0..n)` (0-based), by Hoare's selection: expected O(n). Reorders `a`.
 */
export function selectKth(a: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return a[k];
  }
  return a[k];
}

/** The median of `a[0..n)` (mean of the two middle values when n is even). Reorders `a`. */
export function medianOf(a: Float64Array, n: number): number {
  if (n === 0) return Number.NaN;
  const upper = selectKth(a, n, n >> 1);
  if (n % 2 === 1) return upper;
  // After selection every entry below n/2 is <= upper: the lower middle is their maximum.
  let lower = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n >> 1; i++) if (a[i] > lower) lower = a[i];
  return (lower + upper) / 2;
}

/**
 * The median and the median absolute deviation of `a[0..n)`, scaled by 1.4826 so it estimates the
 * standard deviation of normal noise (the usual robust z-score denominator). Reorders `a`.
 */
export function medianAndMad(a: Float64Array, n: number): { median: number; mad: number } {
  const median = medianOf(a, n);
  for (let i = 0; i < n; i++) a[i] = Math.abs(a[i] - median);
  return { median, mad: 1.4826 * medianOf(a, n) };
}
