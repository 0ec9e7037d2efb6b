/**
 * Collecting one tag's points as they are read: SeriesBuilder (blocks of columns) and Clock (the steps
 * and wall times series of one event file share). series.ts joins the builders into Series.
 */

/** A block's first capacity; it doubles up to BLOCK_POINTS, then further points go to new blocks. */
const INITIAL_CAPACITY = 64;
/** Points per full block: large series grow by adding blocks, never by copying what they hold. */
const BLOCK_POINTS = 1 << 16;

/** Up to BLOCK_POINTS points of one series (more when reserved); optional columns exist once needed. */
export interface Block {
  n: number;
  steps: Float64Array;
  values: Float64Array;
  wallTimes: Float64Array | undefined;
  epochs: Float64Array | undefined;
  segments: Uint32Array | undefined;
  lowerBounds: Uint8Array | undefined;
}

const NO_STEPS = new Float64Array(0);

/** A block of `capacity` points; without steps for a series on a clock, which keeps them. */
function newBlock(capacity: number, clocked = false): Block {
  return {
    n: 0,
    steps: clocked ? NO_STEPS : new Float64Array(capacity),
    values: new Float64Array(capacity),
    wallTimes: undefined,
    epochs: undefined,
    segments: undefined,
    lowerBounds: undefined,
  };
}

/**
 * The steps and wall times of one event file, kept once for all its series that advance together: an
 * event of five scalars gives five points at one (step, wall time), stored here once instead of five
 * times, which halves what reading such a file writes. Only ever appended to.
 */
export class Clock {
  n = 0;
  steps = new Float64Array(INITIAL_CAPACITY);
  wallTimes = new Float64Array(INITIAL_CAPACITY);

  tick(step: number, wallTime: number): void {
    const n = this.n;
    if (n === this.steps.length) this.reserve(n);
    this.steps[n] = step;
    this.wallTimes[n] = wallTime;
    this.n = n + 1;
  }

  /** Appends the first `count` times of `steps` and `wallTimes`. */
  append(steps: Float64Array, wallTimes: Float64Array, count: number): void {
    this.reserve(count);
    this.steps.set(steps.subarray(0, count), this.n);
    this.wallTimes.set(wallTimes.subarray(0, count), this.n);
    this.n += count;
  }

  /** Room for `more` further times (a forecast, like SeriesBuilder.reserve). */
  reserve(more: number): void {
    if (this.steps.length - this.n >= more) return;
    const size = Math.max(this.steps.length * 2, this.n + more);
    this.steps = grown(Float64Array, this.steps, this.n, size);
    this.wallTimes = grown(Float64Array, this.wallTimes, this.n, size);
  }
}

/**
 * Collects one tag's points from one file, in blocks: a small series lives in one block that doubles,
 * a large one in a list of full blocks, copied once when the Series is built (joinSeries). A reader that
 * can foresee how many points are coming reserves them (`reserve`): the series then fills one block
 * that becomes its columns without a copy.
 *
 * Given a clock, the series stores only values while each of its points falls on the clock's next time
 * (its point k is at the clock's time start + k): the first series to reach a new time ticks the clock,
 * the others find it there. A point off the clock (a tag missing from an event, a time of its own) makes
 * the series copy its times out and go on alone.
 */
export class SeriesBuilder {
  /** True once the source has given a segment (otherwise joinSeries derives them). */
  givenSegments = false;
  private readonly full: Block[] = [];
  /** Points in `full`. */
  private fullPoints = 0;
  private block: Block;
  // The current block's columns and fill, held here so the hot path reads no further than `this`.
  private at = 0;
  private steps: Float64Array;
  private values: Float64Array;
  private wallTimes: Float64Array | undefined;
  private epochs: Float64Array | undefined;
  private clock: Clock | undefined;
  /** The clock's index of this series' first point; -1 before it has one. */
  private clockStart = -1;

