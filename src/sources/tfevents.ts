import { EventColumns, EventDecoder } from "../events/event-decoder.ts";
import { TfRecordReader } from "../tfrecord/record-reader.ts";
import type { ReadProblem, ScalarPoint } from "../types.ts";
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
}

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
      this.target = target;
    }
    this.problems = [];
    const framing = this.records.push(chunk, this.onRecord);
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

  /** An event whose tags are new or differ from the previous one's: each value looked at on its own. */
  private routeEvent(event: EventColumns, step: number, wallTime: number): void {
    const target = this.target;
    let routed = 0;
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
      if (info.tracked) this.track(info, value, wallTime);
    }
    this.routed = routed === event.count ? routed : 0;
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

/**
 * Derives `loss_gen` = Σ_i `loss/g/i` for each step, as RVC's train.log computes it.
 *
 * K is 1 + the highest index of any per-sub-discriminator tag (`loss/g/i`, `loss/d_r/i`, `loss/d_g/i`)
 * seen in the file so far. A step's sum is emitted when the step is complete: when an event with scalars
 * at another step arrives, or at end(final). Reading a growing file (end(false)), a step is also emitted
 * once it holds all K terms, but only if an earlier step confirmed K, because within the first step the
 * indices seen so far may not yet reach K. A step missing any of its K terms gets no sum. Nothing is
 * derived when the file logs a loss_gen of its own (Applio's `loss/g/adv`).
 */
/** A derived point: always timed, by its last term. */
type TimedPoint = ScalarPoint & { wallTime: number };

class LossGenSum {
  /** The file has its own loss_gen tag: do not derive one. */
  logged = false;
  private step = Number.NaN;
  private readonly terms = new Map<number, number>();
  private wallTime = 0;
  private emitted = false;
  private confirmedK = 0;

  /** An event with scalars at `step`: returns the previous step's sum when that step just ended. */
  atStep(step: number, k: number): TimedPoint | undefined {
    if (step === this.step) return undefined;
    const done = this.complete(k);
    this.step = step;
    if (this.terms.size > 0) this.terms.clear(); // clear() reallocates the table: only when needed
    this.wallTime = 0;
    this.emitted = false;
    return done;
  }

  add(index: number, value: number, wallTime: number): void {
    this.terms.set(index, value);
    // The sum exists once its last term does.
    if (wallTime > this.wallTime) this.wallTime = wallTime;
  }

  finish(k: number, final: boolean): TimedPoint | undefined {
    if (!final && (this.confirmedK === 0 || k !== this.confirmedK)) return undefined;
    const done = this.complete(k);
    if (done) this.emitted = true;
    return done;
  }

  private complete(k: number): TimedPoint | undefined {
    if (this.logged || this.emitted || k === 0 || this.terms.size !== k) return undefined;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += this.terms.get(i) ?? Number.NaN;
    this.confirmedK = k;
    return {
      tag: "loss_gen",
      sourceTag: `sum(loss/g/0..${k - 1})`,
      step: this.step,
      value: sum,
      wallTime: this.wallTime,
    };
  }
}
