import type { ReadProblem } from "../types.ts";
import { maskedCrc32c } from "./masked-crc.ts";
import { RECORD_OVERHEAD } from "./record-writer.ts";

/**
 * Receives one good record: its payload is `bytes[start, end)` and the record began at file byte
 * `offset`. The bytes are lent for the call only (they may be the caller's chunk or the reader's reused
 * buffer): decode or copy them before returning.
 */
export type RecordSink = (bytes: Uint8Array, start: number, end: number, offset: number) => void;

/**
 * Receives good records in bulk: record k's payload is `bytes[records[3k], records[3k + 1])` and it began
 * at file byte records[3k + 2], for k < count. Lent for the call only, as for RecordSink. `unchecked`,
 * given only to a reader that asked for it (TfRecordReader.deferPayloadCrcFrom), flags the records whose
 * payload CRC is not checked yet (unchecked[k] = 1): the sink checks it (checkPayload) before it uses
 * what the record holds.
 */
export type RecordsSink = (
  bytes: Uint8Array,
  records: Float64Array,
  count: number,
  unchecked?: Uint8Array,
) => void;

const HEADER = 12;
/** Larger lengths cannot be held in one Uint8Array; a length this big with a good CRC is still unusable. */
const MAX_PAYLOAD = 0x7fffffff - RECORD_OVERHEAD;

/**
 * Resumable TFRecord reader for one file (TensorBoard's `tf_record.rs`). Fed the file's bytes in chunks,
 * it hands every complete record to a sink and keeps an incomplete tail until more bytes arrive: a
 * truncated last record is a state, because a growing file's last record may not be written yet.
 *
 * Corruption is reported, never thrown. A bad length CRC ends the file (without a trusted length the
 * next record cannot be found); a bad payload CRC skips that one record and reading goes on.
 */
export class TfRecordReader {
  /** File offset of the next record not yet delivered (the start of the pending tail). */
  offset = 0;
  /** Records delivered to the sink. */
  records = 0;
  /** Records skipped for a bad payload CRC. */
  badRecords = 0;
  /** True once a bad length ended this file: later bytes are ignored. */
  failed = false;
  /**
   * Records whose payload is at least this many bytes are handed on with their payload CRC unchecked
   * (flagged in the sink's `unchecked`): a reader that only notes where a large image lies need not
   * checksum it before it is shown, and then checks it when its bytes are read again. Their length CRC is
   * checked as every record's, so the framing is as trusted as ever. Infinity (the default): every record
   * is checked here.
   */
  deferPayloadCrcFrom = Number.POSITIVE_INFINITY;

  /** The pending incomplete record: its first `pending` bytes. Reused between records. */
  private tail = new Uint8Array(64);
  private pending = 0;
  /** Whole size of the pending record once its header has been checked, else 0. */
  private pendingSize = 0;
  /**
   * The good records `scan` found in a chunk: payload start, payload end, file offset, per record (as
   * doubles: a chunk may be longer than an int32 can count, a file than 2^53 never).
   */
  private found: Float64Array = new Float64Array(3 * 1024);
  private foundCount = 0;
  /** Per found record, 1 when its payload CRC was left to the sink; `anyUnchecked`: one was. */
  private uncheckedFlags = new Uint8Array(1024);
  private anyUnchecked = false;
  /** The size `scan` read from the header of an incomplete last record. */
  private checkedSize = 0;
  /** The completed pending record, as a list of one for the sink, and its flag. */
  private readonly one = new Float64Array(3);
  private readonly oneUnchecked = new Uint8Array(1);

  constructor(readonly path: string) {}

  /** Bytes of an incomplete record held back, waiting for the rest. */
  get pendingBytes(): number {
    return this.pending;
  }

  /** Feeds the next bytes of the file; returns the problems met (records go to `sink`). */
  push(chunk: Uint8Array, sink: RecordSink): ReadProblem[] {
    return this.pushRecords(chunk, (bytes, records, count) => {
      for (let k = 0; k < count; k++) sink(bytes, records[3 * k], records[3 * k + 1], records[3 * k + 2]);
    });
  }

