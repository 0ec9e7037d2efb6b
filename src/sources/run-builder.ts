/**
 * A run as a library object, and how the points of its files become one: a Run holds one Series per
 * (tag, source tag), its hints and every problem met while reading it.
 *
 * When several files of a run log the same canonical tag, one file's copy is kept (decided):
 * - The trainer's events file repeats metrics.jsonl; RVC's event files repeat train.log's losses. Two
 *   copies of loss_disc would be two curves of one quantity (and double every statistic).
 * - A tag is owned by the best-ranked file kind that logs it (discover.ts ranks them: metrics.jsonl,
 *   evals.jsonl, train.log, the directory's event files, eval/ event files, a lone log file). Copies in
 *   worse-ranked files are left out, and the run's notes say how many points were left out and why.
 * - Files of the same rank are not rivals: a run's several event files (one per start, TensorBoard-style)
 *   are joined in name order, which is their creation order.
 * Tags that only a worse-ranked file logs are kept from it: RVC's per-sub-discriminator terms and grad
 * norms come from its event files, the trainer's eval/ scalars from evals.jsonl.
 * Merging point by point was the alternative; it breaks down on resumed runs, whose steps repeat.
 */
import { basename } from "node:path";
import { CANONICAL_TAGS, type ReadProblem, type ScalarPoint } from "../types.ts";
import { type RunFile, sortFiles } from "./discover.ts";
import type { RunHints } from "./parser.ts";
import type { PointTarget } from "./read-file.ts";
import { type SampleEntry, type SampleTrack, sampleTracks } from "./samples.ts";
import { joinSeries, type Series } from "./series.ts";
import { Clock, SeriesBuilder } from "./series-builder.ts";
import type { ScalarColumn } from "./tfevents.ts";

export interface Run {
  /** The run's directory relative to the root given (TensorBoard's run name), "." for the root itself. */
  id: string;
  /** The directory or file the run was found at. */
  root: string;
  /** Its files, best rank first, as discover.ts planned them. */
  files: RunFile[];
  /** The files' formats joined with "+", e.g. "rvc-log+tfevents". */
  format: string;
  hints: RunHints;
  /** Canonical tags first (in types.ts order), then per-sub-discriminator terms, then other tags. */
  series: Series[];
  /** The images and audio clips its event files log, as an index (samples.ts); tags in name order. */
  samples: SampleTrack[];
  problems: ReadProblem[];
}

/** The most points a forecast reserves for one series at a time (32 MiB per column). */
const MAX_FORECAST = 1 << 22;

/** One file's points, one builder per (tag, source tag). */
export class FileSeries implements PointTarget {
  readonly builders: SeriesBuilder[] = [];
  /** The file's images and clips, in file order. */
  readonly samples: SampleEntry[] = [];
  /** The event-file path: a source tag always has the same canonical tag there. */
  private readonly bySourceTag = new Map<string, SeriesBuilder>();
  private readonly byTag = new Map<string, Map<string, SeriesBuilder>>();

  /** Builders by the parser's key for their source tag (event files number their tags). */
  private readonly byKey: (SeriesBuilder | undefined)[] = [];
  /** The times an event file's series share while they advance together (see Clock). */
  private readonly clock = new Clock();

  readonly scalar = (
    tag: string,
    sourceTag: string,
    step: number,
    value: number,
    wallTime: number,
    key: number,
  ) => {
    // A column found by index, the name only checked when it is new.
    let b = key >= 0 ? this.byKey[key] : undefined;
    if (b === undefined || b.tag !== tag || b.sourceTag !== sourceTag) {
      b = this.column(tag, sourceTag);
      if (key >= 0) this.byKey[key] = b;
    }
    b.add(step, value, wallTime);
  };

  /**
   * Events that each give one point to every column (ScalarTarget.addEvents). When the columns are this
   * file's series, all at the front of its clock (the usual case: they had the same times so far), the
   * times are appended once and each series copies its values; otherwise the points go one by one.
   */
  addEvents(
    columns: readonly ScalarColumn[],
    count: number,
    steps: Float64Array,
    wallTimes: Float64Array,
    values: Float64Array,
  ): void {
    const clock = this.clock;
    const n = columns.length;
    const together =
      columns.every((c) => c instanceof SeriesBuilder && c.atFrontOf(clock)) && new Set(columns).size === n;
    if (together) {
      clock.append(steps, wallTimes, count);
      for (let i = 0; i < n; i++) (columns[i] as SeriesBuilder).addOnClock(values, i, n, count);
      return;
    }
    for (let e = 0; e < count; e++) {
      for (let i = 0; i < n; i++) columns[i].add(steps[e], values[e * n + i], wallTimes[e]);
    }
  }

