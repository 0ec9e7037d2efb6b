import type { SampleEntry } from "./samples.ts";

/**
 * Where an event file's parser (tfevents.ts) sends points: a function per point (PointSink), or columns
 * it appends to directly (ScalarTarget), which is how `readRuns` reads a million scalars without an
 * object or a lookup per point.
 */

/**
 * Receives one point: the fields of a ScalarPoint, without the object. `key` is a small integer the
 * parser gives each source tag, the same for every point of it in this file (-1 for a derived point), so
 * a sink keeping columns can find a tag's column by index instead of by name.
 */
export type PointSink = (
  tag: string,
  sourceTag: string,
  step: number,
  value: number,
  wallTime: number,
  key: number,
) => void;

/** Where a sink keeps one source tag's points, appended to directly on the hot path. */
export interface ScalarColumn {
  add(step: number, value: number, wallTime: number): void;
}

/**
 * What `pushInto` sends points to: every point can go to `scalar`; a target keeping columns can also
 * hand out the column of a source tag, and the parser then appends to it without a call per lookup.
 */
export interface ScalarTarget {
  /** Called detached from its object: define it as an arrow property. */
  readonly scalar: PointSink;
  column?(tag: string, sourceTag: string): ScalarColumn;
  /**
   * Optional, with `column`: `count` events that each hold one point of every column in `columns`, in
   * that order: event e is at steps[e] and wallTimes[e], its value for columns[i] is values[e * width +
   * i] (width: the number of columns). The arrays are lent for the call. Without it, points are added
   * one by one.
   */
  addEvents?(
    columns: readonly ScalarColumn[],
    count: number,
    steps: Float64Array,
    wallTimes: Float64Array,
    values: Float64Array,
  ): void;
  /** Optional: an image or audio clip the file logs, as an index entry (its bytes stay in the file). */
  sample?(entry: SampleEntry): void;
}
