import { EventColumns, EventDecoder } from "../events/event-decoder.ts";
import { EventRun } from "../events/event-run.ts";
import { TfRecordReader } from "../tfrecord/record-reader.ts";
import type { ReadProblem, ScalarPoint } from "../types.ts";
import type { ParseOutput, RunHints, StreamParser } from "./parser.ts";
import type { PointSink, ScalarColumn, ScalarTarget } from "./scalar-target.ts";
import { EventFileHints } from "./tfevents-hints.ts";
import { EventSamples } from "./tfevents-samples.ts";
import { EventTags, type TagInfo } from "./tfevents-tags.ts";

export type { PointSink, ScalarColumn, ScalarTarget } from "./scalar-target.ts";

/** Events held back at most before they are handed on together (see TfEventsParser.onRecords). */
const RUN_EVENTS = 1024;
/**
 * Records this large are images or clips, not scalars (a step of a hundred scalars is a few KiB): with
 * deferSampleChecks, their payload CRC is left until their bytes are used.
 */
const DEFER_CRC_BYTES = 16 * 1024;

/**
 * Reads one TensorBoard event file (`events.out.tfevents.*`) as a stream of scalar points: TFRecord
 * framing (src/tfrecord) -> Event protobuf (src/events) -> points with canonical tags (tag-map.ts).
 *
 * Scalars come in three encodings (simple_value, one-element float_val/double_val tensors, raw
 * tensor_content); histograms and other tensors are counted and skipped. A tensor whose tag was first
 * written with a plugin other than "scalars" is not a scalar: TF2 writes a tag's metadata only on its
 * first event, so the plugin is remembered per tag (tfevents-tags.ts).
 *
 * Images and audio clips go to the target's `sample` as index entries (tfevents-samples.ts), from
 * records that passed the same CRC checks as the scalars.
 *
 * RVC / VITS files log no single generator adversarial loss, only `loss/g/i` per sub-discriminator; this
 * parser derives `loss_gen` as their sum (tfevents-hints.ts, with the run's other hints).
 */
export class TfEventsParser implements StreamParser {
  readonly format = "tfevents";
  private readonly records: TfRecordReader;
  private readonly decoder = new EventDecoder();
  private readonly event = new EventColumns();
  private readonly tags = new EventTags();
  /** The tag info used at each value position of the previous event. */
  private readonly recent: (TagInfo | undefined)[] = [];
  /**
   * How many positions of `recent` the previous event filled with a tag that has a column: when the
   * next event has the same tags (EventColumns.sameTags), its values go straight to those columns.
   */
  private routed = 0;
  /** The columns of those positions, when none of their tags feeds the derived sum: such events can be held. */
  private runColumns: ScalarColumn[] | undefined;
  /** Events of the current tags held back to be handed to the columns together (see `onRecords`). */
  private readonly run = new EventRun(RUN_EVENTS);
  /** The run's hints and the derived loss_gen. */
  private readonly hints = new EventFileHints();
  private readonly samples: EventSamples;
  // Where the push in progress sends points and problems.
  private target: ScalarTarget = { scalar: () => {} };
  private problems: ReadProblem[] = [];

  constructor(readonly path: string) {
    this.records = new TfRecordReader(path);
    this.samples = new EventSamples(path, this.tags, this.hints);
  }

  push(chunk: Uint8Array): ParseOutput {
    return collectPoints((sink) => this.pushTo(chunk, sink));
  }

  end(final: boolean): ParseOutput {
    return collectPoints((sink) => this.endTo(final, sink));
  }

  /**
   * push() without a ScalarPoint object per value: each point goes to `sink` as it is read, for callers
   * that keep columns (a million point objects cost more than reading the file). Returns the problems.
   */
  pushTo(chunk: Uint8Array, sink: PointSink): ReadProblem[] {
    return this.pushInto(chunk, this.target.scalar === sink ? this.target : { scalar: sink });
  }

  /** pushTo() for a target that may keep columns (see ScalarTarget): the fastest way to read a file. */
  pushInto(chunk: Uint8Array, target: ScalarTarget): ReadProblem[] {
    if (target !== this.target) {
      // Columns belong to the target that gave them.
      this.tags.forgetColumns();
      this.routed = 0;
      this.runColumns = undefined;
      this.target = target;
    }
    this.problems = [];
    const framing = this.records.pushRecords(chunk, this.onRecords);
    // Every point of the chunk is in its column when push returns.
    this.flush();
    // Framing problems and the records' own problems, in file order.
    return framing.length === 0 ? this.problems : [...this.problems, ...framing].sort(byOffset);
  }