  /** The column of a source tag of an event file, which the parser then appends to itself. */
  column(tag: string, sourceTag: string): SeriesBuilder {
    let b = this.bySourceTag.get(sourceTag);
    if (b === undefined || b.tag !== tag) {
      b = this.builder(tag, sourceTag, this.clock);
      this.bySourceTag.set(sourceTag, b);
    }
    return b;
  }

  /** The column of a text format's (tag, source tag), for parsers that append to it (pushToColumns). */
  textColumn(tag: string, sourceTag: string): SeriesBuilder {
    return this.builder(tag, sourceTag);
  }

  readonly sample = (entry: SampleEntry) => {
    this.samples.push(entry);
  };

  readonly point = (p: ScalarPoint) => {
    this.builder(p.tag, p.sourceTag).addFull(p.step, p.value, p.wallTime, p.epoch, p.segment, p.lowerBound);
  };

  /**
   * Reserves room for the points the rest of the file will likely hold, at the rate each tag had so
   * far: its columns are then written once and handed to the Series without a copy.
   */
  forecast(bytesRead: number, bytesTotal: number): void {
    if (bytesRead <= 0 || bytesTotal <= bytesRead) return;
    const rest = (bytesTotal - bytesRead) / bytesRead;
    const times = this.clock.n;
    if (times > 0) this.clock.reserve(Math.min(MAX_FORECAST, Math.ceil(times * rest * 1.06) + 64));
    for (const b of this.builders) {
      // A little over the rate, so that a file slightly denser further on still fits; capped, so that a
      // tag logged often only at the start of a huge file cannot claim memory out of proportion.
      b.reserve(Math.min(MAX_FORECAST, Math.ceil(b.length * rest * 1.06) + 64));
    }
  }

  private builder(tag: string, sourceTag: string, clock?: Clock): SeriesBuilder {
    let forTag = this.byTag.get(tag);
    if (forTag === undefined) {
      forTag = new Map();
      this.byTag.set(tag, forTag);
    }
    let b = forTag.get(sourceTag);
    if (b === undefined) {
      b = new SeriesBuilder(tag, sourceTag, clock);
      forTag.set(sourceTag, b);
      this.builders.push(b);
    }
    return b;
  }
}

/** Collects a run's files as they are read (once, or again and again in follow mode) and builds the Run. */
export class RunBuilder {
  private readonly series = new Map<string, FileSeries>();
  /** Files read again from their start so far: with the count, says whether `tracks` is still true. */
  private resets = 0;
  private tracks: { key: string; value: SampleTrack[] } | undefined;
  private readonly problems = new Map<string, ReadProblem[]>();
  private readonly hints = new Map<string, RunHints>();

  constructor(
    readonly id: string,
    readonly root: string,
    private files: RunFile[],
    /** What the run's directory says besides its files' logs (discover.ts: the trainer's config). */
    private readonly baseHints: RunHints = {},
  ) {}

  /** Where the points of `file` go; a file not in the plan yet (found later) is added to it. */
  target(file: RunFile): FileSeries {
    if (!this.files.some((f) => f.path === file.path)) this.files = sortFiles([...this.files, file]);
    let s = this.series.get(file.path);
    if (s === undefined) {
      s = new FileSeries();
      this.series.set(file.path, s);
    }
    return s;
  }

  /** The file is being read again from its start: forget what it gave. */
  reset(path: string): void {
    this.resets++;
    this.series.delete(path);
    this.problems.delete(path);
    this.hints.delete(path);
  }

  addProblems(path: string, problems: ReadProblem[]): void {
    if (problems.length === 0) return;
    const list = this.problems.get(path);
    if (list) list.push(...problems);
    else this.problems.set(path, [...problems]);
  }

  setHints(path: string, hints: RunHints): void {
    this.hints.set(path, hints);
  }

