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

/**
 * An image or audio value, in one of the forms writers use (see sample-values.ts):
 * - "image": Summary.Value.image (PyTorch `add_image`, TF1), one encoded image;
 * - "audio": Summary.Value.audio (PyTorch `add_audio`, TF1), one encoded clip with its content type;
 * - "tensor_images": TF2 `tf.summary.image`, a string tensor [width, height, image...];
 * - "tensor_audio": TF2 `tf.summary.audio`, a string tensor of rows [clip, label].
 * Tensor forms carry the plugin's metadata only when `metadata` is true, as TF2 writes it on a tag's
 * first event alone.
 */
export type SampleToEncode =
  | { form: "image"; tag: string; png: Uint8Array; width: number; height: number; colorspace?: number }
  | {
      form: "audio";
      tag: string;
      audio: Uint8Array;
      sampleRate: number;
      channels?: number;
      frames?: number;
      contentType?: string;
    }
  | {
      form: "tensor_images";
      tag: string;
      images: Uint8Array[];
      width: number;
      height: number;
      metadata?: boolean;
    }
  | { form: "tensor_audio"; tag: string; clips: { audio: Uint8Array; label?: string }[]; metadata?: boolean };

export interface EventToEncode {
  wallTime: number;
  step?: number;
  fileVersion?: string;
  scalars?: ScalarToEncode[];
  /** Written after the scalars, in the same Summary. */
  samples?: SampleToEncode[];
}

/** DataClass.DATA_CLASS_SCALAR of summary.proto, which TF2 sets on scalar metadata. */
const DATA_CLASS_SCALAR = 1;
/** DataClass.DATA_CLASS_BLOB_SEQUENCE: what TF2 sets on images and audio. */
const DATA_CLASS_BLOB_SEQUENCE = 3;
const DT_STRING = 7;
const utf8 = new TextEncoder();

/** Serializes an Event (wall_time=1, step=2, file_version=3, summary=5) holding the given scalars. */
export function encodeEvent(event: EventToEncode): Uint8Array {
  const w = new WireWriter().double(1, event.wallTime);
  if (event.step !== undefined && event.step !== 0) w.int64(2, event.step);
  if (event.fileVersion !== undefined) w.string(3, event.fileVersion);
  const scalars = event.scalars ?? [];
  const samples = event.samples ?? [];
  if (scalars.length > 0 || samples.length > 0) {
    w.message(5, (summary) => {
      for (const s of scalars) summary.message(1, (value) => writeValue(value, s));
      for (const s of samples) summary.message(1, (value) => writeSample(value, s));
    });
  }
  return w.finish();
}

/** One Summary.Value holding an image or audio value (field numbers in sample-values.ts). */
function writeSample(w: WireWriter, s: SampleToEncode) {
  w.string(1, s.tag);
  switch (s.form) {
    case "image":
      w.message(4, (image) => {
        image
          .int64(1, s.height)
          .int64(2, s.width)
          .int64(3, s.colorspace ?? 3);
        image.bytes(4, s.png);
      });
      return;
    case "audio":
      w.message(6, (audio) => {
        audio.float(1, s.sampleRate).int64(2, s.channels ?? 1);
        if (s.frames !== undefined) audio.int64(3, s.frames);
        audio.bytes(4, s.audio).string(5, s.contentType ?? "audio/wav");
      });
      return;
    case "tensor_images": {
      const strings = [utf8.encode(String(s.width)), utf8.encode(String(s.height)), ...s.images];
      w.message(8, (t) => stringTensor(t, [strings.length], strings));
      if (s.metadata) w.message(9, (m) => pluginMetadata(m, "images"));
      return;
    }
    case "tensor_audio": {
      const strings = s.clips.flatMap((c) => [c.audio, utf8.encode(c.label ?? "")]);
      w.message(8, (t) => stringTensor(t, [s.clips.length, 2], strings));
      if (s.metadata) w.message(9, (m) => pluginMetadata(m, "audio"));
      return;
    }
  }
}

/** A TensorProto of DT_STRING with the given shape (dim=2 { size=1 }) and string_val=8. */
function stringTensor(t: WireWriter, shape: number[], strings: Uint8Array[]) {
  t.int64(1, DT_STRING);
  t.message(2, (s) => {
    for (const size of shape) s.message(2, (dim) => dim.int64(1, size));
  });
  for (const b of strings) t.bytes(8, b);
}

function pluginMetadata(m: WireWriter, plugin: string) {
  m.message(1, (pluginData) => pluginData.string(1, plugin));
  m.int64(4, DATA_CLASS_BLOB_SEQUENCE);
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
