import { EventColumns, EventDecoder } from "../events/event-decoder.ts";
import { TfRecordReader } from "../tfrecord/record-reader.ts";
import type { ReadProblem, ScalarPoint } from "../types.ts";
import { LossGenSum } from "./loss-gen-sum.ts";
import type { ParseOutput, RunHints, StreamParser } from "./parser.ts";
import { canonicalTag, type IndexedTerm, indexedTerm } from "./tag-map.ts";

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
}

/** Events held back at most before they are handed on together (see TfEventsParser.hold). */
const RUN_EVENTS = 1024;

/** What the parser needs to know about a source tag, worked out once per tag. */
interface TagInfo {
  sourceTag: string;
  tag: string;
  term: IndexedTerm | undefined;
  /** The file logs loss_gen itself, so none is derived. */
  isLossGen: boolean;
  /** Its values feed the derived loss_gen or the run's hints: `track` must see each one. */
  tracked: boolean;
  /** The PointSink key: the order in which the file's tags were first seen. */
  key: number;
  /** The current target's column for this tag, once asked for (cleared when the target changes). */
  column: ScalarColumn | undefined;
}

/**
 * Reads one TensorBoard event file (`events.out.tfevents.*`) as a stream of scalar points: TFRecord
 * framing (src/tfrecord) -> Event protobuf (src/events) -> points with canonical tags (tag-map.ts).
 *
 * Scalars come in three encodings (simple_value, one-element float_val/double_val tensors, raw
 * tensor_content); images, audio, histograms and other tensors are counted and skipped. A tensor whose tag
 * was first written with a plugin other than "scalars" is skipped too: TF2 writes a tag's metadata only
 * on its first event, so the plugin is remembered per tag.
 *
 * RVC / VITS files log no single generator adversarial loss, only `loss/g/i` per sub-discriminator; this
 * parser derives `loss_gen` as their sum (see LossGenSum).
 */
export class TfEventsParser implements StreamParser {
  readonly format = "tfevents";
  private readonly records: TfRecordReader;
  private readonly decoder = new EventDecoder();
  private readonly event = new EventColumns();
  private readonly tags = new Map<string, TagInfo>();
  /** The tag info used at each value position of the previous event. */
  private readonly recent: (TagInfo | undefined)[] = [];
  /**
   * How many positions of `recent` the previous event filled with a tag that has a column: when the
   * next event has the same tags (EventColumns.sameTags), its values go straight to those columns.
   */
  private routed = 0;
  /** The columns of those positions, when none of their tags is tracked: such events can be held. */
  private runColumns: ScalarColumn[] | undefined;
  /** Events of the current tags held back to be handed to the columns together (see `hold`). */
  private runCount = 0;
  private readonly runSteps = new Float64Array(RUN_EVENTS);
  private readonly runWallTimes = new Float64Array(RUN_EVENTS);
  private runValues = new Float64Array(RUN_EVENTS);
  private readonly plugins = new Map<string, string>();
  private readonly lossGen = new LossGenSum();
  /** 1 + the highest sub-discriminator index seen in any per-sub-D tag. */
  private subDiscriminators = 0;
  private realTerms = 0;
  private skippedValues = 0;
  private fileVersion: string | undefined;
  // Where the push in progress sends points and problems.
  private target: ScalarTarget = { scalar: () => {} };
  private problems: ReadProblem[] = [];

  constructor(readonly path: string) {
    this.records = new TfRecordReader(path);
  }

  push(chunk: Uint8Array): ParseOutput {
    const points: ScalarPoint[] = [];
    const problems = this.pushTo(chunk, (tag, sourceTag, step, value, wallTime) => {
      points.push({ tag, sourceTag, step, value, wallTime });
    });
    return { points, problems };
  }

