/**
 * One sample's bytes, read from its event file when asked for: the whole record it came in is read
 * again and its two CRCs checked, so a file rewritten or damaged since it was indexed never hands out
 * bytes that are not the sample (the index is only as good as the file it points into).
 */
import { open } from "node:fs/promises";
import { maskedCrc32c } from "../tfrecord/masked-crc.ts";
import { RECORD_OVERHEAD } from "../tfrecord/record-writer.ts";
import type { SampleEntry } from "./samples.ts";

export type PayloadResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

const HEADER = 12;

/** Reads `entry`'s encoded bytes (the PNG, the WAV) from its file; never throws. */
export async function readSamplePayload(entry: SampleEntry): Promise<PayloadResult> {
  const { file, recordOffset, recordLength } = entry;
  const inside = entry.offset - recordOffset;
  if (recordLength < RECORD_OVERHEAD || inside < HEADER || inside + entry.length > recordLength - 4) {
    return { ok: false, reason: `${file}: the index entry does not fit its record` };
  }
  let record: Uint8Array;
  try {
    const handle = await open(file, "r");
    try {
      record = new Uint8Array(recordLength);
      const { bytesRead } = await handle.read(record, 0, recordLength, recordOffset);
      if (bytesRead < recordLength) {
        return { ok: false, reason: `${file}: the record at byte ${recordOffset} is no longer there` };
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    return { ok: false, reason: `${file}: cannot read (${error instanceof Error ? error.message : error})` };
  }
  const word = (at: number) =>
    (record[at] | (record[at + 1] << 8) | (record[at + 2] << 16) | (record[at + 3] << 24)) >>> 0;
  const payloadEnd = recordLength - 4;
  if (
    word(0) !== payloadEnd - HEADER ||
    word(4) !== 0 ||
    maskedCrc32c(record, 0, 8) !== word(8) ||
    maskedCrc32c(record, HEADER, payloadEnd) !== word(payloadEnd)
  ) {
    return { ok: false, reason: `${file}: the record at byte ${recordOffset} changed since it was read` };
  }
  return { ok: true, bytes: record.subarray(inside, inside + entry.length) };
}