  /** end() with points sent to `sink`, as pushTo. */
  endTo(final: boolean, sink: PointSink): ReadProblem[] {
    const problems = this.records.end(final);
    const derived = this.hints.finish(final);
    if (derived) sink(derived.tag, derived.sourceTag, derived.step, derived.value, derived.wallTime, -1);
    return problems;
  }

  meta(): RunHints {
    return this.hints.meta(this.records.badRecords);
  }

  /**
   * Receives the good records of a chunk from the framing layer (bytes lent for the call only). While
   * records repeat the tags of the event before them, and those tags have held columns (`runColumns`),
   * the decoder reads them straight into the run (EventDecoder.decodeRepeats): no call per record or
   * value. Any other record is read on its own (`onRecord`), a large one whose payload CRC the framing
   * left unchecked by `onUnchecked`.
   */
  private readonly onRecords = (
    bytes: Uint8Array,
    records: Float64Array,
    count: number,
    unchecked?: Uint8Array,
  ): void => {
    const run = this.run;
    let k = 0;
    /** The next unchecked record at or after k (count when none): repeats are decoded up to it. */
    let stop = unchecked === undefined ? count : nextFlagged(unchecked, 0, count);
    while (k < count) {
      if (k === stop) {
        this.onUnchecked(bytes, records[3 * k], records[3 * k + 1], records[3 * k + 2]);
        k++;
        stop = nextFlagged(unchecked!, k, count);
        continue;
      }
      if (this.runColumns !== undefined && this.routed === run.width) {
        const from = run.count;
        const decoded = this.decoder.decodeRepeats(bytes, records, k, stop - k, run);
        if (decoded > 0) {
          // The derived loss_gen's bookkeeping sees every event's step, as onRecord gives it.
          for (let e = from; e < run.count; e++) this.atStep(run.steps[e]);
          k += decoded;
          if (run.full) this.flush();
          continue;
        }
        if (run.full) {
          this.flush();
          continue;
        }
      }
      this.onRecord(bytes, records[3 * k], records[3 * k + 1], records[3 * k + 2]);
      k++;
    }
  };

  /**
   * Large records get here with their payload CRC unchecked (see deferSampleChecks). One that holds
   * only images and clips is indexed as it is: its bytes are checked when they are read to be shown
   * (sample-payload.ts), so a gigabyte of spectrograms is not checksummed before the curves are drawn.
   * Any other is checked now, and read as every record is, or skipped and reported as every bad one is.
   */
  private onUnchecked(bytes: Uint8Array, start: number, end: number, offset: number): void {
    const event = this.event;
    const error = this.decoder.decodeInto(bytes, start, end, event);
    // What the decoder took for the previous event's tags may come from this record: no reuse past it.
    this.routed = 0;
    const samplesOnly =
      error === undefined &&
      event.count === 0 &&
      event.skipped === 0 &&
      event.sampleCount > 0 &&
      event.fileVersion === undefined;
    if (samplesOnly && this.samples.read(event, bytes, start, end, offset, this.target, this.problems, true))
      return;
    if (!this.records.checkPayload(bytes, start, end, offset, this.problems)) return;
    this.onRecord(bytes, start, end, offset);
  }

  /** The derived loss_gen's step bookkeeping for an event with scalars at `step`. */
  private atStep(step: number): void {
    const done = this.hints.atStep(step);
    if (done) this.target.scalar(done.tag, done.sourceTag, done.step, done.value, done.wallTime, -1);
  }