  constructor(
    readonly tag: string,
    readonly sourceTag: string,
    clock?: Clock,
  ) {
    this.clock = clock;
    this.block = newBlock(INITIAL_CAPACITY, clock !== undefined);
    this.steps = this.block.steps;
    this.values = this.block.values;
  }

  get length(): number {
    return this.fullPoints + this.at;
  }

  /** Every block, the last one's fill brought up to date (on a clock, with views of its times). */
  get blocks(): Block[] {
    const b = this.block;
    b.n = this.at;
    const clock = this.clock;
    if (clock !== undefined) {
      const from = Math.max(0, this.clockStart);
      const to = from + this.at;
      return [{ ...b, steps: clock.steps.subarray(from, to), wallTimes: clock.wallTimes.subarray(from, to) }];
    }
    return this.full.length === 0 ? [b] : [...this.full, b];
  }

  /** The hot path (event files): step, value and wall time, nothing else. */
  add(step: number, value: number, wallTime: number | undefined): void {
    let i = this.at;
    if (i === this.values.length) i = this.makeRoom(0);
    const clock = this.clock;
    if (clock !== undefined) {
      const c = this.clockStart + i;
      // (+0 and -0 count as one wall time here.)
      if (c < clock.n) {
        if (c >= 0 && clock.steps[c] === step && clock.wallTimes[c] === wallTime) {
          this.values[i] = value;
          this.at = i + 1;
          return;
        }
      } else if (wallTime !== undefined) {
        clock.tick(step, wallTime);
        this.values[i] = value;
        this.at = i + 1;
        return;
      }
      if (this.joinClock(i, step, wallTime)) {
        this.values[i] = value;
        this.at = i + 1;
        return;
      }
    }
    this.steps[i] = step;
    this.values[i] = value;
    const walls = this.wallTimes;
    if (walls !== undefined) walls[i] = wallTime ?? Number.NaN;
    else if (wallTime !== undefined) this.startColumn("wallTimes")[i] = wallTime;
    const epochs = this.epochs;
    if (epochs !== undefined) epochs[i] = Number.NaN;
    this.at = i + 1;
  }

  /** Whether this series is on `clock` and its last point is at the clock's newest time. */
  atFrontOf(clock: Clock): boolean {
    return this.clock === clock && this.at > 0 && this.clockStart + this.at === clock.n;
  }

  /**
   * Points whose times were just appended to the clock this series is at the front of (see atFrontOf):
   * their values are values[offset], values[offset + stride], ... (`count` of them).
   */
  addOnClock(values: Float64Array, offset: number, stride: number, count: number): void {
    if (this.values.length - this.at < count) this.makeRoom(count);
    const own = this.values;
    const at = this.at;
    for (let k = 0, j = offset; k < count; k++, j += stride) own[at + k] = values[j];
    this.at = at + count;
  }

  /** A point off the clock: the first point finds its place on it, any other leaves it. */
  private joinClock(i: number, step: number, wallTime: number | undefined): boolean {
    const clock = this.clock!;
    if (i > 0 || wallTime === undefined) {
      this.leaveClock();
      return false;
    }
    // Another series may already have ticked this time (same event); else this series ticks it.
    const last = clock.n - 1;
    if (last < 0 || clock.steps[last] !== step || clock.wallTimes[last] !== wallTime) {
      clock.tick(step, wallTime);
    }
    this.clockStart = clock.n - 1;
    return true;
  }

  /** Copies this series' times out of the clock into its own block: from now on it keeps its own. */
  private leaveClock(): void {
    const clock = this.clock!;
    const b = this.block;
    const from = Math.max(0, this.clockStart);
    b.steps = new Float64Array(b.values.length);
    b.steps.set(clock.steps.subarray(from, from + this.at));
    b.wallTimes = new Float64Array(b.values.length);
    b.wallTimes.set(clock.wallTimes.subarray(from, from + this.at));
    this.steps = b.steps;
    this.wallTimes = b.wallTimes;
    this.clock = undefined;
  }

