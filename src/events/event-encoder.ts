import { DT_DOUBLE, DT_FLOAT } from "./tensor-scalar.ts";
import { WireWriter } from "./wire-writer.ts";

/**
 * The ways a scalar can be written, one per writer that exists in the wild:
 * - "simple_value": Summary.Value.simple_value float (PyTorch's default, TF1);
 * - "float_val" / "double_val": a tensor with a one-element typed list (PyTorch `new_style=True`,
 *   with `double_precision` for the latter);
 * - "tensor_content_float" / "tensor_content_double": a scalar tensor whose raw little-endian bytes are
 *   in tensor_content (TF2 `tf.summary.scalar`).
 * Tensor encodings carry SummaryMetadata with plugin_name "scalars", as their writers do.
 */
export type ScalarWriteEncoding =
  | "simple_value"
  | "float_val"
  | "double_val"
  | "tensor_content_float"
  | "tensor_content_double";

export interface ScalarToEncode {
  tag: string;
  value: number;
  /** Default "simple_value". */
  encoding?: ScalarWriteEncoding;
}

export interface EventToEncode {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  scalars?: ScalarToEncode[];
}

/** DataClass.DATA_CLASS_SCALAR of summary.proto, which TF2 sets on scalar metadata. */
const DATA_CLASS_SCALAR = 1;

/** Serializes an Event (wall_time=1, step=2, file_version=3, summary=5) holding the given scalars. */
export function encodeEvent(event: EventToEncode): Uint8Array {
  const w = new WireWriter().double(1, event.wallTime);
  if (event.step !== undefined && event.step !== 0) w.int64(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  const scalars = event.scalars ?? [];
  if (scalars.length > 0) {
    w.message(5, (summary) => {
      for (const s of scalars) summary.message(1, (value) => writeValue(value, s));
    });
  }
  return w.finish();
}

/** One Summary.Value: tag=1, then simple_value=2, or tensor=8 with metadata=9. */
function writeValue(w: WireWriter, s: ScalarToEncode) {
  w.string(1, s.tag);
  const encoding = s.encoding ?? "simple_value";
  switch (encoding) {
    case "simple_value":
      w.float(2, s.value);
      return;
    case "float_val":
      // proto3 packs repeated numbers, so PyTorch's one-element float_val is a 4-byte packed list.
      w.message(8, (t) => t.int64(1, DT_FLOAT).bytes(5, float32Bytes(s.value)));
      break;
    case "double_val":
      w.message(8, (t) => t.int64(1, DT_DOUBLE).bytes(6, float64Bytes(s.value)));
      break;
    case "tensor_content_float":
      // An empty tensor_shape message (no dims) is how TF2 marks a rank-0 tensor.
      w.message(8, (t) => t.int64(1, DT_FLOAT).bytes(2, new Uint8Array(0)).bytes(4, float32Bytes(s.value)));
      break;
    case "tensor_content_double":
      w.message(8, (t) => t.int64(1, DT_DOUBLE).bytes(2, new Uint8Array(0)).bytes(4, float64Bytes(s.value)));
      break;
  }
  w.message(9, (metadata) => {
    metadata.message(1, (pluginData) => pluginData.string(1, "scalars"));
    if (encoding.startsWith("tensor_content")) metadata.int64(4, DATA_CLASS_SCALAR);
  });
}

function float32Bytes(v: number): Uint8Array {
  const raw = new Uint8Array(4);
  new DataView(raw.buffer).setFloat32(0, v, true);
  return raw;
}

function float64Bytes(v: number): Uint8Array {
  const raw = new Uint8Array(8);
  new DataView(raw.buffer).setFloat64(0, v, true);
  return raw;
}