  end(final: boolean): ParseOutput {
    const points: ScalarPoint[] = [];
    const problems = this.endTo(final, (tag, sourceTag, step, value, wallTime) => {
      points.push({ tag, sourceTag, step, value, wallTime });
    });
    return { points, problems };
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
      for (const info of this.tags.values()) info.column = undefined;
      this.routed = 0;
      this.runColumns = undefined;
      this.target = target;
    }
    this.problems = [];
    const framing = this.records.push(chunk, this.onRecord);
    // Every point of the chunk is in its column when push returns.
    this.flush();
    // Framing problems and the records' own problems, in file order.
    return framing.length === 0 ? this.problems : [...this.problems, ...framing].sort(byOffset);
  }

  /** end() with points sent to `sink`, as pushTo. */
  endTo(final: boolean, sink: PointSink): ReadProblem[] {
    const problems = this.records.end(final);
    const derived = this.lossGen.finish(this.subDiscriminators, final);
    if (derived) sink(derived.tag, derived.sourceTag, derived.step, derived.value, derived.wallTime, -1);
    return problems;
  }

  meta(): RunHints {
    const hints: RunHints = {};
    // `loss/d_r/i` is the least-squares real term of sub-discriminator i (RVC, VITS, so-vits-svc).
    if (this.realTerms > 0) {
      hints.lossFamily = "lsgan";
      hints.discriminators = this.realTerms;
    }
    const notes: string[] = [];
    if (this.fileVersion !== undefined) notes.push(`event file version ${this.fileVersion}`);
    if (this.skippedValues > 0) {
      notes.push(
        `${this.skippedValues} non-scalar summary values skipped (images, audio, histograms, tensors)`,
      );
    }
    const bad = this.records.badRecords;
    if (bad > 0) notes.push(`${bad} record${bad === 1 ? "" : "s"} skipped for a bad payload CRC`);
    if (notes.length > 0) hints.notes = notes;
    return hints;
  }

  /** Receives each good record from the framing layer (bytes lent for the call only). */
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
    if (event.fileVersion !== undefined) this.fileVersion = event.fileVersion;
    this.skippedValues += event.skipped;
    const n = event.count;
    if (n === 0) return;
    const { step, wallTime } = event;
    const done = this.lossGen.atStep(step, this.subDiscriminators);
    if (done) this.target.scalar(done.tag, done.sourceTag, done.step, done.value, done.wallTime, -1);
    if (event.sameTags && this.routed === n) {
      // The hot path: the previous event's tags, each already bound to its column.
      if (this.runColumns !== undefined) {
        this.hold(event.values, n, step, wallTime);
        return;
      }
      const recent = this.recent;
      const values = event.values;
      for (let i = 0; i < n; i++) {
        const info = recent[i]!;
        const value = values[i];
        info.column!.add(step, value, wallTime);
        if (info.tracked) this.track(info, value, wallTime);
      }
      return;
    }
    this.routeEvent(event, step, wallTime);
  };

  /**
   * Keeps an event of the current tags to hand on with the next ones: a thousand events go to their
   * columns in one call (ScalarTarget.addEvents), which then fill them in tight loops.
   */
  private hold(values: number[], n: number, step: number, wallTime: number): void {
    let k = this.runCount;
    if (k === RUN_EVENTS) {
      this.flush();
      k = 0;
    }
    this.runSteps[k] = step;
    this.runWallTimes[k] = wallTime;
    const held = this.runValues;
    const base = k * n;
    for (let i = 0; i < n; i++) held[base + i] = values[i];
    this.runCount = k + 1;
  }

  /** Hands the held events to their columns. */
  private flush(): void {
    const count = this.runCount;
    const columns = this.runColumns;
    if (count === 0 || columns === undefined) return;
    this.runCount = 0;
    const { runSteps: steps, runWallTimes: wallTimes, runValues: values } = this;
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
      if (event.encodings[i] !== "simple_value" && !this.isScalarPlugin(sourceTag, event.plugins[i])) {
        this.skippedValues++;
        this.recent[i] = undefined;
        continue;
      }
      // The decoder hands back the same string object for a repeated tag, so comparing with the tag at
      // this position in the previous event is a pointer test that usually spares the map lookup.
      let info = this.recent[i];
      if (info === undefined || info.sourceTag !== sourceTag) info = this.recent[i] = this.tagInfo(sourceTag);
      if (info.column === undefined && target.column !== undefined) {
        info.column = target.column(info.tag, sourceTag);
      }
      if (info.column !== undefined) {
        info.column.add(step, value, wallTime);
        if (routed === i) routed++;
      } else target.scalar(info.tag, sourceTag, step, value, wallTime, info.key);
      if (info.tracked) {
        this.track(info, value, wallTime);
        tracked = true;
      }
    }
    this.routed = routed === event.count ? routed : 0;
    // Events with these tags can be held when every value has a column and none is tracked.
    this.runColumns = undefined;
    if (this.routed > 0 && !tracked) {
      this.runColumns = this.recent.slice(0, routed).map((info) => info!.column!);
      if (this.runValues.length < RUN_EVENTS * routed) this.runValues = new Float64Array(RUN_EVENTS * routed);
    }
  }

  /** A value of a tag that feeds the run's hints or the derived loss_gen. */
  private track(info: TagInfo, value: number, wallTime: number): void {
    const term = info.term;
    if (term === undefined) {
      if (info.isLossGen) this.lossGen.logged = true;
      return;
    }
    if (term.index >= this.subDiscriminators) this.subDiscriminators = term.index + 1;
    if (term.kind === "d_real_k" && term.index >= this.realTerms) this.realTerms = term.index + 1;
    if (term.kind === "loss_gen_k") this.lossGen.add(term.index, value, wallTime);
  }

  /**
   * Whether a one-element tensor is a scalar: its tag's plugin, from this value's metadata or the tag's
   * first event (TF2 writes metadata only there), is "scalars" or unknown.
   */
  private isScalarPlugin(tag: string, plugin: string | undefined): boolean {
    if (plugin !== undefined) {
      if (!this.plugins.has(tag)) this.plugins.set(tag, plugin);
    } else plugin = this.plugins.get(tag);
    return plugin === undefined || plugin === "scalars";
  }

  private tagInfo(sourceTag: string): TagInfo {
    let info = this.tags.get(sourceTag);
    if (info === undefined) {
      const tag = canonicalTag(sourceTag);
      const key = this.tags.size;
      const term = indexedTerm(sourceTag);
      const isLossGen = tag === "loss_gen";
      const tracked = term !== undefined || isLossGen;
      info = { sourceTag, tag, term, isLossGen, tracked, key, column: undefined };
      this.tags.set(sourceTag, info);
    }
    return info;
  }
}

const byOffset = (a: ReadProblem, b: ReadProblem) => (a.offset ?? 0) - (b.offset ?? 0);