  build(): Run {
    const owners = tagOwners(this.files, this.series);
    const groups = new Map<string, { file: string; builder: SeriesBuilder }[]>();
    const leftOut = new Map<string, { tags: Set<string>; points: number; owner: string }>();
    for (const file of this.files) {
      for (const b of this.series.get(file.path)?.builders ?? []) {
        if (b.length === 0) continue;
        const owner = owners.get(b.tag)!;
        if (owner.rank < file.rank) {
          const note = leftOut.get(file.path) ?? { tags: new Set(), points: 0, owner: owner.path };
          note.tags.add(b.tag);
          note.points += b.length;
          leftOut.set(file.path, note);
          continue;
        }
        const key = `${b.tag}\u0000${b.sourceTag}`;
        const parts = groups.get(key) ?? [];
        parts.push({ file: file.path, builder: b });
        groups.set(key, parts);
      }
    }
    const series = [...groups.values()].map(joinSeries).sort(bySeriesOrder);
    const hints = mergeHints(this.baseHints, this.files, this.hints);
    const notes = hints.notes ?? [];
    for (const [path, note] of leftOut) {
      notes.push(
        `${basename(path)}: ${note.points} points of ${[...note.tags].join(", ")} left out, ` +
          `${basename(note.owner)} logs the same tags`,
      );
    }
    if (notes.length > 0) hints.notes = notes;
    return {
      id: this.id,
      root: this.root,
      files: this.files,
      format: [...new Set(this.files.map((f) => f.format))].join("+"),
      hints,
      series,
      samples: this.samples(),
      problems: this.files.flatMap((f) => this.problems.get(f.path) ?? []),
    };
  }

  /**
   * The run's samples as read so far, by tag. Every file's samples are kept, whatever its rank: two
   * files logging the same image tag are a run's restarts (each its own event file), not two copies.
   */
  samples(): SampleTrack[] {
    // Kept while nothing changed: the dashboard asks for them on every sample a page loads.
    const key = `${this.resets}:${this.files.length}:${this.sampleCount()}`;
    if (this.tracks?.key !== key) {
      const entries = this.files.flatMap((f) => this.series.get(f.path)?.samples ?? []);
      this.tracks = { key, value: sampleTracks(entries) };
    }
    return this.tracks.value;
  }

  /** How many images and clips the run's files logged so far. */
  sampleCount(): number {
    let n = 0;
    for (const s of this.series.values()) n += s.samples.length;
    return n;
  }
}

/** For each tag, the first file (best rank) that holds points of it. */
function tagOwners(files: RunFile[], series: Map<string, FileSeries>): Map<string, RunFile> {
  const owners = new Map<string, RunFile>();
  for (const file of files) {
    for (const b of series.get(file.path)?.builders ?? []) {
      if (b.length > 0 && !owners.has(b.tag)) owners.set(b.tag, file);
    }
  }
  return owners;
}

/**
 * The run directory's own hints first, then the first file (in rank order) that knows the loss family or
 * K decides it; notes and checkpoint saves add up.
 */
function mergeHints(base: RunHints, files: RunFile[], byFile: Map<string, RunHints>): RunHints {
  const merged: RunHints = structuredClone(base);
  const notes = merged.notes ?? [];
  const checkpoints = merged.checkpoints ?? [];
  const several = files.length > 1;
  for (const file of files) {
    const h = byFile.get(file.path);
    if (!h) continue;
    merged.lossFamily ??= h.lossFamily;
    merged.discriminators ??= h.discriminators;
    for (const note of h.notes ?? []) notes.push(several ? `${basename(file.path)}: ${note}` : note);
    checkpoints.push(...(h.checkpoints ?? []));
  }
  if (notes.length > 0) merged.notes = notes;
  if (checkpoints.length > 0) merged.checkpoints = checkpoints;
  if (merged.lossFamily === undefined) delete merged.lossFamily;
  if (merged.discriminators === undefined) delete merged.discriminators;
  return merged;
}

const CANONICAL_ORDER = new Map<string, number>(CANONICAL_TAGS.map((t, i) => [t, i]));
const INDEXED = /^(d_real_k|d_fake_k|loss_gen_k)\/(\d+)$/;
const INDEXED_FAMILIES = ["d_real_k", "d_fake_k", "loss_gen_k"];

/** Canonical tags in DESIGN.md order, then per-sub-discriminator terms by family and index, then the rest. */
function bySeriesOrder(a: Series, b: Series): number {
  return compareTags(a.tag, b.tag) || (a.sourceTag < b.sourceTag ? -1 : a.sourceTag > b.sourceTag ? 1 : 0);
}

export function compareTags(a: string, b: string): number {
  const rank = (t: string): [number, string, number] => {
    const c = CANONICAL_ORDER.get(t);
    if (c !== undefined) return [0, "", c];
    const m = INDEXED.exec(t);
    if (m) return [1, String(INDEXED_FAMILIES.indexOf(m[1])), Number(m[2])];
    return [2, t, 0];
  };
  const [ga, sa, na] = rank(a);
  const [gb, sb, nb] = rank(b);
  return ga - gb || (sa < sb ? -1 : sa > sb ? 1 : 0) || na - nb;
}
