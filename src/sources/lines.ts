/**
 * Bytes in, numbered text lines out, for every text log format. Chunks may split a line, a CRLF pair or
 * a multi-byte character anywhere; the splitter keeps what it cannot finish yet, so feeding a file one
 * byte at a time gives the same lines as feeding it whole.
 *
 * Encoding: a UTF-8, UTF-16 LE or UTF-16 BE byte-order mark decides; without one, a NUL in the first
 * two bytes next to a non-NUL marks BOM-less UTF-16 (what Windows tools write when they drop the BOM),
 * and anything else is UTF-8. Invalid bytes decode to U+FFFD: a corrupt log never stops the reading.
 */

/**
 * The longest line kept, in characters. A longer one is skipped (its text is never joined), so memory
 * stays bounded whatever the file holds: a power cut can leave megabytes of NUL bytes with no newline.
 */
export const MAX_LINE_CHARS = 1 << 20;

/** A line skipped for its length: its number, where it started and how long it was (characters). */
export interface OverlongLine {
  line: number;
  startChar: number;
  chars: number;
  /** The file ended inside it (no line break after it yet). */
  unterminated: boolean;
}

/** One line of text without its terminator; `line` is 1-based. */
export interface TextLine {
  text: string;
  line: number;
}

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

/** Bytes needed before the encoding can be chosen: a BOM is at most 3 bytes, the NUL test needs 2. */
const SNIFF_BYTES = 3;

export class LineSplitter {
  private decoder: TextDecoder | undefined;
  /** Bytes held back until the encoding is known. */
  private head: Uint8Array = new Uint8Array(0);
  /**
   * Decoded text after the last complete line, in pieces: a line that arrives in many chunks is joined
   * once, when its break arrives, instead of once per chunk (a 5 MB line fed in 4 KB chunks stays linear).
   */
  private pending: string[] = [];
  private pendingChars = 0;
  private lineNumber = 0;
  /** Characters of the lines completed so far, terminators included (where the next line starts). */
  private charsBefore = 0;
  /** Inside a line too long to keep: characters of it seen so far. */
  private skipping: { startChar: number; chars: number } | undefined;
  /** Lines skipped for their length since the last `takeOverlong()`. */
  private overlong: OverlongLine[] = [];

  /** The lines skipped for their length since the last call. */
  takeOverlong(): OverlongLine[] {
    if (this.overlong.length === 0) return this.overlong;
    const out = this.overlong;
    this.overlong = [];
    return out;
  }

  /** Feed the next bytes; returns the lines they completed. */
  push(chunk: Uint8Array): TextLine[] {
    if (!this.decoder) {
      this.head = concat(this.head, chunk);
      if (this.head.length < SNIFF_BYTES) return [];
      return this.startDecoding(false);
    }
    return this.accept(this.decoder.decode(chunk, { stream: true }), false);
  }

  /** No more bytes: flush a last line that has no newline, and an incomplete character as U+FFFD. */
  end(): TextLine[] {
    if (!this.decoder) return this.startDecoding(true);
    const rest = this.decoder.decode();
    // A fresh decoder lets the splitter go on if the file grows after this end (follow mode).
    this.decoder = new TextDecoder(this.decoder.encoding, { fatal: false, ignoreBOM: true });
    return this.accept(rest, true);
  }

  private startDecoding(atEnd: boolean): TextLine[] {
    const { encoding, bomLength } = sniffEncoding(this.head);
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    const rest = this.head.subarray(bomLength);
    this.head = new Uint8Array(0);
    return this.accept(this.decoder.decode(rest, { stream: !atEnd }), atEnd);
  }

  /** Add decoded text; cut the lines it completes. */
  private accept(input: string, atEnd: boolean): TextLine[] {
    let text = input;
    if (this.skipping) {
      const end = text.search(/[\r\n]/);
      if (end < 0) {
        this.skipping.chars += text.length;
        if (atEnd) this.endSkip(0, true);
        return [];
      }
      const breakLength = text[end] === "\r" && text[end + 1] === "\n" ? 2 : 1;
      this.skipping.chars += end;
      this.endSkip(breakLength, false);
      text = text.slice(end + breakLength);
    }
    const heldCr = this.pending.at(-1)?.endsWith("\r") ?? false;
    if (!atEnd && !heldCr && !/[\r\n]/.test(text)) {
      if (text === "") return [];
      this.pending.push(text);
      this.pendingChars += text.length;
      if (this.pendingChars > MAX_LINE_CHARS) {
        this.skipping = { startChar: this.charsBefore, chars: this.pendingChars };
        this.pending = [];
        this.pendingChars = 0;
      }
      return [];
    }
    this.pending.push(text);
    const joined = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    return this.takeLines(joined, atEnd);
  }

  /** The long line ended (a break of `breakLength` characters) or the input did: note it and go on. */
  private endSkip(breakLength: number, unterminated: boolean): void {
    const s = this.skipping!;
    this.skipping = undefined;
    this.overlong.push({ line: ++this.lineNumber, startChar: s.startChar, chars: s.chars, unterminated });
    this.charsBefore = s.startChar + s.chars + breakLength;
  }

  /**
   * Cut complete lines off `text`, keeping the rest pending. A CR at the very end is held back (unless at
   * end of input): the LF that would make it a CRLF may be in the next chunk. A lone CR ends a line, as
   * progress bars and old Mac files use it.
   */
  private takeLines(text: string, atEnd: boolean): TextLine[] {
    const lines: TextLine[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === text.length - 1 && !atEnd) break;
      this.complete(lines, text, start, i, false);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.charsBefore += i + 1 - start;
      start = i + 1;
    }
    const rest = text.slice(start);
    if (atEnd && rest.length > 0) {
      this.complete(lines, text, start, text.length, true);
      this.charsBefore += rest.length;
    } else if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingChars = rest.length;
    }
    return lines;
  }

  /** A whole line from `start` to `end` of `text`: kept, or noted as too long. */
  private complete(lines: TextLine[], text: string, start: number, end: number, unterminated: boolean): void {
    const line = ++this.lineNumber;
    if (end - start <= MAX_LINE_CHARS) lines.push({ text: text.slice(start, end), line });
    else this.overlong.push({ line, startChar: this.charsBefore, chars: end - start, unterminated });
  }
}

/** The encoding of a text file from its first bytes, and the length of its byte-order mark. */
export function sniffEncoding(bytes: Uint8Array): { encoding: Encoding; bomLength: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: "utf-8", bomLength: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", bomLength: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", bomLength: 2 };
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return { encoding: "utf-16le", bomLength: 0 };
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) return { encoding: "utf-16be", bomLength: 0 };
  return { encoding: "utf-8", bomLength: 0 };
}

/** All lines of a complete byte buffer (detection and tests; parsers use a LineSplitter). */
export function splitLines(bytes: Uint8Array): TextLine[] {
  const splitter = new LineSplitter();
  return [...splitter.push(bytes), ...splitter.end()];
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b.slice();
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
