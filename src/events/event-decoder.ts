import type { EventRun } from "./event-run.ts";
import { SimpleScalarDecoder } from "./simple-scalars.ts";
import { StringCache } from "./string-cache.ts";
import { readTensorScalar } from "./tensor-scalar.ts";
import { WireError, WireReader, WireType } from "./wire-reader.ts";

/** How a scalar was stored: Summary.Value.simple_value, or a one-element tensor (see tensor-scalar.ts). */
export type ScalarEncoding = "simple_value" | "float_val" | "double_val" | "tensor_content";

export interface DecodedScalar {
  tag: string;
  value: number;
  encoding: ScalarEncoding;
  /** SummaryMetadata.plugin_data.plugin_name when this value carried metadata ("scalars" for TF2). */
  pluginName: string | undefined;
}

export interface DecodedEvent {
  /** Event.wall_time: seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  /** Event.file_version, set on the first record of a file ("brain.Event:2"). */
  fileVersion: string | undefined;
  scalars: DecodedScalar[];
  /** Summary values that are not scalars (images, audio, histograms, larger tensors): skipped, counted. */
  skipped: number;
}

/**
 * How a value that may hold samples was written: Summary.Value.image, Summary.Value.audio, or a tensor
 * that is not a scalar (TF2's images and audio are string tensors; so are text and histograms: the
 * tag's plugin tells them apart, see sample-values.ts).
 */
export type SampleForm = "image" | "audio" | "tensor";

export type DecodeResult = { ok: true; event: DecodedEvent } | { ok: false; error: string };

/**
 * One decoded event in reusable columns: what `decodeInto` fills, so a reader of millions of events
 * allocates nothing per event. Scalar i is (tags[i], values[i], encodings[i], plugins[i]), i < count.
 */
export class EventColumns {
  wallTime = 0;
  step = 0;
  fileVersion: string | undefined = undefined;
  skipped = 0;
  count = 0;
  /** Values that may hold samples: value j is (sampleTags[j], ...), its message bytes[starts[j], ends[j]). */
  sampleCount = 0;
  readonly sampleTags: string[] = [];
  readonly sampleForms: SampleForm[] = [];
  readonly sampleStarts: number[] = [];
  readonly sampleEnds: number[] = [];
  readonly samplePlugins: (string | undefined)[] = [];
  /**
   * True when this event's scalars have, position by position, the same tags as the event the decoder
   * read before it (into these columns, or by decodeRepeats), all plain simple_values without plugin: a
   * reader that worked out what each position's tag means for that event can reuse it and look at
   * `values` alone.
   */
  sameTags = false;
  readonly tags: string[] = [];
  readonly values: number[] = [];
  readonly encodings: ScalarEncoding[] = [];
  readonly plugins: (string | undefined)[] = [];

  reset(): void {
    this.wallTime = 0;
    this.step = 0;
    this.fileVersion = undefined;
    this.skipped = 0;
    this.count = 0;
    this.sampleCount = 0;
    this.sameTags = false;
  }

  add(tag: string, value: number, encoding: ScalarEncoding, plugin: string | undefined): void {
    const i = this.count++;
    this.tags[i] = tag;
    this.values[i] = value;
    this.encodings[i] = encoding;
    this.plugins[i] = plugin;
  }

  /** A value that may hold samples; its message is lent with the record's bytes, as everything here. */
  addSample(tag: string, form: SampleForm, start: number, end: number, plugin: string | undefined): void {
    const j = this.sampleCount++;
    this.sampleTags[j] = tag;
    this.sampleForms[j] = form;
    this.sampleStarts[j] = start;
    this.sampleEnds[j] = end;
    this.samplePlugins[j] = plugin;
  }
}

// Field keys (field * 8 + wire type) of event.proto and summary.proto that matter here.
const EVENT_WALL_TIME = (1 << 3) | WireType.Fixed64;
const EVENT_STEP = (2 << 3) | WireType.Varint;
const EVENT_FILE_VERSION = (3 << 3) | WireType.LengthDelimited;
const EVENT_SUMMARY = (5 << 3) | WireType.LengthDelimited;
const SUMMARY_VALUE = (1 << 3) | WireType.LengthDelimited;
const VALUE_TAG = (1 << 3) | WireType.LengthDelimited;
const VALUE_SIMPLE = (2 << 3) | WireType.Fixed32;
const VALUE_IMAGE = (4 << 3) | WireType.LengthDelimited;
const VALUE_AUDIO = (6 << 3) | WireType.LengthDelimited;
const VALUE_TENSOR = (8 << 3) | WireType.LengthDelimited;
const VALUE_METADATA = (9 << 3) | WireType.LengthDelimited;
const METADATA_PLUGIN_DATA = (1 << 3) | WireType.LengthDelimited;
const PLUGIN_NAME = (1 << 3) | WireType.LengthDelimited;

/**
 * Decodes serialized `Event` messages into their scalar values. Keeps a cache of tag strings, so use one
 * decoder per stream. Bad protobuf is reported as an error result; it never throws.
 */
export class EventDecoder {
  private readonly strings = new StringCache();
  private readonly columns = new EventColumns();
  private readonly reader = new WireReader(new Uint8Array(0), 0, 0);
  private readonly fast = new SimpleScalarDecoder(this.strings);

