/**
 * One tag of one run as columns: typed arrays indexed by point, as uPlot and the monitor want them. A
 * million points are four or five flat arrays, not a million objects.
 */
import type { Column, SeriesBuilder } from "./series-builder.ts";

/**
 * The points of one tag, in the order they were read (a resumed run's steps go back: see `segments`).
 * Read-only: the columns may be views of the reader's own memory, which a followed file appends to.
 */
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

/**
 * A builder's only block is handed to its Series as views, not copied, while at most this share of it
 * is unused: the rest of a forecast block was never written, so it costs address space, not memory.
 */
const MAX_SLACK = 1 / 8;

/**
 * One Series from the builders of the same tag in several files (a run's event files, in file order).
 * Blocks are copied once into columns of the exact length, except a lone block that is nearly full: its
 * columns are handed over as views (see MAX_SLACK), the builder only ever writing past them. The
 * segments are the sources' own, shifted so each file continues after the last segment of the one
 * before; or, when no source gave any, derived from the steps.
 */
export function joinSeries(parts: { file: string; builder: SeriesBuilder }[]): Series {
  const first = parts[0].builder;
  const total = parts.reduce((n, p) => n + p.builder.length, 0);
  const blocks = parts.flatMap((p) => p.builder.blocks);
  const lone = blocks.length === 1 && blocks[0].n >= blocks[0].values.length * (1 - MAX_SLACK);
  const view = <T extends Column>(a: T): T => a.subarray(0, total) as T;
  const steps = lone ? view(blocks[0].steps) : new Float64Array(total);
  const values = lone ? view(blocks[0].values) : new Float64Array(total);
  const has = (key: "wallTimes" | "epochs" | "lowerBounds") => blocks.some((b) => b[key] !== undefined);
  // NaN where a block has no such column (a file without wall times joined to one with them).
  const column = (key: "wallTimes" | "epochs") => {
    if (!has(key)) return undefined;
    const own = blocks[0][key];
    if (lone && own) return view(own);
    return new Float64Array(total).fill(Number.NaN, 0, blocks.every((b) => b[key]) ? 0 : total);
  };
  const wallTimes = column("wallTimes");
  const epochs = column("epochs");
  const lowerBounds = has("lowerBounds") ? new Uint8Array(total) : undefined;
  const givenSegments = parts.some((p) => p.builder.givenSegments);
  // Fresh even for a lone block: segments are shifted in place below.
  const segments = new Uint32Array(total);
  let at = 0;
  let segmentBase = 0;
  for (const { builder } of parts) {
    const fileStart = at;
    for (const b of builder.blocks) {
      const n = b.n;
      if (!lone) {
        steps.set(b.steps.subarray(0, n), at);
        values.set(b.values.subarray(0, n), at);
        if (wallTimes && b.wallTimes) wallTimes.set(b.wallTimes.subarray(0, n), at);
        if (epochs && b.epochs) epochs.set(b.epochs.subarray(0, n), at);
      }
      if (lowerBounds && b.lowerBounds) lowerBounds.set(b.lowerBounds.subarray(0, n), at);
      if (b.segments) segments.set(b.segments.subarray(0, n), at);
      at += n;
    }
    if (givenSegments && at > fileStart) {
      // A file that starts at or below the previous file's last step is a restart: a new segment.
      const restart = fileStart > 0 && steps[fileStart] <= steps[fileStart - 1] ? 1 : 0;
      const base = fileStart > 0 ? segmentBase + restart : 0;
      if (base > 0) for (let i = fileStart; i < at; i++) segments[i] += base;
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

/**
 * A step at or below the one before starts a new segment. `segments` is all zeros: only points past a
 * restart are written, so a run without one leaves the fresh array's pages untouched.
 */
function deriveSegments(steps: Float64Array, segments: Uint32Array): void {
  let segment = 0;
  for (let i = 1; i < steps.length; i++) {
    if (steps[i] <= steps[i - 1]) segment++;
    if (segment !== 0) segments[i] = segment;
  }
}
