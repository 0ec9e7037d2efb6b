/**
 * One series that keeps growing while it is served: columns with spare capacity that double when full,
 * so appending a point is amortised O(1) and `view()` hands out exact-length views without copying.
 */
import type { Series } from "../sources/series.ts";
import type { ScalarPoint } from "../types.ts";
import type { SeriesColumns } from "./provider.ts";

export class GrowingSeries {
  private n = 0;
  private steps: Float64Array;
  private values: Float64Array;
  private wallTimes: Float64Array | undefined;
  private epochs: Float64Array | undefined;

  constructor(
    readonly tag: string,
    readonly sourceTag: string,
    capacity = 64,
  ) {
    this.steps = new Float64Array(capacity);
    this.values = new Float64Array(capacity);
  }

  /** A series read from the logs, copied once into growable columns. */
  static from(s: Series): GrowingSeries {
    const n = s.steps.length;
    const g = new GrowingSeries(s.tag, s.sourceTag, Math.max(64, Math.ceil(n * 1.25)));
    g.steps.set(s.steps);
    g.values.set(s.values);
    if (s.wallTimes) g.column("wallTimes").set(s.wallTimes);
    if (s.epochs) g.column("epochs").set(s.epochs);
    g.n = n;
    return g;
  }

  get length(): number {
    return this.n;
  }

  push(p: ScalarPoint): void {
    if (this.n === this.steps.length) this.grow();
    const i = this.n++;
    this.steps[i] = p.step;
    this.values[i] = p.value;
    if (p.wallTime !== undefined) this.column("wallTimes")[i] = p.wallTime;
    else if (this.wallTimes) this.wallTimes[i] = Number.NaN;
    if (p.epoch !== undefined) this.column("epochs")[i] = p.epoch;
    else if (this.epochs) this.epochs[i] = Number.NaN;
  }

  view(): SeriesColumns {
    const out: SeriesColumns = {
      tag: this.tag,
      sourceTag: this.sourceTag,
      steps: this.steps.subarray(0, this.n),
      values: this.values.subarray(0, this.n),
    };
    if (this.wallTimes) out.wallTimes = this.wallTimes.subarray(0, this.n);
    if (this.epochs) out.epochs = this.epochs.subarray(0, this.n);
    return out;
  }

  /** An optional column, started as NaN for the points before it. */
  private column(name: "wallTimes" | "epochs"): Float64Array {
    let c = this[name];
    if (c === undefined) {
      c = new Float64Array(this.steps.length).fill(Number.NaN);
      this[name] = c;
    }
    return c;
  }

  private grow(): void {
    const size = this.steps.length * 2;
    const bigger = (a: Float64Array) => {
      const b = new Float64Array(size).fill(Number.NaN, a.length);
      b.set(a);
      return b;
    };
    this.steps = bigger(this.steps);
    this.values = bigger(this.values);
    if (this.wallTimes) this.wallTimes = bigger(this.wallTimes);
    if (this.epochs) this.epochs = bigger(this.epochs);
  }
}
