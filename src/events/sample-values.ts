/**
 * The images and audio clips a trainer logs, read from a Summary.Value without copying their bytes: each
 * sample is a span of the record (`bytes[start, end)`, the encoded PNG or audio file) and what the value
 * says about it. Three forms exist in the wild:
 * - Summary.Value.image (field 4): height=1, width=2, colorspace=3, encoded_image_string=4 (PNG), as
 *   PyTorch's `add_image` and TF1's `tf.summary.image` write it;
 * - Summary.Value.audio (field 6): sample_rate=1 (float), num_channels=2, length_frames=3,
 *   encoded_audio_string=4, content_type=5, as PyTorch's `add_audio` and TF1 write it;
 * - a string tensor (Summary.Value.tensor, field 8) under the "images" plugin ([width, height, png, ...],
 *   TF2's `tf.summary.image`, one value holding up to max_outputs images) or the "audio" plugin (a [k, 2]
 *   tensor of rows [encoded audio, label], TF2's `tf.summary.audio`; the sample rate is only in the
 *   WAV header, read here).
 * Garbled bytes throw WireError, as everywhere in this layer; the parser turns that into a problem.
 */
import { WireError, WireReader, WireType } from "./wire-reader.ts";

export type SampleKind = "image" | "audio";

/** One image or clip of a Summary.Value: its encoded bytes are `bytes[start, end)` of the record. */
export interface SampleValue {
  kind: SampleKind;
  start: number;
  end: number;
  width?: number;
  height?: number;
  /** Summary.Image.colorspace: 1 grayscale, 2 grayscale + alpha, 3 RGB, 4 RGBA. */
  colorspace?: number;
  sampleRate?: number;
  channels?: number;
  frames?: number;
  /** The content type the value declares (Summary.Audio.content_type), as written. */
  declaredType?: string;
  /** A TF2 audio clip's label, when not empty. */
  label?: string;
}

/** TensorFlow's DT_STRING (types.proto). */
const DT_STRING = 7;
const utf8 = new TextDecoder();

/** A Summary.Value.image message in `bytes[start, end)`; undefined when it holds no encoded image. */
export function readImageValue(bytes: Uint8Array, start: number, end: number): SampleValue | undefined {
  const r = new WireReader(bytes, start, end);
  const out: SampleValue = { kind: "image", start: -1, end: -1 };
  while (!r.done) {
    const key = r.key();
    if (key === ((1 << 3) | WireType.Varint)) out.height = r.varint();
    else if (key === ((2 << 3) | WireType.Varint)) out.width = r.varint();
    else if (key === ((3 << 3) | WireType.Varint)) out.colorspace = r.varint();
    else if (key === ((4 << 3) | WireType.LengthDelimited)) {
      out.end = r.lengthDelimited();
      out.start = r.pos;
      r.pos = out.end;
    } else r.skip(key);
  }
  return out.end > out.start ? out : undefined;
}

/** A Summary.Value.audio message in `bytes[start, end)`; undefined when it holds no encoded audio. */
export function readAudioValue(bytes: Uint8Array, start: number, end: number): SampleValue | undefined {
  const r = new WireReader(bytes, start, end);
  const out: SampleValue = { kind: "audio", start: -1, end: -1 };
  while (!r.done) {
    const key = r.key();
    if (key === ((1 << 3) | WireType.Fixed32)) out.sampleRate = r.float();
    else if (key === ((2 << 3) | WireType.Varint)) out.channels = r.varint();
    else if (key === ((3 << 3) | WireType.Varint)) out.frames = r.varint();
    else if (key === ((4 << 3) | WireType.LengthDelimited)) {
      out.end = r.lengthDelimited();
      out.start = r.pos;
      r.pos = out.end;
    } else if (key === ((5 << 3) | WireType.LengthDelimited)) {
      const typeEnd = r.lengthDelimited();
      out.declaredType = utf8.decode(bytes.subarray(r.pos, typeEnd));
      r.pos = typeEnd;
    } else r.skip(key);
  }
  if (!(out.end > out.start)) return undefined;
  if (out.sampleRate === undefined || out.sampleRate <= 0)
    Object.assign(out, wavInfo(bytes, out.start, out.end));
  return out;
}

/**
 * The samples of a string tensor (`bytes[start, end)`, a TensorProto) of the "images" or "audio" plugin:
 * none when the tensor is not a string tensor of that plugin's shape.
 */
export function readTensorSamples(
  bytes: Uint8Array,
  start: number,
  end: number,
  plugin: "images" | "audio",
): SampleValue[] {
  const r = new WireReader(bytes, start, end);
  let dtype = 0;
  const strings: number[] = [];
  while (!r.done) {
    const key = r.key();
    if (key === ((1 << 3) | WireType.Varint)) dtype = r.varint();
    else if (key === ((8 << 3) | WireType.LengthDelimited)) {
      const stringEnd = r.lengthDelimited();
      strings.push(r.pos, stringEnd);
      r.pos = stringEnd;
    } else r.skip(key);
  }
  if (dtype !== DT_STRING) return [];
  const text = (i: number) => utf8.decode(bytes.subarray(strings[2 * i], strings[2 * i + 1]));
  const out: SampleValue[] = [];
  const n = strings.length / 2;
  if (plugin === "images") {
    if (n < 2) return [];
    const width = Number(text(0));
    const height = Number(text(1));
    for (let i = 2; i < n; i++) {
      const s = strings[2 * i];
      const e = strings[2 * i + 1];
      if (e <= s) continue;
      const image: SampleValue = { kind: "image", start: s, end: e };
      if (Number.isInteger(width) && width > 0) image.width = width;
      if (Number.isInteger(height) && height > 0) image.height = height;
      out.push(image);
    }
    return out;
  }
  if (n % 2 !== 0) throw new WireError(`audio tensor of ${n} strings: not rows of [audio, label]`);
  for (let i = 0; i < n; i += 2) {
    const s = strings[2 * i];
    const e = strings[2 * i + 1];
    if (e <= s) continue;
    const clip: SampleValue = { kind: "audio", start: s, end: e, ...wavInfo(bytes, s, e) };
    const label = text(i + 1);
    if (label !== "") clip.label = label;
    out.push(clip);
  }
  return out;
}

/**
 * Sample rate, channels and frames from a RIFF/WAVE header at `bytes[start, end)`: its `fmt ` chunk,
 * and the `data` chunk's size. Nothing for another format or a header cut short.
 */
export function wavInfo(
  bytes: Uint8Array,
  start: number,
  end: number,
): Pick<SampleValue, "sampleRate" | "channels" | "frames"> {
  const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  const u32 = (at: number) =>
    (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  if (end - start < 12 || tag(start) !== "RIFF" || tag(start + 8) !== "WAVE") return {};
  let at = start + 12;
  let channels = 0;
  let sampleRate = 0;
  let blockAlign = 0;
  // A few chunks at most come before `data` (fmt, LIST, fact): a bounded walk, not a loop on bad sizes.
  for (let chunk = 0; chunk < 16 && end - at >= 8; chunk++) {
    const id = tag(at);
    const size = u32(at + 4);
    if (id === "fmt " && end - at >= 24) {
      channels = u16(at + 10);
      sampleRate = u32(at + 12);
      blockAlign = u16(at + 20);
    } else if (id === "data" && sampleRate > 0) {
      const frames = blockAlign > 0 ? Math.floor(Math.min(size, end - at - 8) / blockAlign) : undefined;
      return { sampleRate, channels, ...(frames !== undefined ? { frames } : {}) };
    }
    at += 8 + size + (size & 1);
  }
  return sampleRate > 0 ? { sampleRate, channels } : {};
}
