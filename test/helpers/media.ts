/**
 * Real images and clips for event files written in tests and benches: a PNG any browser decodes (8-bit
 * grayscale or RGB, deflated by node:zlib) and a 16-bit PCM WAV, each with the header its readers parse.
 */
import { deflateSync } from "node:zlib";

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (PNG's, not TFRecord's CRC32C). */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "ascii");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * A PNG of `width` × `height`: `pixel(x, y)` gives a gray level 0..255 (one channel), or an [r, g, b]
 * triple when `rgb`. `level` is zlib's (1 is fast, for big benches).
 */
export function png(
  width: number,
  height: number,
  pixel: (x: number, y: number) => number | [number, number, number],
  options: { rgb?: boolean; level?: number } = {},
): Uint8Array {
  const channels = options.rgb ? 3 : 1;
  const raw = Buffer.alloc(height * (1 + width * channels));
  let at = 0;
  for (let y = 0; y < height; y++) {
    raw[at++] = 0; // filter: none
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      if (typeof p === "number") raw[at++] = p;
      else for (const c of p) raw[at++] = c;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = options.rgb ? 2 : 0; // colour type: RGB or grayscale
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk("IHDR", header),
      chunk("IDAT", deflateSync(raw, { level: options.level ?? 6 })),
      chunk("IEND", new Uint8Array(0)),
    ]),
  );
}

/** A mono 16-bit PCM WAV of `samples` (each -1..1) at `sampleRate`. */
export function wav(samples: ArrayLike<number>, sampleRate: number): Uint8Array {
  const n = samples.length;
  const out = Buffer.alloc(44 + 2 * n);
  out.write("RIFF", 0, "ascii");
  out.writeUInt32LE(36 + 2 * n, 4);
  out.write("WAVEfmt ", 8, "ascii");
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20); // PCM
  out.writeUInt16LE(1, 22); // mono
  out.writeUInt32LE(sampleRate, 24);
  out.writeUInt32LE(2 * sampleRate, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write("data", 36, "ascii");
  out.writeUInt32LE(2 * n, 40);
  for (let i = 0; i < n; i++)
    out.writeInt16LE(Math.round(32767 * Math.max(-1, Math.min(1, samples[i]))), 44 + 2 * i);
  return new Uint8Array(out);
}

/** A tone of `seconds` at `hz`, as a WAV. */
export function tone(hz: number, seconds: number, sampleRate = 16000): Uint8Array {
  const n = Math.round(seconds * sampleRate);
  return wav(
    Array.from({ length: n }, (_, i) => 0.3 * Math.sin((2 * Math.PI * hz * i) / sampleRate)),
    sampleRate,
  );
}

/** The width and height a PNG's IHDR says. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
