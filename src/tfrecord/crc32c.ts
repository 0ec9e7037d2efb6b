/**
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum TFRecord framing uses.
 *
 * Slicing-by-8: eight 256-entry tables let one loop iteration fold eight bytes with eight independent
 * lookups instead of eight dependent ones, which is what makes a pure-JS CRC fast enough that checking
 * every record costs little next to reading the file at all.
 */

const POLY = 0x82f63b78;

function buildTables(): Int32Array[] {
  const t0 = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    t0[n] = c;
  }
  const tables = [t0];
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1];
    const next = new Int32Array(256);
    // Table k advances a byte through k further zero bytes: one more byte step of table k-1.
    for (let n = 0; n < 256; n++) next[n] = (prev[n] >>> 8) ^ t0[prev[n] & 0xff];
    tables.push(next);
  }
  return tables;
}

const [T0, T1, T2, T3, T4, T5, T6, T7] = buildTables();

/**
 * CRC32C of `bytes[start, end)`. Pass a previous result as `crc` to continue a checksum over
 * consecutive pieces: crc32c(b, 0, n) === crc32c(b, k, n, crc32c(b, 0, k)).
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, crc = 0): number {
  let c = ~crc;
  let i = start;
  const end8 = end - 8;
  for (; i <= end8; i += 8) {
    c ^= bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24);
    c =
      T7[c & 0xff] ^
      T6[(c >>> 8) & 0xff] ^
      T5[(c >>> 16) & 0xff] ^
      T4[c >>> 24] ^
      T3[bytes[i + 4]] ^
      T2[bytes[i + 5]] ^
      T1[bytes[i + 6]] ^
      T0[bytes[i + 7]];
  }
  for (; i < end; i++) c = (c >>> 8) ^ T0[(c ^ bytes[i]) & 0xff];
  return ~c >>> 0;
}
