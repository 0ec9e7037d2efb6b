import type { EventColumns } from "./event-decoder.ts";
import type { EventRun } from "./event-run.ts";
import type { StringCache } from "./string-cache.ts";

/**
 * The layout nearly every scalar event has (PyTorch's SummaryWriter, TF1's merged summaries, this
 * project's writer): wall_time, step, then one Summary of values that are each a tag and a
 * simple_value, in that field order. Decoded in one flat pass, in about two thirds of the time the
 * general reader takes; anything else (another field, another order, a long varint) returns false and the
 * general decoder reads the event instead, so this path only has to be right, never complete.
 */
export class SimpleScalarDecoder {
  /** A DataView of the bytes last decoded: records of one chunk share it. */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewBytes: Uint8Array | undefined;
  /** Per position in an event, the tag last read there (the guess for the next event). */
  private readonly slots: (KnownValue | undefined)[] = [];
  /**
   * The columns this decoder filled last, and how many of their first positions hold its `slots`' tags
   * as simple_values without plugin: those entries are not written again while the tag stays the same.
   */
  private lastOut: EventColumns | undefined;
  private validSlots = 0;
  /** Scalars in the event decoded last, -1 when that event was not decoded here. */
  private lastCount = -1;
  /** What `header` read. */
  private wallTime = 0;
  private step = 0;

  constructor(private readonly strings: StringCache) {}

  /** Someone else wrote into the columns: their entries no longer follow `slots`. */
  forget(): void {
    this.lastOut = undefined;
    this.validSlots = 0;
    this.lastCount = -1;
  }

  /** Decodes the Event in `bytes[start, end)` into `out` (already reset) if it has the simple layout. */
  decodeInto(bytes: Uint8Array, start: number, end: number, out: EventColumns): boolean {
    const view = this.viewOf(bytes);
    let p = this.header(bytes, view, start, end);
    if (p < 0) return false;
    const wallTime = this.wallTime;
    const step = this.step;
    // Values: 0x0a <len> { 0x0a <tag len> <tag> 0x15 <float32> }, lengths of one byte.
    if (out !== this.lastOut) this.forget();
    const values = out.values;
    const valid = this.validSlots;
    let same = true;
    let slot = 0;
    while (p < end) {
      // A value's bytes before its float (0x0a <len> 0x0a <tag len> <tag> 0x15) are nearly always those
      // of the value at this position in the previous event: compared eight at a time, they confirm the
      // layout and the tag at once, which costs less than checking the layout, then hashing the tag.
      let known = this.slots[slot];
      if (known !== undefined && end - p >= known.size && known.matches(view, p)) {
        if (slot >= valid) {
          out.count = slot;
          out.add(known.text, 0, "simple_value", undefined);
        }
      } else {
        if (end - p < 4 || bytes[p] !== 0x0a || bytes[p + 2] !== 0x0a) return false;
        const valueEnd = p + 2 + bytes[p + 1];
        const tagLength = bytes[p + 3];
        const tagStart = p + 4;
        const tagEnd = tagStart + tagLength;
        if (bytes[p + 1] >= 0x80 || tagLength >= 0x80 || valueEnd > end || tagEnd + 5 !== valueEnd)
          return false;
        if (bytes[tagEnd] !== 0x15) return false;
        const text = this.strings.decode(bytes, tagStart, tagEnd);
        known = new KnownValue(view, p, tagEnd + 1 - p, text);
        this.slots[slot] = known;
        same = false;
        out.count = slot; // add() writes every entry of this position
        out.add(text, 0, "simple_value", undefined);
      }
      values[slot] = view.getFloat32(p + known.prefix, true);
      p += known.size;
      slot++;
    }
    if (this.lastOut === undefined) this.lastOut = out;
    if (slot > valid) this.validSlots = slot;
    out.sameTags = same && slot === this.lastCount;
    this.lastCount = slot;
    out.count = slot;
    out.wallTime = wallTime;
    out.step = step;
    return true;
  }

  /**
   * Decodes records[from], records[from + 1], ... (payload start, payload end and offset per record, as
   * TfRecordReader.pushRecords gives them) for as long as each is a simple event with the tags of the
   * event this decoder read last, appending them to `run` (whose width must be that event's number of
   * values) until it is full. Returns how many it decoded: it stops at the first other record, which
   * `decodeInto` then reads in full.
   */
  decodeRepeats(
    bytes: Uint8Array,
    records: Float64Array,
    from: number,
    count: number,
    run: EventRun,
  ): number {
    const width = run.width;
    if (width === 0 || this.lastCount !== width) return 0;
    const view = this.viewOf(bytes);
    const slots = this.slots;
    const steps = run.steps;
    const wallTimes = run.wallTimes;
    const values = run.values;
    let e = run.count;
    let k = 0;
    for (; k < count && e < run.capacity; k++) {
      const r = 3 * (from + k);
      const end = records[r + 1];
      let p = this.header(bytes, view, records[r], end);
      if (p < 0) break;
      const base = e * width;
      let slot = 0;
      for (; slot < width; slot++) {
        const known = slots[slot]!;
        if (end - p < known.size || !known.matches(view, p)) break;
        values[base + slot] = view.getFloat32(p + known.prefix, true);
        p += known.size;
      }
      if (slot < width || p !== end) break;
      steps[e] = this.step;
      wallTimes[e] = this.wallTime;
      e++;
    }
    run.count = e;
    return k;
  }

