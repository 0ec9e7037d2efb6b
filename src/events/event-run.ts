/**
 * Events that all hold the same tags, one value each, in flat arrays: what `EventDecoder.decodeRepeats`
 * fills. Event e is at steps[e] and wallTimes[e]; its value at position i is values[e * width + i].
 * A reader of millions of such events moves their values in loops over these arrays instead of one call
 * per value.
 */
export class EventRun {
  count = 0;
  /** Values per event. */
  width = 0;
  readonly steps: Float64Array;
  readonly wallTimes: Float64Array;
  values = new Float64Array(0);

  constructor(readonly capacity: number) {
    this.steps = new Float64Array(capacity);
    this.wallTimes = new Float64Array(capacity);
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Empties the run for events of `width` values. */
  reset(width: number): void {
    this.count = 0;
    this.width = width;
    if (this.values.length < this.capacity * width) this.values = new Float64Array(this.capacity * width);
  }

  /** Appends an event whose values are the first `width` of `values`. */
  push(step: number, wallTime: number, values: ArrayLike<number>): void {
    const e = this.count++;
    this.steps[e] = step;
    this.wallTimes[e] = wallTime;
    const width = this.width;
    const base = e * width;
    for (let i = 0; i < width; i++) this.values[base + i] = values[i];
  }
}