  /** push() handing the good records over in bulk: those of the chunk in one call (see RecordsSink). */
  pushRecords(chunk: Uint8Array, sink: RecordsSink): ReadProblem[] {
    const problems: ReadProblem[] = [];
    let pos = 0;
    // 1. Complete the pending record with just the bytes it needs, so at most one record is copied.
    while (this.pending > 0 && pos < chunk.length && !this.failed) {
      const want = (this.pendingSize || HEADER) - this.pending;
      const take = Math.min(want, chunk.length - pos);
      this.reserve(this.pending + take);
      this.tail.set(chunk.subarray(pos, pos + take), this.pending);
      this.pending += take;
      pos += take;
      if (this.pendingSize === 0 && this.pending === HEADER) {
        const size = this.checkHeader(this.tail, 0, problems);
        if (size < 0) return problems;
        this.pendingSize = size;
      }
      if (this.pendingSize > 0 && this.pending === this.pendingSize) {
        this.deliver(this.tail, 0, this.pendingSize, sink, problems);
        this.pending = 0;
        this.pendingSize = 0;
      }
    }
    if (this.failed || pos === chunk.length) return problems;
    // 2. Check the whole records in the chunk, then hand them on. Two steps, not one loop: the checking
    // (CRCs, most of the time) and the sink are compiled apart, and each runs faster on its own.
    pos = this.scan(chunk, pos, problems);
    if (this.foundCount > 0) {
      sink(chunk, this.found, this.foundCount, this.anyUnchecked ? this.uncheckedFlags : undefined);
    }
    if (this.failed || pos === chunk.length) return problems;
    // 3. Keep the incomplete tail for the next push. Reserve only what is here: a length is only as
    // good as its CRC, and allocating a huge claimed size up front could fail.
    const left = chunk.length - pos;
    this.reserve(left);
    this.tail.set(chunk.subarray(pos), 0);
    this.pending = left;
    this.pendingSize = left >= HEADER ? this.checkedSize : 0;
    return problems;
  }

  /**
   * Checks the complete records of `chunk` from `pos` on and notes the good ones in `found` (payload
   * start, payload end, file offset); returns where the incomplete tail begins.
   */
  private scan(chunk: Uint8Array, pos: number, problems: ReadProblem[]): number {
    this.foundCount = 0;
    this.anyUnchecked = false;
    const deferFrom = this.deferPayloadCrcFrom;
    let found = this.found;
    while (chunk.length - pos >= HEADER) {
      const size = this.checkHeader(chunk, pos, problems);
      if (size < 0) return pos;
      if (chunk.length - pos < size) {
        this.checkedSize = size;
        return pos;
      }
      const start = pos + HEADER;
      const end = pos + size - 4;
      const stored =
        (chunk[end] | (chunk[end + 1] << 8) | (chunk[end + 2] << 16) | (chunk[end + 3] << 24)) >>> 0;
      const deferred = end - start >= deferFrom;
      if (deferred || maskedCrc32c(chunk, start, end) === stored) {
        this.records++;
        const n = this.foundCount++;
        const k = 3 * n;
        if (k + 3 > found.length) found = this.found = twiceAsLong(found);
        found[k] = start;
        found[k + 1] = end;
        found[k + 2] = this.offset;
        if (n >= this.uncheckedFlags.length) {
          const flags = new Uint8Array(2 * this.uncheckedFlags.length);
          flags.set(this.uncheckedFlags);
          this.uncheckedFlags = flags;
        }
        this.uncheckedFlags[n] = deferred ? 1 : 0;
        if (deferred) this.anyUnchecked = true;
      } else this.badPayload(problems, this.offset, size);
      this.offset += size;
      pos += size;
    }
    return pos;
  }

  /**
   * No more bytes for now. Reports a truncated last record only when `final` (the file is complete);
   * the tail is kept either way, so bytes pushed later still complete it.
   */
  end(final: boolean): ReadProblem[] {
    if (!final || this.failed || this.pending === 0) return [];
    const expected = this.pendingSize > 0 ? `${this.pendingSize}` : "at least 16";
    return [
      {
        path: this.path,
        offset: this.offset,
        message: `file ends inside a record at byte ${this.offset}: ${this.pending} of ${expected} bytes present (truncated record, not read)`,
        fatal: false,
      },
    ];
  }