  /** A DataView of `bytes`, made once per chunk: the records of one chunk share it. */
  private viewOf(bytes: Uint8Array): DataView {
    if (this.viewBytes !== bytes) {
      this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.viewBytes = bytes;
    }
    return this.view;
  }

  /**
   * Reads wall_time, step and the summary's key and length of the simple layout into `wallTime` and
   * `step`; returns where the summary's values begin, or -1 when the event has another layout.
   */
  private header(bytes: Uint8Array, view: DataView, start: number, end: number): number {
    let p = start;
    // wall_time: key 0x09, fixed64.
    if (end - p < 9 || bytes[p] !== 0x09) return -1;
    this.wallTime = view.getFloat64(p + 1, true);
    p += 9;
    // step: key 0x10, a varint of at most 7 bytes (< 2^49; longer ones take the general path).
    let step = 0;
    if (p < end && bytes[p] === 0x10) {
      p++;
      let scale = 1;
      for (let k = 0; ; k++) {
        if (k === 7 || p >= end) return -1;
        const b = bytes[p++];
        step += (b & 0x7f) * scale;
        if (b < 0x80) break;
        scale *= 128;
      }
    }
    this.step = step;
    // summary: key 0x2a, its length (up to 3 varint bytes), and it must be the event's last field.
    if (end - p < 2 || bytes[p] !== 0x2a) return -1;
    let length = bytes[p + 1];
    p += 2;
    if (length >= 0x80) {
      if (p >= end) return -1;
      const b = bytes[p++];
      length = (length & 0x7f) | ((b & 0x7f) << 7);
      if (b >= 0x80) {
        if (p >= end || bytes[p] >= 0x80) return -1;
        length |= bytes[p++] << 14;
      }
    }
    return p + length === end ? p : -1;
  }
}

/** One value's bytes before its float (its layout and tag) and the tag's text. */
class KnownValue {
  /** Bytes before the float. */
  readonly prefix: number;
  /** Bytes of the whole value: the prefix and the float. */
  readonly size: number;
  /** The prefix as 8-byte words read as doubles: one at each multiple of 8, then its last 8 bytes. */
  private readonly doubles: Float64Array | undefined;
  /** The prefix as 4-byte words, when doubles cannot stand for it (see the constructor). */
  private readonly words: Int32Array | undefined;

  constructor(
    view: DataView,
    at: number,
    prefix: number,
    readonly text: string,
  ) {
    this.prefix = prefix;
    this.size = prefix + 4;
    // Two doubles are equal exactly when their bits are, but for ±0 and NaN: a prefix with such a word
    // (or shorter than one) is compared as 4-byte integers instead. A prefix is at least 5 bytes.
    if (prefix >= 8) {
      const whole = prefix >> 3;
      const doubles = new Float64Array(whole + 1);
      for (let i = 0; i < whole; i++) doubles[i] = view.getFloat64(at + 8 * i, true);
      doubles[whole] = view.getFloat64(at + prefix - 8, true);
      if (doubles.every((d) => d !== 0 && !Number.isNaN(d))) {
        this.doubles = doubles;
        return;
      }
    }
    const whole = prefix >> 2;
    this.words = new Int32Array(whole + 1);
    for (let i = 0; i < whole; i++) this.words[i] = view.getInt32(at + 4 * i, true);
    this.words[whole] = view.getInt32(at + prefix - 4, true);
  }

  /** Whether the bytes at `at` (the caller checked `size` of them are there) begin with this prefix. */
  matches(view: DataView, at: number): boolean {
    const doubles = this.doubles;
    if (doubles !== undefined) {
      const whole = doubles.length - 1;
      for (let i = 0; i < whole; i++) if (view.getFloat64(at + 8 * i, true) !== doubles[i]) return false;
      return view.getFloat64(at + this.prefix - 8, true) === doubles[whole];
    }
    const words = this.words!;
    const whole = words.length - 1;
    for (let i = 0; i < whole; i++) if (view.getInt32(at + 4 * i, true) !== words[i]) return false;
    return view.getInt32(at + this.prefix - 4, true) === words[whole];
  }
}
