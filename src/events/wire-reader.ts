/**
 * A minimal protobuf wire-format reader over `bytes[start, end)`: just what Event decoding needs
 * (varints, fixed 32/64-bit, length-delimited fields) and skipping of every wire type, groups included,
 * so unknown fields never stop decoding.
 *
 * Bad bytes throw WireError; the event decoder catches it at its edge and turns it into a problem, so
 * nothing escapes past that layer.
 */

export class WireError extends Error {}

export const WireType = {
  Varint: 0,
  Fixed64: 1,
  LengthDelimited: 2,
  StartGroup: 3,
  EndGroup: 4,
  Fixed32: 5,
} as const;

// Scratch memory to turn 4 or 8 bytes into a float without a DataView per message. Typed arrays use the
// platform's byte order and protobuf is little-endian: every platform Node 20 ships on is little-endian.
const scratch = new Uint8Array(8);
const scratchF32 = new Float32Array(scratch.buffer, 0, 1);
const scratchF64 = new Float64Array(scratch.buffer, 0, 1);

/** The IEEE float32 stored little-endian at `bytes[at]` (the caller has checked the bounds). */
export function float32At(bytes: Uint8Array, at: number): number {
  scratch[0] = bytes[at];
  scratch[1] = bytes[at + 1];
  scratch[2] = bytes[at + 2];
  scratch[3] = bytes[at + 3];
  return scratchF32[0];
}

/** The IEEE float64 stored little-endian at `bytes[at]` (the caller has checked the bounds). */
export function float64At(bytes: Uint8Array, at: number): number {
  // Unrolled: every event's wall_time passes here.
  scratch[0] = bytes[at];
  scratch[1] = bytes[at + 1];
  scratch[2] = bytes[at + 2];
  scratch[3] = bytes[at + 3];
  scratch[4] = bytes[at + 4];
  scratch[5] = bytes[at + 5];
  scratch[6] = bytes[at + 6];
  scratch[7] = bytes[at + 7];
  return scratchF64[0];
}

export class WireReader {
  pos: number;

  /**
   * Where the message being read ends. Nested messages are read with the same reader by narrowing `end`
   * to the field's content (see `enter`), which spares an allocation per nested message.
   */
  end: number;

  bytes: Uint8Array;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
  }

  /** Points the reader at another message, so one reader serves a whole stream of them. */
  reset(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.pos = start;
    this.end = end;
    return this;
  }

  /**
   * Reads a length prefix and narrows the reader to that field's content; returns the outer end, to be
   * given back to `leave` once the content has been read.
   */
  enter(): number {
    const contentEnd = this.lengthDelimited();
    const outer = this.end;
    this.end = contentEnd;
    return outer;
  }

  /** Widens the reader back to the outer message after `enter`, past the nested content. */
  leave(outer: number): void {
    this.pos = this.end;
    this.end = outer;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** Reads a field key; returns `field * 8 + wireType` (field = key >>> 3, wire type = key & 7). */
  key(): number {
    // Keys of fields 1-15 are one byte: the common case, read without the general varint loop.
    const pos = this.pos;
    if (pos < this.end) {
      const b = this.bytes[pos];
      if (b < 0x80 && b >= 8) {
        this.pos = pos + 1;
        return b;
      }
    }
    const key = this.varint();
    if (key < 8 || key > 0xffffffff) throw new WireError(`invalid field key ${key} at byte ${this.pos}`);
    return key;
  }

  /**
   * A varint read as a signed 64-bit integer (int64 semantics: ten bytes with the top bit set are a
   * negative number). Exact up to 2^53, which covers every step and length a log holds.
   */
  varint(): number {
    let b = this.byte();
    if (b < 0x80) return b;
    let lo = b & 0x7f;
    // Bytes 2-4 fill bits 7..27 of the low word.
    for (let shift = 7; shift < 28; shift += 7) {
      b = this.byte();
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return lo;
    }
    // Byte 5 straddles the two 32-bit words: 4 bits low, 3 bits high.
    b = this.byte();
    lo = (lo | ((b & 0x0f) << 28)) >>> 0;
    let hi = (b & 0x7f) >>> 4;
    if (b < 0x80) return hi * 4294967296 + lo;
    for (let shift = 3; shift < 32; shift += 7) {
      b = this.byte();
      hi |= (b & 0x7f) << shift;
      if (b < 0x80) return (hi | 0) * 4294967296 + lo;
    }
    throw new WireError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads a length prefix and returns where the field's content ends; `pos` is then at its start. */
  lengthDelimited(): number {
    const length = this.varint();
    if (length < 0 || length > this.end - this.pos) {
      throw new WireError(`length ${length} at byte ${this.pos} runs past the end (${this.end})`);
    }
    return this.pos + length;
  }

  float(): number {
    this.need(4);
    const v = float32At(this.bytes, this.pos);
    this.pos += 4;
    return v;
  }

  double(): number {
    this.need(8);
    const v = float64At(this.bytes, this.pos);
    this.pos += 8;
    return v;
  }

  /** Skips the value of a field of the given wire type; `key` is needed to match a group's end. */
  skip(key: number): void {
    switch (key & 7) {
      case WireType.Varint:
        this.varint();
        return;
      case WireType.Fixed64:
        this.need(8);
        this.pos += 8;
        return;
      case WireType.LengthDelimited:
        this.pos = this.lengthDelimited();
        return;
      case WireType.Fixed32:
        this.need(4);
        this.pos += 4;
        return;
      case WireType.StartGroup: {
        // Deprecated groups: fields until the matching end-group key. Nesting is tracked with a stack,
        // not recursion, so a record of nothing but start-group keys cannot overflow the call stack.
        const ends = [(key & ~7) | WireType.EndGroup];
        while (ends.length > 0) {
          if (this.done) throw new WireError(`group of field ${key >>> 3} never ends`);
          const inner = this.key();
          const wire = inner & 7;
          if (inner === ends[ends.length - 1]) ends.pop();
          else if (wire === WireType.StartGroup) ends.push((inner & ~7) | WireType.EndGroup);
          else if (wire === WireType.EndGroup) throw new WireError(`unmatched end of group ${inner >>> 3}`);
          else this.skip(inner);
        }
        return;
      }
      default:
        throw new WireError(`unexpected wire type ${key & 7} (field ${key >>> 3}) at byte ${this.pos}`);
    }
  }

  private byte(): number {
    if (this.pos >= this.end) throw new WireError(`message ends inside a varint at byte ${this.pos}`);
    return this.bytes[this.pos++];
  }

  private need(n: number) {
    if (this.end - this.pos < n)
      throw new WireError(`message ends inside a ${n}-byte field at byte ${this.pos}`);
  }
}
