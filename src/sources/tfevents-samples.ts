/**
 * The images and audio clips of an event (Summary.Value.image / .audio, TF2's "images" / "audio"
 * string tensors) as index entries for the parser's target: where their bytes lie in the file, never
 * the bytes (see samples.ts). Apart from tfevents.ts, which reads scalars into columns, because a
 * sample is indexed, not read, and its bytes are decoded only to find where each one lies.
 */
import type { EventColumns } from "../events/event-decoder.ts";
import {
  readAudioValue,
  readImageValue,
  readTensorSamples,
  type SampleValue,
} from "../events/sample-values.ts";
import type { ReadProblem } from "../types.ts";
import { type SampleEntry, sampleEntry } from "./samples.ts";
import type { ScalarTarget } from "./scalar-target.ts";
import type { EventFileHints } from "./tfevents-hints.ts";
import type { EventTags } from "./tfevents-tags.ts";

export class EventSamples {
  constructor(
    private readonly path: string,
    private readonly tags: EventTags,
    private readonly hints: EventFileHints,
  ) {}

  /**
   * The images and clips of an event, as index entries for `target`. A tensor is one only when its
   * tag's plugin (from this value or the tag's first event) is "images" or "audio"; any other non-scalar
   * tensor (text, histograms) is skipped. A value that cannot be decoded is a problem, the rest go on;
   * in a record whose payload CRC is `unchecked`, it makes this return false, before any entry is handed
   * on: the caller checks the bytes and reads the record again.
   */
  read(
    event: EventColumns,
    bytes: Uint8Array,
    start: number,
    end: number,
    offset: number,
    target: ScalarTarget,
    problems: ReadProblem[],
    unchecked = false,
  ): boolean {
    const entries: SampleEntry[] = [];
    for (let j = 0; j < event.sampleCount; j++) {
      const tag = event.sampleTags[j];
      const form = event.sampleForms[j];
      const from = event.sampleStarts[j];
      const to = event.sampleEnds[j];
      const plugin = this.tags.pluginOf(tag, event.samplePlugins[j]);
      let values: SampleValue[];
      try {
        if (form === "image") values = listOf(readImageValue(bytes, from, to));
        else if (form === "audio") values = listOf(readAudioValue(bytes, from, to));
        else if (plugin === "images" || plugin === "audio")
          values = readTensorSamples(bytes, from, to, plugin);
        else {
          this.hints.skippedValues++;
          continue;
        }
      } catch (e) {
        // Bytes whose CRC is not checked yet may be why: the caller checks them and reads them again.
        if (unchecked) return false;
        const why = e instanceof Error ? e.message : String(e);
        problems.push({
          path: this.path,
          offset,
          message: `record at byte ${offset}: the ${form} value of ${tag} cannot be read (${why}), skipped`,
          fatal: false,
        });
        continue;
      }
      for (const v of values) {
        entries.push(sampleEntry(tag, event.step, event.wallTime, this.path, bytes, start, end, offset, v));
      }
    }
    const sink = target.sample;
    if (sink !== undefined) for (const e of entries) sink.call(target, e);
    return true;
  }
}

const listOf = (v: SampleValue | undefined): SampleValue[] => (v === undefined ? [] : [v]);
