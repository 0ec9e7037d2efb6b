import { float32At, float64At, WireError, WireReader, WireType } from "./wire-reader.ts";

/** TensorFlow dtype enum values a scalar can have (types.proto). */
export const DT_FLOAT = 1;
export const DT_DOUBLE = 2;

/** How a tensor carried its one value: PyTorch new_style uses the typed lists, TF2 the raw content. */
export type TensorScalarEncoding = "float_val" | "double_val" | "tensor_content";

export interface TensorScalar {
  value: number;
  encoding: TensorScalarEncoding;
}

/**
 * Reads a TensorProto (`bytes[start, end)`) and returns its value when it is a single float or double,
 * else undefined (images, histograms, text and other tensors are not scalars; skipping them is not an
 * error). Garbled bytes throw WireError.
 *
 * TensorProto fields used: dtype=1, tensor_shape=2, tensor_content=4, float_val=5, double_val=6. When
 * tensor_content is present it holds the values (TensorFlow's rule); otherwise the typed list does.
 */
export function readTensorScalar(bytes: Uint8Array, start: number, end: number): TensorScalar | undefined {
  const r = new WireReader(bytes, start, end);
  let dtype = 0;
  let elements = 1;
  let content = -1;
  let contentLength = 0;
  let floats = 0;
  let floatAt = -1;
  let doubles = 0;
  let doubleAt = -1;
  while (!r.done) {
    const key = r.key();
    const field = key >>> 3;
    const wire = key & 7;
    if (field === 1 && wire === WireType.Varint) {
      dtype = r.varint();
    } else if (field === 2 && wire === WireType.LengthDelimited) {
      const shapeEnd = r.lengthDelimited();
      elements = countElements(bytes, r.pos, shapeEnd);
      r.pos = shapeEnd;
    } else if (field === 4 && wire === WireType.LengthDelimited) {
      const contentEnd = r.lengthDelimited();
      content = r.pos;
      contentLength = contentEnd - r.pos;
      r.pos = contentEnd;
    } else if (field === 5 && wire === WireType.Fixed32) {
      if (floats++ === 0) floatAt = r.pos;
      r.float();
    } else if (field === 5 && wire === WireType.LengthDelimited) {
      const listEnd = r.lengthDelimited();
      if ((listEnd - r.pos) % 4 !== 0) throw new WireError(`packed float_val of ${listEnd - r.pos} bytes`);
      if (floats === 0 && listEnd > r.pos) floatAt = r.pos;
      floats += (listEnd - r.pos) / 4;
      r.pos = listEnd;
    } else if (field === 6 && wire === WireType.Fixed64) {
      if (doubles++ === 0) doubleAt = r.pos;
      r.double();
    } else if (field === 6 && wire === WireType.LengthDelimited) {
      const listEnd = r.lengthDelimited();
      if ((listEnd - r.pos) % 8 !== 0) throw new WireError(`packed double_val of ${listEnd - r.pos} bytes`);
      if (doubles === 0 && listEnd > r.pos) doubleAt = r.pos;
      doubles += (listEnd - r.pos) / 8;
      r.pos = listEnd;
    } else {
      r.skip(key);
    }
  }
  if (elements !== 1) return undefined;
  if (dtype === DT_FLOAT) {
    if (content >= 0) {
      return contentLength === 4
        ? { value: float32At(bytes, content), encoding: "tensor_content" }
        : undefined;
    }
    return floats === 1 ? { value: float32At(bytes, floatAt), encoding: "float_val" } : undefined;
  }
  if (dtype === DT_DOUBLE) {
    if (content >= 0) {
      return contentLength === 8
        ? { value: float64At(bytes, content), encoding: "tensor_content" }
        : undefined;
    }
    return doubles === 1 ? { value: float64At(bytes, doubleAt), encoding: "double_val" } : undefined;
  }
  return undefined;
}

/**
 * Number of elements of a TensorShapeProto (dim=2 {size=1}, unknown_rank=3): the product of the dim
 * sizes, 1 for a scalar (no dims), -1 when unknown.
 */
function countElements(bytes: Uint8Array, start: number, end: number): number {
  const r = new WireReader(bytes, start, end);
  let elements = 1;
  while (!r.done) {
    const key = r.key();
    if (key === ((2 << 3) | WireType.LengthDelimited)) {
      const dimEnd = r.lengthDelimited();
      let size = 0;
      while (r.pos < dimEnd) {
        const dimKey = r.key();
        if (dimKey === ((1 << 3) | WireType.Varint)) size = r.varint();
        else r.skip(dimKey);
      }
      if (r.pos !== dimEnd) throw new WireError("tensor shape dim overruns its length");
      elements = size < 0 || elements < 0 ? -1 : elements * size;
    } else if (key === ((3 << 3) | WireType.Varint)) {
      if (r.varint() !== 0) elements = -1;
    } else {
      r.skip(key);
    }
  }
  return elements;
}
