/**
 * One tag of one run as columns: typed arrays indexed by point, as uPlot and the monitor want them. A
 * million points are four or five flat arrays, not a million objects.
 */

/** The points of one tag, in the order they were read (a resumed run's steps go back: see `segments`). */
export interface Series {
  /** Canonical tag when one applies, otherwise the source's own tag. */
  tag: string;
  /** The tag as the source wrote it. */
  sourceTag: string;
  /** The files the points came from, in reading order. */
  files: string[];
  steps: Float64Array;
  values: Float64Array;
  /** Seconds since the Unix epoch; NaN where a point has none. Absent when no point has one. */
  wallTimes?: Float64Array;
  /** Training epoch; NaN where unknown. Absent when no point has one. */
  epochs?: Float64Array;
  /**
   * The stretch of the run each point belongs to: it increments where the step counter goes back. From
   * the source when it knows (text logs count restarts they announce); otherwise derived here: a step
   * at or below the previous point's step starts a new segment (a new event file after a resume).
   */
  segments: Uint32Array;
  /** 1 where the logged value is a lower bound (RVC clamps loss_mel and loss_kl). Absent when none is. */
  lowerBounds?: Uint8Array;
}

const INITIAL_CAPACITY = 64;

/**
 * Collects one tag's points from one file. Columns grow by doubling; optional columns are created the
 * first time a point carries that field, filled with "unknown" for the points before it.
 */
export class SeriesBuilder {
  length = 0;
  steps = new Float64Array(INITIAL_CAPACITY);
  values = new Float64Array(INITIAL_CAPACITY);
  wallTimes: Float64Array | undefined;
  epochs: Float64Array | undefined;
  /** Undefined while the source has given no segment (then build() derives them). */
  segments: Uint32Array | undefined;
  lowerBounds: Uint8Array | undefined;

  constructor(
    readonly tag: string,
    readonly sourceTag: string,
  ) {}

  /** The hot path (event files): step, value and wall time, nothing else. */
  add(step: number, value: number, wallTime: number | undefined): void {
    const i = this.length;
    if (i === this.steps.length) this.grow();
    this.steps[i] = step;
    this.values[i] = value;
    if (wallTime !== undefined) (this.wallTimes ?? this.column("wallTimes"))[i] = wallTime;
    else if (this.wallTimes !== undefined) this.wallTimes[i] = Number.NaN;
    if (this.epochs !== undefined) this.epochs[i] = Number.NaN;
    this.length = i + 1;
  }

  /** A point with the text formats' extra fields. */
  addFull(
    step: number,
    value: number,
    wallTime: number | undefined,
    epoch: number | undefined,
    segment: number | undefined,
    lowerBound: boolean | undefined,
  ): void {
    const i = this.length;
    this.add(step, value, wallTime);
    if (epoch !== undefined) (this.epochs ?? this.column("epochs"))[i] = epoch;
    if (segment !== undefined) {
      if (this.segments === undefined) this.segments = new Uint32Array(this.steps.length);
      this.segments[i] = segment;
    }
    if (lowerBound) {
      this.lowerBounds ??= new Uint8Array(this.steps.length);
      this.lowerBounds[i] = 1;
    }
  }

  /** A new optional column, NaN for the points already held. */
  private column(name: "wallTimes" | "epochs"): Float64Array {
    const col = new Float64Array(this.steps.length).fill(Number.NaN);
    this[name] = col;
    return col;
  }

  private grow(): void {
    const n = this.steps.length * 2;
    this.steps = resized(this.steps, n);
    this.values = resized(this.values, n);
    if (this.wallTimes) this.wallTimes = resized(this.wallTimes, n);
    if (this.epochs) this.epochs = resized(this.epochs, n);
    if (this.segments) this.segments = resized(this.segments, n);
    if (this.lowerBounds) this.lowerBounds = resized(this.lowerBounds, n);
  }
}

function resized<T extends Float64Array | Uint32Array | Uint8Array>(a: T, n: number): T {
  const out = new (a.constructor as new (n: number) => T)(n);
  out.set(a);
  return out;
}

/**
 * One Series from the builders of the same tag in several files (a run's event files, in file order):
 * columns trimmed to length and joined. The segments are the sources' own, shifted so each file
 * continues after the last segment of the one before; or, when no source gave any, derived from steps.
 */
export function joinSeries(parts: { file: string; builder: SeriesBuilder }[]): Series {
  const first = parts[0].builder;
  const total = parts.reduce((n, p) => n + p.builder.length, 0);
  const steps = new Float64Array(total);
  const values = new Float64Array(total);
  const has = (key: "wallTimes" | "epochs" | "lowerBounds" | "segments") =>
    parts.some((p) => p.builder[key] !== undefined);
  const wallTimes = has("wallTimes") ? new Float64Array(total).fill(Number.NaN) : undefined;
  const epochs = has("epochs") ? new Float64Array(total).fill(Number.NaN) : undefined;
  const lowerBounds = has("lowerBounds") ? new Uint8Array(total) : undefined;
  const givenSegments = has("segments");
  const segments = new Uint32Array(total);
  let at = 0;
  let segmentBase = 0;
  for (const { builder: b } of parts) {
    const n = b.length;
    steps.set(b.steps.subarray(0, n), at);
    values.set(b.values.subarray(0, n), at);
    if (wallTimes && b.wallTimes) wallTimes.set(b.wallTimes.subarray(0, n), at);
    if (epochs && b.epochs) epochs.set(b.epochs.subarray(0, n), at);
    if (lowerBounds && b.lowerBounds) lowerBounds.set(b.lowerBounds.subarray(0, n), at);
    if (givenSegments && n > 0) {
      // A file that starts at or below the previous file's last step is a restart: a new segment.
      const restart = at > 0 && steps[at] <= steps[at - 1] ? 1 : 0;
      const base = at > 0 ? segmentBase + restart : 0;
      for (let i = 0; i < n; i++) segments[at + i] = base + (b.segments?.[i] ?? 0);
      segmentBase = segments[at + n - 1];
    }
    at += n;
  }
  if (!givenSegments) deriveSegments(steps, segments);
  const series: Series = {
    tag: first.tag,
    sourceTag: first.sourceTag,
    files: [...new Set(parts.map((p) => p.file))],
    steps,
    values,
    segments,
  };
  if (wallTimes) series.wallTimes = wallTimes;
  if (epochs) series.epochs = epochs;
  if (lowerBounds) series.lowerBounds = lowerBounds;
  return series;
}

/** A step at or below the one before starts a new segment. */
function deriveSegments(steps: Float64Array, segments: Uint32Array): void {
  let segment = 0;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) segment++;
    segments[i] = segment;
  }
}
