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
  }

  add(tag: string, value: number, encoding: ScalarEncoding, plugin: string | undefined): void {
    const i = this.count++;
    this.tags[i] = tag;
    this.values[i] = value;
    this.encodings[i] = encoding;
    this.plugins[i] = plugin;
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
  /** A DataView of the bytes last decoded: records of one chunk share it. */
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  private viewBytes: Uint8Array | undefined;
  /** Per position in an event, the tag last read there (the fast path's guess). */
  private readonly slots: (KnownTag | undefined)[] = [];

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
    const { wallTime, step, fileVersion, skipped } = c;
    return { ok: true, event: { wallTime, step, fileVersion, scalars, skipped } };
  }

  /**
   * Decodes the Event in `bytes[start, end)` into `out` (reset first); returns an error message when the
   * bytes are not a valid Event, else undefined. The fast path: nothing is allocated per event.
   */
  decodeInto(bytes: Uint8Array, start: number, end: number, out: EventColumns): string | undefined {
    out.reset();
    if (this.decodeScalarsFast(bytes, start, end, out)) return undefined;
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
   * The layout nearly every scalar event has (PyTorch's SummaryWriter, TF1's merged summaries, this
   * project's writer): wall_time, step, then one Summary of values that are each a tag and a
   * simple_value, in that field order. Decoded in one flat pass, about three times faster than the
   * general reader; anything else (another field, another order, a long varint) returns false and the
   * general decoder reads the event instead, so this path only has to be right, never complete.
   */
  private decodeScalarsFast(bytes: Uint8Array, start: number, end: number, out: EventColumns): boolean {
    let view = this.view;
    if (this.viewBytes !== bytes) {
      view = this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.viewBytes = bytes;
    }
    let p = start;
    // wall_time: key 0x09, fixed64.
    if (end - p < 9 || bytes[p] !== 0x09) return false;
    const wallTime = view.getFloat64(p + 1, true);
    p += 9;
    // step: key 0x10, a varint of at most 7 bytes (< 2^49; longer ones take the general path).
    let step = 0;
    if (p < end && bytes[p] === 0x10) {
      p++;
      let scale = 1;
      for (let k = 0; ; k++) {
        if (k === 7 || p >= end) return false;
        const b = bytes[p++];
        step += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 128;
      }
    }
    // summary: key 0x2a, its length (up to 3 varint bytes), and it must be the event's last field.
    if (end - p < 2 || bytes[p] !== 0x2a) return false;
    let length = bytes[p + 1];
    p += 2;
    if (length >= 0x80) {
      if (p >= end) return false;
      const b = bytes[p++];
      length = (length & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        if (p >= end || bytes[p] >= 0x80) return false;
        length |= bytes[p++] << 14;
      }
    }
    if (p + length !== end) return false;
    // Values: 0x0a <len> { 0x0a <tag len> <tag> 0x15 <float32> }, lengths of one byte.
    let slot = 0;
    while (p < end) {
      if (end - p < 4 || bytes[p] !== 0x0a || bytes[p + 2] !== 0x0a) return false;
      const valueEnd = p + 2 + bytes[p + 1];
      const tagLength = bytes[p + 3];
      const tagStart = p + 4;
      const tagEnd = tagStart + tagLength;
      if (bytes[p + 1] >= 0x80 || tagLength >= 0x80 || valueEnd > end || tagEnd + 5 !== valueEnd)
        return false;
      if (bytes[tagEnd] !== 0x15) return false;
      // The tag at this position in the previous event, if the bytes are the same (they nearly always
      // are): compared four bytes at a time, which costs less than hashing or decoding them.
      let known = this.slots[slot];
      if (known === undefined || known.length !== tagLength || !known.matches(view, bytes, tagStart)) {
        known = new KnownTag(bytes, tagStart, tagEnd, this.strings.decode(bytes, tagStart, tagEnd));
        this.slots[slot] = known;
      }
      slot++;
      out.add(known.text, view.getFloat32(tagEnd + 1, true), "simple_value", undefined);
      p = valueEnd;
    }
    out.wallTime = wallTime;
    out.step = step;
    return true;
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

  /** One Summary.Value: a scalar is added to `out`, anything else counted as skipped. */
  private readValue(r: WireReader, out: EventColumns) {
    let tag = "";
    let simple = 0;
    let hasSimple = false;
    let tensorStart = -1;
    let tensorEnd = -1;
    let pluginName: string | undefined;
    while (r.pos < r.end) {
      const key = r.key();
      if (key === VALUE_TAG) tag = this.readString(r, out.count + out.skipped);
      else if (key === VALUE_SIMPLE) {
        simple = r.float();
        hasSimple = true;
      } else if (key === VALUE_TENSOR) {
        tensorEnd = r.lengthDelimited();
        tensorStart = r.pos;
        r.pos = tensorEnd;
      } else if (key === VALUE_METADATA) {
        const outer = r.enter();
        pluginName = this.readPluginName(r) ?? pluginName;
        r.leave(outer);
      } else r.skip(key); // image=4, histo=5, audio=6, node_name=7, ...
    }
    if (hasSimple) {
      out.add(tag, simple, "simple_value", pluginName);
      return;
    }
    const scalar = tensorStart >= 0 ? readTensorScalar(r.bytes, tensorStart, tensorEnd) : undefined;
    if (scalar === undefined) out.skipped++;
    else out.add(tag, scalar.value, scalar.encoding, pluginName);
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

/** A tag's text and bytes, the bytes also as little-endian 32-bit words for a quick comparison. */
class KnownTag {
  readonly length: number;
  private readonly bytes: Uint8Array;
  /** The word at each multiple of 4, then (if the length is not one) the last 4 bytes, overlapping. */
  private readonly words: number[] = [];

  constructor(
    source: Uint8Array,
    start: number,
    end: number,
    readonly text: string,
  ) {
    this.bytes = source.slice(start, end);
    this.length = end - start;
    const view = new DataView(this.bytes.buffer);
    for (let i = 0; i + 4 <= this.length; i += 4) this.words.push(view.getUint32(i, true));
    if (this.length >= 4 && this.length % 4 !== 0) this.words.push(view.getUint32(this.length - 4, true));
  }

  /** Whether `bytes` (seen through `view`) holds this tag at `at`; the caller checked the length fits. */
  matches(view: DataView, bytes: Uint8Array, at: number): boolean {
    const n = this.length;
    if (n < 4) {
      for (let i = 0; i < n; i++) if (bytes[at + i] !== this.bytes[i]) return false;
      return true;
    }
    const words = this.words;
    let i = 0;
    for (; i + 4 <= n; i += 4) if (view.getUint32(at + i, true) !== words[i >> 2]) return false;
    return i === n || view.getUint32(at + n - 4, true) === words[words.length - 1];
  }
}
