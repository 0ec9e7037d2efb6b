import { maskedCrc32c } from "./masked-crc.ts";

/** Bytes TFRecord framing adds around a payload: 8 length + 4 length CRC before, 4 payload CRC after. */
export const RECORD_OVERHEAD = 16;

/**
 * Frames one payload as a TFRecord: uint64 LE length, masked CRC32C of those 8 bytes, the payload, masked
 * CRC32C of the payload. Payloads are limited to 4 GiB - 1 here (the high length word is always 0),
 * far beyond any event.
 */
export function frameRecord(payload: Uint8Array): Uint8Array {
  const n = payload.length;
  const out = new Uint8Array(n + RECORD_OVERHEAD);
  const view = new DataView(out.buffer);
  view.setUint32(0, n, true);
  view.setUint32(4, 0, true);
  view.setUint32(8, maskedCrc32c(out, 0, 8), true);
  out.set(payload, 12);
  view.setUint32(12 + n, maskedCrc32c(payload), true);
  return out;
}
