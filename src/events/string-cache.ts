const utf8 = new TextDecoder("utf-8", { fatal: false });

interface Entry {
  bytes: Uint8Array;
  text: string;
}

/** Beyond this many distinct strings the cache starts over: garbage tags must not grow memory forever. */
const MAX_ENTRIES = 4096;

/**
 * Decodes UTF-8 strings that repeat (an event file has a few dozen tags written over and over) without
 * paying TextDecoder's per-call cost each time: a hash of the bytes finds the string decoded before, and
 * a byte comparison confirms it. Invalid UTF-8 becomes U+FFFD, never an exception.
 */
export class StringCache {
  private entries = new Map<number, Entry>();

  /** The entry last returned for each slot: events repeat the same tags in the same order. */
  private readonly recent: (Entry | undefined)[] = [];

  /**
   * The string in `bytes[start, end)`. `slot` (e.g. the value's position in its event) lets the cache
   * first try the string it returned for that slot last time, which spares hashing in the common case.
   */
  decode(bytes: Uint8Array, start: number, end: number, slot = -1): string {
    if (slot >= 0) {
      const guess = this.recent[slot];
      if (guess !== undefined && sameBytes(guess.bytes, bytes, start, end)) return guess.text;
      const entry = this.lookup(bytes, start, end);
      this.recent[slot] = entry;
      return entry.text;
    }
    return this.lookup(bytes, start, end).text;
  }

  private lookup(bytes: Uint8Array, start: number, end: number): Entry {
    // FNV-1a over the bytes: fast, and tags differ early or in length.
    let h = 0x811c9dc5 ^ (end - start);
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
    const hit = this.entries.get(h);
    if (hit !== undefined && sameBytes(hit.bytes, bytes, start, end)) return hit;
    const entry = { bytes: bytes.slice(start, end), text: utf8.decode(bytes.subarray(start, end)) };
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(h, entry);
    return entry;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}
