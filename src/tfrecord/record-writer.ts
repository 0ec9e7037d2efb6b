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
  // Little-endian words written by hand: a DataView per record costs more than the whole record.
  putUint32(out, 0, n);
  putUint32(out, 8, maskedCrc32c(out, 0, 8));
  out.set(payload, 12);
  putUint32(out, 12 + n, maskedCrc32c(payload));
  return out;
}

function putUint32(bytes: Uint8Array, at: number, v: number) {
  bytes[at] = v;
  bytes[at + 1] = v >>> 8;
  bytes[at + 2] = v >>> 16;
  bytes[at + 3] = v >>> 24;
}
