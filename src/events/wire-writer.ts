import { WireType } from "./wire-reader.ts";

const utf8 = new TextEncoder();

/**
 * A minimal protobuf wire-format writer: the mirror of WireReader for the fields events use. Nested
 * messages are written by encoding the child first and adding it as bytes, which is simple and cheap at
 * the sizes of a scalar event.
 */
export class WireWriter {
  private buf = new Uint8Array(64);
  private pos = 0;
  private view = new DataView(this.buf.buffer);

  /** A signed 64-bit integer field (negative numbers take ten bytes, as int64 does). */
  int64(field: number, n: number): this {
    this.key(field, WireType.Varint);
    return this.varint(n);
  }

  double(field: number, v: number): this {
    this.key(field, WireType.Fixed64);
    this.reserve(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  float(field: number, v: number): this {
    this.key(field, WireType.Fixed32);
    this.reserve(4);
    this.view.setFloat32(this.pos, v, true);
    this.pos += 4;
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
    return this.bytes(field, utf8.encode(s));
  }

  /** A nested message field, built by `fill` on a fresh writer. */
  message(field: number, fill: (w: WireWriter) => void): this {
    const child = new WireWriter();
    fill(child);
    return this.bytes(field, child.finish());
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
    if (!Number.isSafeInteger(n)) throw new RangeError(`varint needs a safe integer, got ${n}`);
    let hi = Math.floor(n / 4294967296) >>> 0;
    let lo = n >>> 0;
    this.reserve(10);
    while (hi !== 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
    return this;
  }

  private reserve(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const bigger = new Uint8Array(Math.max(this.pos + n, this.buf.length * 2));
    bigger.set(this.buf.subarray(0, this.pos));
    this.buf = bigger;
    this.view = new DataView(bigger.buffer);
  }
}