  /** Decodes the Event in `bytes[start, end)` into fresh objects. */
  decode(bytes: Uint8Array, start = 0, end = bytes.length): DecodeResult {
    const c = this.columns;
    const error = this.decodeInto(bytes, start, end, c);
    if (error !== undefined) return { ok: false, error };
    const scalars: DecodedScalar[] = [];
    for (let i = 0; i < c.count; i++) {
      scalars.push({
        tag: c.tags[i],
        value: c.values[i],
        encoding: c.encodings[i],
        pluginName: c.plugins[i],
      });
    }
    const { wallTime, step, fileVersion } = c;
    return { ok: true, event: { wallTime, step, fileVersion, scalars, skipped: c.skipped + c.sampleCount } };
  }

  /**
   * Decodes the Event in `bytes[start, end)` into `out` (reset first); returns an error message when the
   * bytes are not a valid Event, else undefined. The fast path: nothing is allocated per event.
   */
  decodeInto(bytes: Uint8Array, start: number, end: number, out: EventColumns): string | undefined {
    out.reset();
    if (this.fast.decodeInto(bytes, start, end, out)) return undefined;
    // The general decoder writes other entries into the columns than the fast one left there.
    this.fast.forget();
    out.reset();
    try {
      this.readEvent(this.reader.reset(bytes, start, end), out);
      return undefined;
    } catch (e) {
      // WireError is the expected kind; anything else is still about these bytes, and a reader of corrupt
      // data must not throw, so it is reported the same way.
      out.reset();
      return e instanceof WireError ? e.message : `undecodable event: ${String(e)}`;
    }
  }

  /**
   * Decodes the records that follow for as long as they repeat the tags of the event decoded last (a
   * plain scalar event of `run.width` values), into `run`; returns how many. See EventRun; the first
   * record that does not repeat them is left for `decodeInto`.
   */
  decodeRepeats(
    bytes: Uint8Array,
    records: Float64Array,
    from: number,
    count: number,
    run: EventRun,
  ): number {
    return this.fast.decodeRepeats(bytes, records, from, count, run);
  }

  private readEvent(r: WireReader, out: EventColumns) {
    while (r.pos < r.end) {
      const key = r.key();
      if (key === EVENT_WALL_TIME) out.wallTime = r.double();
      else if (key === EVENT_STEP) out.step = r.varint();
      else if (key === EVENT_FILE_VERSION) out.fileVersion = this.readString(r);
      else if (key === EVENT_SUMMARY) {
        const outer = r.enter();
        while (r.pos < r.end) {
          const summaryKey = r.key();
          if (summaryKey !== SUMMARY_VALUE) {
            r.skip(summaryKey);
            continue;
          }
          const summaryEnd = r.enter();
          this.readValue(r, out);
          r.leave(summaryEnd);
        }
        r.leave(outer);
      } else r.skip(key);
    }
  }

  /**
   * One Summary.Value: a scalar is added to `out`; an image, a clip or a tensor that is not a scalar is
   * noted as a value that may hold samples (its bytes are not looked at here); anything else is counted
   * as skipped.
   */
  private readValue(r: WireReader, out: EventColumns) {
    let tag = "";
    let simple = 0;
    let hasSimple = false;
    let tensorStart = -1;
    let tensorEnd = -1;
    let sampleForm: SampleForm | undefined;
    let sampleStart = -1;
    let sampleEnd = -1;
    let pluginName: string | undefined;
    while (r.pos < r.end) {
      const key = r.key();
      if (key === VALUE_TAG) tag = this.readString(r, out.count + out.skipped + out.sampleCount);
      else if (key === VALUE_SIMPLE) {
        simple = r.float();
        hasSimple = true;
      } else if (key === VALUE_IMAGE || key === VALUE_AUDIO) {
        sampleForm = key === VALUE_IMAGE ? "image" : "audio";
        sampleEnd = r.lengthDelimited();
        sampleStart = r.pos;
        r.pos = sampleEnd;
      } else if (key === VALUE_TENSOR) {
        tensorEnd = r.lengthDelimited();
        tensorStart = r.pos;
        r.pos = tensorEnd;
      } else if (key === VALUE_METADATA) {
        const outer = r.enter();
        pluginName = this.readPluginName(r) ?? pluginName;
        r.leave(outer);
      } else r.skip(key); // histo=5, node_name=7, ...
    }
    if (hasSimple) {
      out.add(tag, simple, "simple_value", pluginName);
      return;
    }
    if (sampleForm !== undefined) {
      out.addSample(tag, sampleForm, sampleStart, sampleEnd, pluginName);
      return;
    }
    const scalar = tensorStart >= 0 ? readTensorScalar(r.bytes, tensorStart, tensorEnd) : undefined;
    if (scalar !== undefined) out.add(tag, scalar.value, scalar.encoding, pluginName);
    else if (tensorStart >= 0) out.addSample(tag, "tensor", tensorStart, tensorEnd, pluginName);
    else out.skipped++;
  }

  /** SummaryMetadata.plugin_data.plugin_name, if any (the reader is narrowed to the metadata). */
  private readPluginName(r: WireReader): string | undefined {
    let name: string | undefined;
    while (r.pos < r.end) {
      const key = r.key();
      if (key !== METADATA_PLUGIN_DATA) {
        r.skip(key);
        continue;
      }
      const outer = r.enter();
      while (r.pos < r.end) {
        const dataKey = r.key();
        if (dataKey === PLUGIN_NAME) name = this.readString(r);
        else r.skip(dataKey);
      }
      r.leave(outer);
    }
    return name;
  }

  /** A string field; `slot` is the value's index in its event, for the tag cache's guess. */
  private readString(r: WireReader, slot = -1): string {
    const stringEnd = r.lengthDelimited();
    const s = this.strings.decode(r.bytes, r.pos, stringEnd, slot);
    r.pos = stringEnd;
    return s;
  }
}
