/**
 * A whole run's curve in bounded memory: consecutive points are summed into at most `capacity`
 * buckets; when all are full, neighbours merge pairwise and each bucket from then on holds twice as
 * many points. Every point costs O(1) amortised (a merge touches each bucket once and happens after
 * the bucket count has doubled back), and memory never exceeds `capacity` buckets however long the
 * run. The long trend, the phases, the candidate epochs and the report's curves read from here.
 */

export interface CurveBucket {
  fromStep: number;
  toStep: number;
  /** Mean of the finite values in the bucket (NaN when none was finite). */
  mean: number;
  min: number;
  max: number;
  /** The smoothed (EMA) value at the bucket's last finite point. */
  smoothed: number;
  /** Finite values in the bucket. */
  count: number;
  /** Non-finite values in the bucket. */
  nonFinite: number;
}

export class BucketCurve {
  readonly capacity: number;
  private readonly buckets: CurveBucket[] = [];
  private perBucket = 1;
  /** Points (finite or not) in the last bucket: it closes when this reaches perBucket. */
  private inLast = 0;
  private version = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
      throw new Error(`BucketCurve: capacity must be an even integer >= 2, got ${capacity}`);
    }
    this.capacity = capacity;
  }

  /** Adds one point; returns true when this point closed a bucket (a cue to recompute long trends). */
  add(step: number, value: number, smoothed: number): boolean {
    let last = this.buckets.at(-1);
    if (last === undefined || this.inLast >= this.perBucket) {
      if (this.buckets.length === this.capacity) this.halve();
      last = {
        fromStep: step,
        toStep: step,
        mean: Number.NaN,
        min: Number.POSITIVE_INFINITY,
        max: Number.NEGATIVE_INFINITY,
        smoothed: Number.NaN,
        count: 0,
        nonFinite: 0,
      };
      this.buckets.push(last);
      this.inLast = 0;
    }
    last.toStep = step;
    if (Number.isFinite(value)) {
      last.mean = last.count === 0 ? value : last.mean + (value - last.mean) / (last.count + 1);
      last.count++;
      if (value < last.min) last.min = value;
      if (value > last.max) last.max = value;
      if (Number.isFinite(smoothed)) last.smoothed = smoothed;
    } else {
      last.nonFinite++;
    }
    this.inLast++;
    this.version++;
    return this.inLast >= this.perBucket;
  }

  private halve(): void {
    const merged: CurveBucket[] = [];
    for (let i = 0; i + 1 < this.buckets.length; i += 2)
      merged.push(mergeBuckets(this.buckets[i], this.buckets[i + 1]));
    this.buckets.length = 0;
    this.buckets.push(...merged);
    this.perBucket *= 2;
  }

  /** The buckets so far (the last may be partly filled). A copy: safe to keep. */
  snapshot(): CurveBucket[] {
    return this.buckets.map((b) => ({ ...b }));
  }

  get length(): number {
    return this.buckets.length;
  }

  /** Read-only access without copying, for the monitor's own rules. */
  bucket(i: number): Readonly<CurveBucket> {
    return this.buckets[i];
  }

  /** Changes whenever a point is added: callers cache derived values against it. */
  get revision(): number {
    return this.version;
  }
}

function mergeBuckets(a: CurveBucket, b: CurveBucket): CurveBucket {
  const count = a.count + b.count;
  const mean =
    count === 0
      ? Number.NaN
      : ((a.count > 0 ? a.mean * a.count : 0) + (b.count > 0 ? b.mean * b.count : 0)) / count;
  return {
    fromStep: a.fromStep,
    toStep: b.toStep,
    mean,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    smoothed: Number.isFinite(b.smoothed) ? b.smoothed : a.smoothed,
    count,
    nonFinite: a.nonFinite + b.nonFinite,
  };
}
