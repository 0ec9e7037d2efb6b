/**
 * A run's samples (the images and audio clips its event files log) as an index, never as bytes: where
 * each one lies in its file and what it is. Reading a logdir of a gigabyte of spectrograms costs memory
 * for the index alone; a payload is read from its file when asked for (sample-payload.ts).
 */
import type { SampleKind, SampleValue } from "../events/sample-values.ts";

export type { SampleKind } from "../events/sample-values.ts";

/** One logged image or clip. */
export interface SampleEntry {
  /** The source tag, as logged ("slice/mel_gen", "gen/audio", "generated/y_hat_0"). */
  tag: string;
  kind: SampleKind;
  step: number;
  wallTime: number;
  /** The event file holding it. */
  file: string;
  /** Where its encoded bytes (the PNG, the WAV) begin in the file, and how many there are. */
  offset: number;
  length: number;
  /** The TFRecord holding it: its first byte in the file and its whole size, to check its CRC again. */
  recordOffset: number;
  recordLength: number;
  /** What a browser is told it is: image/png, audio/wav, ... (see sampleContentType). */
  contentType: string;
  width?: number;
  height?: number;
  sampleRate?: number;
  channels?: number;
  frames?: number;
  label?: string;
}

/** The samples of one tag, in step order (several per step when a value holds a batch). */
export interface SampleTrack {
  tag: string;
  kind: SampleKind;
  entries: SampleEntry[];
}

/**
 * Content types a sample may be served as: the page shows them in <img> and <audio>, so nothing that
 * a browser would run or render as a document (a declared "text/html" is no audio) is ever let through.
 */
const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const AUDIO_TYPES = new Set([
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/vnd.wave",
  "audio/ogg",
  "audio/flac",
  "audio/mpeg",
  "audio/mp4",
  "audio/webm",
]);
/** Served when neither the bytes nor the declared type say what a sample is: the browser shows nothing. */
export const UNKNOWN_TYPE = "application/octet-stream";

/**
 * The content type of a sample: the audio's declared type when it is a known audio type, else what its
 * first bytes say (PNG, JPEG, GIF, WebP; WAV, Ogg, FLAC, MP3), else UNKNOWN_TYPE.
 */
export function sampleContentType(kind: SampleKind, head: Uint8Array, declared?: string): string {
  const type = declared?.trim().toLowerCase();
  if (kind === "audio" && type !== undefined && AUDIO_TYPES.has(type)) return type;
  const sniffed = sniff(head);
  if (sniffed === undefined) return UNKNOWN_TYPE;
  return (kind === "image" ? IMAGE_TYPES : AUDIO_TYPES).has(sniffed) ? sniffed : UNKNOWN_TYPE;
}

function sniff(b: Uint8Array): string | undefined {
  const ascii = (at: number, text: string) => {
    for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
    return true;
  };
  if (b[0] === 0x89 && ascii(1, "PNG")) return "image/png";
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image/jpeg";
  if (ascii(0, "GIF8")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (ascii(0, "RIFF") && ascii(8, "WAVE")) return "audio/wav";
  if (ascii(0, "OggS")) return "audio/ogg";
  if (ascii(0, "fLaC")) return "audio/flac";
  if (ascii(0, "ID3") || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return "audio/mpeg";
  return undefined;
}

/**
 * The entry of a sample read from a record: `value`'s span is in `bytes`, whose record payload begins at
 * `payloadStart` and whose record begins at file byte `recordOffset` (12 header bytes before the payload).
 */
export function sampleEntry(
  tag: string,
  step: number,
  wallTime: number,
  file: string,
  bytes: Uint8Array,
  payloadStart: number,
  payloadEnd: number,
  recordOffset: number,
  value: SampleValue,
): SampleEntry {
  const entry: SampleEntry = {
    tag,
    kind: value.kind,
    step,
    wallTime,
    file,
    offset: recordOffset + 12 + (value.start - payloadStart),
    length: value.end - value.start,
    recordOffset,
    recordLength: payloadEnd - payloadStart + 16,
    contentType: sampleContentType(
      value.kind,
      bytes.subarray(value.start, Math.min(value.end, value.start + 12)),
      value.declaredType,
    ),
  };
  for (const key of ["width", "height", "sampleRate", "channels", "frames", "label"] as const) {
    if (value[key] !== undefined) (entry as unknown as Record<string, unknown>)[key] = value[key];
  }
  return entry;
}

/**
 * Entries grouped by (tag, kind), tags in name order, each track in step order and file order within a
 * step. `entries` are in file order, the run's files in their order.
 */
export function sampleTracks(entries: readonly SampleEntry[]): SampleTrack[] {
  const byTag = new Map<string, SampleTrack>();
  for (const e of entries) {
    const key = `${e.tag}\u0000${e.kind}`;
    let track = byTag.get(key);
    if (track === undefined) {
      track = { tag: e.tag, kind: e.kind, entries: [] };
      byTag.set(key, track);
    }
    track.entries.push(e);
  }
  const tracks = [...byTag.values()].sort(
    (a, b) =>
      (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0) || (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0),
  );
  // Sorting is stable: samples of one step keep the order they were logged in.
  for (const t of tracks) t.entries.sort((a, b) => a.step - b.step);
  return tracks;
}

/** The distinct steps of a track, ascending. */
export function trackSteps(track: SampleTrack): number[] {
  const steps: number[] = [];
  for (const e of track.entries) if (steps.at(-1) !== e.step) steps.push(e.step);
  return steps;
}

/** What a report says of a track: no bytes, no places. */
export interface TrackSummary {
  tag: string;
  kind: SampleKind;
  /** Samples logged (several per step when a value holds a batch). */
  count: number;
  /** The distinct steps, ascending. */
  steps: number[];
}

export function trackSummary(track: SampleTrack): TrackSummary {
  return { tag: track.tag, kind: track.kind, count: track.entries.length, steps: trackSteps(track) };
}