  /** Receives one good record (bytes lent for the call only). */
  private readonly onRecord = (bytes: Uint8Array, start: number, end: number, offset: number): void => {
    const event = this.event;
    const error = this.decoder.decodeInto(bytes, start, end, event);
    if (error !== undefined) {
      this.routed = 0;
      this.problems.push({
        path: this.path,
        offset,
        message: `record at byte ${offset}: not a valid Event (${error}), record skipped`,
        fatal: false,
      });
      return;
    }
    if (event.fileVersion !== undefined) this.hints.fileVersion = event.fileVersion;
    this.hints.skippedValues += event.skipped;
    if (event.sampleCount > 0)
      this.samples.read(event, bytes, start, end, offset, this.target, this.problems);
    const n = event.count;
    if (n === 0) return;
    const { step, wallTime } = event;
    this.atStep(step);
    if (event.sameTags && this.routed === n) {
      // The hot path: the previous event's tags, each already bound to its column.
      if (this.runColumns !== undefined) {
        if (this.run.full) this.flush();
        this.run.push(step, wallTime, event.values);
        return;
      }
      const recent = this.recent;
      const values = event.values;
      for (let i = 0; i < n; i++) {
        const info = recent[i]!;
        const value = values[i];
        info.column!.add(step, value, wallTime);
        if (info.tracked) this.hints.track(info, value, wallTime);
      }
      return;
    }
    this.routeEvent(event, step, wallTime);
  };

  /** Hands the held events to their columns. */
  private flush(): void {
    const run = this.run;
    const count = run.count;
    const columns = this.runColumns;
    if (count === 0 || columns === undefined) return;
    run.count = 0;
    const { steps, wallTimes, values } = run;
    if (this.target.addEvents !== undefined) {
      this.target.addEvents(columns, count, steps, wallTimes, values);
      return;
    }
    const n = columns.length;
    for (let e = 0; e < count; e++) {
      for (let i = 0; i < n; i++) columns[i].add(steps[e], values[e * n + i], wallTimes[e]);
    }
  }

  /** An event whose tags are new or differ from the previous one's: each value looked at on its own. */
  private routeEvent(event: EventColumns, step: number, wallTime: number): void {
    // The held events have the previous tags: they go first.
    this.flush();
    const target = this.target;
    let routed = 0;
    let tracked = false;
    for (let i = 0; i < event.count; i++) {
      const sourceTag = event.tags[i];
      const value = event.values[i];
      if (event.encodings[i] !== "simple_value" && !this.tags.isScalarPlugin(sourceTag, event.plugins[i])) {
        this.hints.skippedValues++;
        this.recent[i] = undefined;
        continue;
      }
      // The decoder hands back the same string object for a repeated tag, so comparing with the tag at
      // this position in the previous event is a pointer test that usually spares the map lookup.
      let info = this.recent[i];
      if (info === undefined || info.sourceTag !== sourceTag)
        info = this.recent[i] = this.tags.info(sourceTag);
      if (info.column === undefined && target.column !== undefined) {
        info.column = target.column(info.tag, sourceTag);
      }
      if (info.column !== undefined) {
        info.column.add(step, value, wallTime);
        if (routed === i) routed++;
      } else target.scalar(info.tag, sourceTag, step, value, wallTime, info.key);
      if (info.tracked) {
        this.hints.track(info, value, wallTime);
        if (info.everyValue) tracked = true;
      }
    }
    this.routed = routed === event.count ? routed : 0;
    // Events with these tags can be held when every value has a column and none feeds the derived sum.
    this.runColumns = undefined;
    if (this.routed > 0 && !tracked) {
      this.runColumns = this.recent.slice(0, routed).map((info) => info!.column!);
      this.run.reset(routed);
    }
  }

  /**
   * Large records (an image or a clip, at least DEFER_CRC_BYTES) are handed on before their payload CRC
   * is checked; one holding only samples is indexed so, and checked when a sample's bytes are read
   * (sample-payload.ts); any other is checked before it is read (onUnchecked). For the dashboard, which
   * must draw the curves of a logdir of spectrograms as fast as without them; `analyze` checks every
   * record as it reads it, and reports each bad one.
   */
  deferSampleChecks(): void {
    this.records.deferPayloadCrcFrom = DEFER_CRC_BYTES;
  }
}

/** The first k in [from, to) with flags[k] set, or `to`. */
function nextFlagged(flags: Uint8Array, from: number, to: number): number {
  let k = from;
  while (k < to && flags[k] !== 1) k++;
  return k;
}

/** The points a read sends to its sink, as ScalarPoint objects, with the read's problems. */
function collectPoints(read: (sink: PointSink) => ReadProblem[]): ParseOutput {
  const points: ScalarPoint[] = [];
  const problems = read((tag, sourceTag, step, value, wallTime) => {
    points.push({ tag, sourceTag, step, value, wallTime });
  });
  return { points, problems };
}

const byOffset = (a: ReadProblem, b: ReadProblem) => (a.offset ?? 0) - (b.offset ?? 0);