  /**
   * A point with the text formats' extra fields. What add() and then setting the extra fields would
   * store, written once: text logs send millions of points this way.
   */
  addFull(
    step: number,
    value: number,
    wallTime: number | undefined,
    epoch: number | undefined,
    segment: number | undefined,
    lowerBound: boolean | undefined,
  ): void {
    if (this.clock !== undefined) this.leaveClock();
    let i = this.at;
    if (i === this.values.length) i = this.makeRoom(0);
    this.steps[i] = step;
    this.values[i] = value;
    // A column started now is NaN for the points before this one (startColumn fills up to `at`).
    const walls = this.wallTimes;
    if (walls !== undefined) walls[i] = wallTime ?? Number.NaN;
    else if (wallTime !== undefined) this.startColumn("wallTimes")[i] = wallTime;
    const epochs = this.epochs;
    if (epochs !== undefined) epochs[i] = epoch ?? Number.NaN;
    else if (epoch !== undefined) this.startColumn("epochs")[i] = epoch;
    if (segment !== undefined) {
      const b = this.block;
      b.segments ??= new Uint32Array(b.values.length);
      b.segments[i] = segment;
      this.givenSegments = true;
    }
    if (lowerBound) {
      const b = this.block;
      b.lowerBounds ??= new Uint8Array(b.values.length);
      b.lowerBounds[i] = 1;
    }
    this.at = i + 1;
  }

  /**
   * Room for `more` further points in the current block, so they are written once and the Series can
   * take the block as it is. A forecast, not a promise: fewer points waste only untouched memory, more
   * go on into new blocks.
   */
  reserve(more: number): void {
    if (this.values.length - this.at >= more) return;
    this.makeRoom(more);
  }

  /** A new optional column of the current block, NaN for the points it already holds. */
  private startColumn(name: "wallTimes" | "epochs"): Float64Array {
    const b = this.block;
    const col = new Float64Array(b.values.length).fill(Number.NaN, 0, this.at);
    b[name] = col;
    if (name === "wallTimes") this.wallTimes = col;
    else this.epochs = col;
    return col;
  }

  /**
   * The block is full, or `more` points were reserved: a small block (or any on a clock, which holds
   * values alone) is copied into a bigger one, twice its size or as big as reserved; a large one is kept
   * and the next block started. Returns the index to write.
   */
  private makeRoom(more: number): number {
    const old = this.block;
    old.n = this.at;
    const capacity = old.values.length;
    const clocked = this.clock !== undefined;
    let b: Block;
    if (old.n >= BLOCK_POINTS && !clocked) {
      this.full.push(old);
      this.fullPoints += old.n;
      b = newBlock(Math.max(BLOCK_POINTS, more));
      // A column the series has in every block so far is started at once in the new one.
      if (old.wallTimes) b.wallTimes = new Float64Array(b.steps.length);
      if (old.epochs) b.epochs = new Float64Array(b.steps.length);
    } else {
      const size = Math.max(capacity * 2, old.n + more);
      b = newBlock(size, clocked);
      b.n = old.n;
      if (!clocked) b.steps.set(old.steps.subarray(0, old.n));
      b.values.set(old.values.subarray(0, old.n));
      b.wallTimes = old.wallTimes && grown(Float64Array, old.wallTimes, old.n, size);
      b.epochs = old.epochs && grown(Float64Array, old.epochs, old.n, size);
      b.segments = old.segments && grown(Uint32Array, old.segments, old.n, size);
      b.lowerBounds = old.lowerBounds && grown(Uint8Array, old.lowerBounds, old.n, size);
    }
    this.block = b;
    this.steps = b.steps;
    this.values = b.values;
    this.wallTimes = b.wallTimes;
    this.epochs = b.epochs;
    this.at = b.n;
    return this.at;
  }
}

export type Column = Float64Array | Uint32Array | Uint8Array;

/** A copy of `a`'s first `n` elements in an array of `size`. */
function grown<T extends Column>(Type: { new (size: number): T }, a: T, n: number, size: number): T {
  const out = new Type(size);
  out.set(a.subarray(0, n) as ArrayLike<number>);
  return out;
}
