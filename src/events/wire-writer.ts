import { WireType } from "./wire-reader.ts";

const utf8 = new TextEncoder();

// Floats go through typed-array scratch memory (little-endian, as protobuf and every Node 20 platform):
// a DataView per writer would cost more than the event it writes.
const scratch = new Uint8Array(8);
const scratchF32 = new Float32Array(scratch.buffer, 0, 1);
const scratchF64 = new Float64Array(scratch.buffer, 0, 1);

/** Tags repeat every step: their UTF-8 bytes are kept (up to a bound, in case names never repeat). */
const encodedStrings = new Map<string, Uint8Array>();

function utf8Bytes(s: string): Uint8Array {
  let bytes = encodedStrings.get(s);
  if (bytes === undefined) {
    bytes = utf8.encode(s);
    if (encodedStrings.size >= 4096) encodedStrings.clear();
    encodedStrings.set(s, bytes);
  }
  return bytes;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/**
 * A minimal protobuf wire-format writer: the mirror of WireReader for the fields events use.
 */
export class WireWriter {
  private buf = new Uint8Array(64);
  private pos = 0;

  /** A signed 64-bit integer field (negative numbers take ten bytes, as int64 does). */
  int64(field: number, n: number): this {
    this.key(field, WireType.Varint);
    return this.varint(n);
  }

  double(field: number, v: number): this {
    this.key(field, WireType.Fixed64);
    this.reserve(8);
    scratchF64[0] = v;
    for (let i = 0; i < 8; i++) this.buf[this.pos++] = scratch[i];
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WireType.Fixed32);
    this.reserve(4);
    scratchF32[0] = v;
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = scratch[i];
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.key(field, WireType.LengthDelimited);
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8Bytes(s));
  }

  /**
   * A nested message field, written by `fill` into this same buffer: one length byte is reserved and the
   * content moved along in the rare case its length needs more, so no child writer is allocated.
   */
  message(field: number, fill: (w: WireWriter) => void): this {
    this.key(field, WireType.LengthDelimited);
    this.reserve(1);
    const lengthAt = this.pos++;
    fill(this);
    const length = this.pos - lengthAt - 1;
    if (length < 0x80) {
      this.buf[lengthAt] = length;
      return this;
    }
    const extra = varintSize(length) - 1;
    this.reserve(extra);
    this.buf.copyWithin(lengthAt + 1 + extra, lengthAt + 1, this.pos);
    this.pos += extra;
    putVarint(this.buf, lengthAt, length);
    return this;
  }

  /** The bytes written so far, as a new array. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** Writes a field key for `field` and wire type `wire`. */
  key(field: number, wire: number): this {
    return this.varint(field * 8 + wire);
  }

  /** Writes an integer (exact up to 2^53 in magnitude) as a varint, two's complement when negative. */
  varint(n: number): this {
    this.reserve(10);
    this.pos = putVarint(this.buf, this.pos, n);
    return this;
  }

  private reserve(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.pos + n, this.buf.length * 2));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
  }
}

/** Writes `n` as a varint at `buf[at]` (room for 10 bytes checked by the caller); returns the end. */
function putVarint(buf: Uint8Array, at: number, n: number): number {
  if (!Number.isSafeInteger(n)) throw new RangeError(`varint needs a safe integer, got ${n}`);
  let hi = Math.floor(n / 4294967296) >>> 0;
  let lo = n >>> 0;
  while (hi !== 0 || lo > 0x7f) {
    buf[at++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  buf[at++] = lo;
  return at;
}
