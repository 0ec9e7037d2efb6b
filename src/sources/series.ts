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

/** A block's first capacity; it doubles up to BLOCK_POINTS, then further points go to new blocks. */
const INITIAL_CAPACITY = 64;
/** Points per full block: large series grow by adding blocks, never by copying what they hold. */
const BLOCK_POINTS = 1 << 16;

/** Up to BLOCK_POINTS points of one series; an optional column exists once one of its points has it. */
interface Block {
  n: number;
  steps: Float64Array;
  values: Float64Array;
  wallTimes: Float64Array | undefined;
  epochs: Float64Array | undefined;
  segments: Uint32Array | undefined;
  lowerBounds: Uint8Array | undefined;
}

function newBlock(capacity: number): Block {
  return {
    n: 0,
    steps: new Float64Array(capacity),
    values: new Float64Array(capacity),
    wallTimes: undefined,
    epochs: undefined,
    segments: undefined,
    lowerBounds: undefined,
  };
}

/**
 * Collects one tag's points from one file, in blocks: a small series lives in one block that doubles,
 * a large one in a list of full blocks, copied once when the Series is built (joinSeries).
 */
export class SeriesBuilder {
  length = 0;
  /** True once the source has given a segment (otherwise joinSeries derives them). */
  givenSegments = false;
  private readonly full: Block[] = [];
  private block: Block;
  // The current block's columns and fill, held here so the hot path reads no further than `this`.
  private at = 0;
  private steps: Float64Array;
  private values: Float64Array;
  private wallTimes: Float64Array | undefined;

  constructor(
    readonly tag: string,
    readonly sourceTag: string,
  ) {
    this.block = newBlock(INITIAL_CAPACITY);
    this.steps = this.block.steps;
    this.values = this.block.values;
  }

  /** Every block, the last one's fill brought up to date. */
  get blocks(): Block[] {
    this.block.n = this.at;
    return [...this.full, this.block];
  }

  /** The hot path (event files): step, value and wall time, nothing else. */
  add(step: number, value: number, wallTime: number | undefined): void {
    let i = this.at;
    if (i === this.steps.length) i = this.makeRoom();
    this.steps[i] = step;
    this.values[i] = value;
    const walls = this.wallTimes;
    if (walls !== undefined) walls[i] = wallTime ?? Number.NaN;
    else if (wallTime !== undefined) this.startColumn("wallTimes")[i] = wallTime;
    if (this.block.epochs !== undefined) this.block.epochs[i] = Number.NaN;
    this.at = i + 1;
    this.length++;
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
    this.add(step, value, wallTime);
    const b = this.block;
    const i = this.at - 1;
    if (epoch !== undefined) (b.epochs ?? this.startColumn("epochs"))[i] = epoch;
    if (segment !== undefined) {
      b.segments ??= new Uint32Array(b.steps.length);
      b.segments[i] = segment;
      this.givenSegments = true;
    }
    if (lowerBound) {
      b.lowerBounds ??= new Uint8Array(b.steps.length);
      b.lowerBounds[i] = 1;
    }
  }

  /** A new optional column of the current block, NaN for the points it already holds. */
  private startColumn(name: "wallTimes" | "epochs"): Float64Array {
    const b = this.block;
    const col = new Float64Array(b.steps.length).fill(Number.NaN, 0, this.at);
    b[name] = col;
    if (name === "wallTimes") this.wallTimes = col;
    return col;
  }

  /** The block is full: double it while it is small, else start the next block. Returns the index to write. */
  private makeRoom(): number {
    const old = this.block;
    old.n = this.at;
    const capacity = old.steps.length;
    let b: Block;
    if (capacity >= BLOCK_POINTS) {
      this.full.push(old);
      b = newBlock(BLOCK_POINTS);
      // A column the series has in every block so far is started at once in the new one.
      if (old.wallTimes) b.wallTimes = new Float64Array(BLOCK_POINTS);
      if (old.epochs) b.epochs = new Float64Array(BLOCK_POINTS);
    } else {
      b = newBlock(capacity * 2);
      b.n = old.n;
      b.steps.set(old.steps);
      b.values.set(old.values);
      b.wallTimes = old.wallTimes && grown64(old.wallTimes, capacity * 2);
      b.epochs = old.epochs && grown64(old.epochs, capacity * 2);
      if (old.segments) {
        b.segments = new Uint32Array(capacity * 2);
        b.segments.set(old.segments);
      }
      if (old.lowerBounds) {
        b.lowerBounds = new Uint8Array(capacity * 2);
        b.lowerBounds.set(old.lowerBounds);
      }
    }
    this.block = b;
    this.steps = b.steps;
    this.values = b.values;
    this.wallTimes = b.wallTimes;
    this.at = b.n;
    return this.at;
  }
}

function grown64(a: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n);
  out.set(a);
  return out;
}

/**
 * One Series from the builders of the same tag in several files (a run's event files, in file order):
 * blocks copied once into columns of the exact length. The segments are the sources' own, shifted so
 * each file continues after the last segment of the one before; or, when no source gave any, derived
 * from the steps.
 */
export function joinSeries(parts: { file: string; builder: SeriesBuilder }[]): Series {
  const first = parts[0].builder;
  const total = parts.reduce((n, p) => n + p.builder.length, 0);
  const blocks = parts.flatMap((p) => p.builder.blocks);
  const steps = new Float64Array(total);
  const values = new Float64Array(total);
  const has = (key: "wallTimes" | "epochs" | "lowerBounds") => blocks.some((b) => b[key] !== undefined);
  // NaN where a block has no such column (a file without wall times joined to one with them).
  const column = (key: "wallTimes" | "epochs") =>
    has(key)
      ? new Float64Array(total).fill(Number.NaN, 0, blocks.every((b) => b[key]) ? 0 : total)
      : undefined;
  const wallTimes = column("wallTimes");
  const epochs = column("epochs");
  const lowerBounds = has("lowerBounds") ? new Uint8Array(total) : undefined;
  const givenSegments = parts.some((p) => p.builder.givenSegments);
  const segments = new Uint32Array(total);
  let at = 0;
  let segmentBase = 0;
  for (const { builder } of parts) {
    const fileStart = at;
    for (const b of builder.blocks) {
      const n = b.n;
      steps.set(b.steps.subarray(0, n), at);
      values.set(b.values.subarray(0, n), at);
      if (wallTimes && b.wallTimes) wallTimes.set(b.wallTimes.subarray(0, n), at);
      if (epochs && b.epochs) epochs.set(b.epochs.subarray(0, n), at);
      if (lowerBounds && b.lowerBounds) lowerBounds.set(b.lowerBounds.subarray(0, n), at);
      if (b.segments) segments.set(b.segments.subarray(0, n), at);
      at += n;
    }
    if (givenSegments && at > fileStart) {
      // A file that starts at or below the previous file's last step is a restart: a new segment.
      const restart = fileStart > 0 && steps[fileStart] <= steps[fileStart - 1] ? 1 : 0;
      const base = fileStart > 0 ? segmentBase + restart : 0;
      for (let i = fileStart; i < at; i++) segments[i] += base;
      segmentBase = segments[at - 1];
    }
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
