import { StringCache } from "./string-cache.ts";
import { readTensorScalar } from "./tensor-scalar.ts";
import { WireError, WireReader, WireType } from "./wire-reader.ts";

/** How a scalar was stored: Summary.Value.simple_value, or a one-element tensor (see tensor-scalar.ts). */
export type ScalarEncoding = "simple_value" | "float_val" | "double_val" | "tensor_content";

export interface DecodedScalar {
  tag: string;
  value: number;
  encoding: ScalarEncoding;
  /** SummaryMetadata.plugin_data.plugin_name when this value carried metadata ("scalars" for TF2). */
  pluginName: string | undefined;
}

export interface DecodedEvent {
  /** Event.wall_time: seconds since the Unix epoch. */
  wallTime: number;
  step: number;
  /** Event.file_version, set on the first record of a file ("brain.Event:2"). */
  fileVersion: string | undefined;
  scalars: DecodedScalar[];
  /** Summary values that are not scalars (images, audio, histograms, larger tensors): skipped, counted. */
  skipped: number;
}

export type DecodeResult = { ok: true; event: DecodedEvent } | { ok: false; error: string };

// Field keys (field * 8 + wire type) of event.proto and summary.proto that matter here.
const EVENT_WALL_TIME = (1 << 3) | WireType.Fixed64;
const EVENT_STEP = (2 << 3) | WireType.Varint;
const EVENT_FILE_VERSION = (3 << 3) | WireType.LengthDelimited;
const EVENT_SUMMARY = (5 << 3) | WireType.LengthDelimited;
const SUMMARY_VALUE = (1 << 3) | WireType.LengthDelimited;
const VALUE_TAG = (1 << 3) | WireType.LengthDelimited;
const VALUE_SIMPLE = (2 << 3) | WireType.Fixed32;
const VALUE_TENSOR = (8 << 3) | WireType.LengthDelimited;
const VALUE_METADATA = (9 << 3) | WireType.LengthDelimited;
const METADATA_PLUGIN_DATA = (1 << 3) | WireType.LengthDelimited;
const PLUGIN_NAME = (1 << 3) | WireType.LengthDelimited;

/**
 * Decodes serialized `Event` messages into their scalar values. Keeps a cache of tag strings, so use one
 * decoder per stream. Bad protobuf gives `{ ok: false }` with the reason; it never throws.
 */
export class EventDecoder {
  private readonly strings = new StringCache();

  /** Decodes the Event in `bytes[start, end)`. */
  decode(bytes: Uint8Array, start = 0, end = bytes.length): DecodeResult {
    try {
      return { ok: true, event: this.readEvent(bytes, start, end) };
    } catch (e) {
      // WireError is the expected kind; anything else is still about these bytes, and a reader of corrupt
      // data must not throw, so it is reported the same way.
      return { ok: false, error: e instanceof WireError ? e.message : `undecodable event: ${String(e)}` };
    }
  }

  private readEvent(bytes: Uint8Array, start: number, end: number): DecodedEvent {
    const event: DecodedEvent = { wallTime: 0, step: 0, fileVersion: undefined, scalars: [], skipped: 0 };
    const r = new WireReader(bytes, start, end);
    while (!r.done) {
      const key = r.key();
      if (key === EVENT_WALL_TIME) event.wallTime = r.double();
      else if (key === EVENT_STEP) event.step = r.varint();
      else if (key === EVENT_FILE_VERSION) {
        const stringEnd = r.lengthDelimited();
        event.fileVersion = this.strings.decode(bytes, r.pos, stringEnd);
        r.pos = stringEnd;
      } else if (key === EVENT_SUMMARY) {
        const summaryEnd = r.lengthDelimited();
        this.readSummary(bytes, r.pos, summaryEnd, event);
        r.pos = summaryEnd;
      } else r.skip(key);
    }
    return event;
  }

  private readSummary(bytes: Uint8Array, start: number, end: number, event: DecodedEvent) {
    const r = new WireReader(bytes, start, end);
    while (!r.done) {
      const key = r.key();
      if (key === SUMMARY_VALUE) {
        const valueEnd = r.lengthDelimited();
        this.readValue(bytes, r.pos, valueEnd, event);
        r.pos = valueEnd;
      } else r.skip(key);
    }
  }

  /** One Summary.Value: a scalar is added to the event, anything else counted as skipped. */
  private readValue(bytes: Uint8Array, start: number, end: number, event: DecodedEvent) {
    const r = new WireReader(bytes, start, end);
    let tag = "";
    let simple = 0;
    let hasSimple = false;
    let tensorStart = -1;
    let tensorEnd = -1;
    let pluginName: string | undefined;
    while (!r.done) {
      const key = r.key();
      if (key === VALUE_TAG) {
        const tagEnd = r.lengthDelimited();
        tag = this.strings.decode(bytes, r.pos, tagEnd);
        r.pos = tagEnd;
      } else if (key === VALUE_SIMPLE) {
        simple = r.float();
        hasSimple = true;
      } else if (key === VALUE_TENSOR) {
        tensorEnd = r.lengthDelimited();
        tensorStart = r.pos;
        r.pos = tensorEnd;
      } else if (key === VALUE_METADATA) {
        const metadataEnd = r.lengthDelimited();
        pluginName = this.readPluginName(bytes, r.pos, metadataEnd);
        r.pos = metadataEnd;
      } else r.skip(key); // image=4, histo=5, audio=6, node_name=7, ...
    }
    if (hasSimple) {
      event.scalars.push({ tag, value: simple, encoding: "simple_value", pluginName });
      return;
    }
    const scalar = tensorStart >= 0 ? readTensorScalar(bytes, tensorStart, tensorEnd) : undefined;
    if (scalar === undefined) event.skipped++;
    else event.scalars.push({ tag, value: scalar.value, encoding: scalar.encoding, pluginName });
  }

  /** SummaryMetadata.plugin_data.plugin_name, if any. */
  private readPluginName(bytes: Uint8Array, start: number, end: number): string | undefined {
    let name: string | undefined;
    const r = new WireReader(bytes, start, end);
    while (!r.done) {
      const key = r.key();
      if (key !== METADATA_PLUGIN_DATA) {
        r.skip(key);
        continue;
      }
      const dataEnd = r.lengthDelimited();
      const d = new WireReader(bytes, r.pos, dataEnd);
      while (!d.done) {
        const dataKey = d.key();
        if (dataKey !== PLUGIN_NAME) {
          d.skip(dataKey);
          continue;
        }
        const nameEnd = d.lengthDelimited();
        name = this.strings.decode(bytes, d.pos, nameEnd);
        d.pos = nameEnd;
      }
      r.pos = dataEnd;
    }
    return name;
  }
}
