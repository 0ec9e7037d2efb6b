import { crc32c } from "./crc32c.ts";

/**
 * TFRecord stores CRCs "masked": rotated right by 15 bits plus a constant. A CRC of data that itself
 * contains CRCs is then not trivially related to them (TensorFlow's `crc32c::Mask`; TensorBoard's
 * `masked_crc.rs`).
 */
export function maskCrc(crc: number): number {
  return (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;
}

/** The masked CRC32C of `bytes[start, end)`, as stored after a record's length and after its payload. */
export function maskedCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  return maskCrc(crc32c(bytes, start, end));
}