  /** Checks the length CRC of the header at `bytes[at]`; returns the whole record size, or -1 (fatal). */
  private checkHeader(bytes: Uint8Array, at: number, problems: ReadProblem[]): number {
    const lo = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
    const hi = (bytes[at + 4] | (bytes[at + 5] << 8) | (bytes[at + 6] << 16) | (bytes[at + 7] << 24)) >>> 0;
    const stored =
      (bytes[at + 8] | (bytes[at + 9] << 8) | (bytes[at + 10] << 16) | (bytes[at + 11] << 24)) >>> 0;
    if (maskedCrc32c(bytes, at, at + 8) !== stored) {
      return this.fail(problems, `record at byte ${this.offset}: length CRC mismatch`);
    }
    if (hi !== 0 || lo > MAX_PAYLOAD) {
      const length = hi * 2 ** 32 + lo;
      return this.fail(problems, `record at byte ${this.offset}: length ${length} is too large to read`);
    }
    return lo + RECORD_OVERHEAD;
  }

  private fail(problems: ReadProblem[], why: string): -1 {
    this.failed = true;
    this.pending = 0;
    this.pendingSize = 0;
    problems.push({
      path: this.path,
      offset: this.offset,
      message: `${why}; framing cannot be trusted past it, the rest of the file is not read`,
      fatal: true,
    });
    return -1;
  }

  /** Verifies the payload CRC of the record `bytes[at, at + size)` and hands it on, or skips it. */
  private deliver(bytes: Uint8Array, at: number, size: number, sink: RecordsSink, problems: ReadProblem[]) {
    const start = at + HEADER;
    const end = at + size - 4;
    const stored =
      (bytes[end] | (bytes[end + 1] << 8) | (bytes[end + 2] << 16) | (bytes[end + 3] << 24)) >>> 0;
    const offset = this.offset;
    this.offset += size;
    const deferred = end - start >= this.deferPayloadCrcFrom;
    if (!deferred && maskedCrc32c(bytes, start, end) !== stored) {
      this.badPayload(problems, offset, size);
      return;
    }
    this.records++;
    const one = this.one;
    one[0] = start;
    one[1] = end;
    one[2] = offset;
    this.oneUnchecked[0] = 1;
    sink(bytes, one, 1, deferred ? this.oneUnchecked : undefined);
  }

  /**
   * Checks the payload CRC of a record handed on unchecked (its payload `bytes[start, end)`, followed by
   * the stored CRC, as lent to the sink); a mismatch is reported and counted as it would have been here.
   */
  checkPayload(
    bytes: Uint8Array,
    start: number,
    end: number,
    offset: number,
    problems: ReadProblem[],
  ): boolean {
    const stored =
      (bytes[end] | (bytes[end + 1] << 8) | (bytes[end + 2] << 16) | (bytes[end + 3] << 24)) >>> 0;
    if (maskedCrc32c(bytes, start, end) === stored) return true;
    this.records--;
    this.badPayload(problems, offset, end - start + RECORD_OVERHEAD);
    return false;
  }

  private badPayload(problems: ReadProblem[], offset: number, size: number): void {
    this.badRecords++;
    problems.push({
      path: this.path,
      offset,
      message: `record at byte ${offset} (${size} bytes): payload CRC mismatch, record skipped`,
      fatal: false,
    });
  }

  /** Grows the tail buffer to hold `n` bytes, keeping what it holds. */
  private reserve(n: number) {
    if (n <= this.tail.length) return;
    const bigger = new Uint8Array(Math.max(n, this.tail.length * 2));
    bigger.set(this.tail.subarray(0, this.pending));
    this.tail = bigger;
  }
}

/** `a` copied into an array twice as long. */
function twiceAsLong(a: Float64Array): Float64Array {
  const out = new Float64Array(a.length * 2);
  out.set(a);
  return out;
}
