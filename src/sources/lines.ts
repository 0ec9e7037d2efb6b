/**
 * Bytes in, numbered text lines out, for every text log format. Chunks may split a line, a CRLF pair or
 * a multi-byte character anywhere; the splitter keeps what it cannot finish yet, so feeding a file one
 * byte at a time gives the same lines as feeding it whole.
 *
 * Encoding: a UTF-8, UTF-16 LE or UTF-16 BE byte-order mark decides; without one, a NUL in the first
 * two bytes next to a non-NUL marks BOM-less UTF-16 (what Windows tools write when they drop the BOM),
 * and anything else is UTF-8. Invalid bytes decode to U+FFFD: a corrupt log never stops the reading.
 */
import { Buffer, isAscii } from "node:buffer";

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

/**
 * Receives one line: `text.slice(start, end)` (without its terminator), numbered `line` (1-based). The
 * text is usually a whole decoded chunk: a reader that can work on the span needs no string per line.
 * A sink is called while the splitter is cutting the chunk and must not throw.
 */
export type LineSink = (text: string, start: number, end: number, line: number) => void;

type Encoding = "utf-8" | "utf-16le" | "utf-16be";

/** Bytes needed before the encoding can be chosen: a BOM is at most 3 bytes, the NUL test needs 2. */
const SNIFF_BYTES = 3;

export class LineSplitter {
  private decoder: TextDecoder | undefined;
  /**
   * The decoder holds no part of a character: the last byte it was given was ASCII (or none was). A chunk
   * of ASCII bytes then decodes as Latin-1, the same text several times faster than TextDecoder.
   */
  private clean = true;
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
    const lines: TextLine[] = [];
    this.pushTo(chunk, collect(lines));
    return lines;
  }

  /** No more bytes: flush a last line that has no newline, and an incomplete character as U+FFFD. */
  end(): TextLine[] {
    const lines: TextLine[] = [];
    this.endTo(collect(lines));
    return lines;
  }

  /** push(), each completed line handed to `sink` as a span of the decoded text (no string per line). */
  pushTo(chunk: Uint8Array, sink: LineSink): void {
    if (!this.decoder) {
      this.head = concat(this.head, chunk);
      if (this.head.length < SNIFF_BYTES) return;
      this.startDecoding(false, sink);
      return;
    }
    this.accept(this.decode(chunk, true), false, sink);
  }

  /** end() with the lines handed to `sink`. */
  endTo(sink: LineSink): void {
    if (!this.decoder) {
      this.startDecoding(true, sink);
      return;
    }
    const rest = this.decoder.decode();
    // A fresh decoder lets the splitter go on if the file grows after this end (follow mode).
    this.decoder = new TextDecoder(this.decoder.encoding, { fatal: false, ignoreBOM: true });
    this.clean = true;
    this.accept(rest, true, sink);
  }

  private startDecoding(atEnd: boolean, sink: LineSink): void {
    const { encoding, bomLength } = sniffEncoding(this.head);
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    const rest = this.head.subarray(bomLength);
    this.head = new Uint8Array(0);
    this.accept(this.decode(rest, !atEnd), atEnd, sink);
  }

  /** The text of the next bytes: as Latin-1 when they are ASCII and the decoder holds nothing. */
  private decode(bytes: Uint8Array, stream: boolean): string {
    const decoder = this.decoder!;
    if (this.clean && bytes.length > 0 && decoder.encoding === "utf-8" && isAscii(bytes)) {
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("latin1");
    }
    if (bytes.length > 0) this.clean = bytes[bytes.length - 1] < 0x80;
    return decoder.decode(bytes, { stream });
  }

  /** Add decoded text; cut the lines it completes. */
  private accept(input: string, atEnd: boolean, sink: LineSink): void {
    let text = input;
    if (this.skipping) {
      const end = text.search(/[\r\n]/);
      if (end < 0) {
        this.skipping.chars += text.length;
        if (atEnd) this.endSkip(0, true);
        return;
      }
      const breakLength = text[end] === "\r" && text[end + 1] === "\n" ? 2 : 1;
      this.skipping.chars += end;
      this.endSkip(breakLength, false);
      text = text.slice(end + breakLength);
    }
    const heldCr = this.pending.at(-1)?.endsWith("\r") ?? false;
    if (!atEnd && !heldCr && !/[\r\n]/.test(text)) {
      if (text === "") return;
      this.pending.push(text);
      this.pendingChars += text.length;
      if (this.pendingChars > MAX_LINE_CHARS) {
        this.skipping = { startChar: this.charsBefore, chars: this.pendingChars };
        this.pending = [];
        this.pendingChars = 0;
      }
      return;
    }
    if (!heldCr && text.indexOf("\r") < 0 && (this.pending.length === 0 || text.indexOf("\n") >= 0)) {
      this.takeLinesLf(text, atEnd, sink);
      return;
    }
    this.pending.push(text);
    const joined = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.takeLines(joined, atEnd, sink);
  }

  /** The long line ended (a break of `breakLength` characters) or the input did: note it and go on. */
  private endSkip(breakLength: number, unterminated: boolean): void {
    const s = this.skipping!;
    this.skipping = undefined;
    this.overlong.push({ line: ++this.lineNumber, startChar: s.startChar, chars: s.chars, unterminated });
    this.charsBefore = s.startChar + s.chars + breakLength;
  }

  /**
   * takeLines() for text without a CR (nor one held back), which is most logs: the breaks are found by
   * the engine's native search instead of a loop over every character, and the lines are spans of
   * `text`. A line begun in earlier chunks is joined with its end here, once.
   */
  private takeLinesLf(text: string, atEnd: boolean, sink: LineSink): void {
    let start = 0;
    if (this.pending.length > 0) {
      const lf = text.indexOf("\n");
      this.pending.push(text.slice(0, lf));
      const first = this.pending.join("");
      this.pending = [];
      this.pendingChars = 0;
      this.complete(sink, first, 0, first.length, false);
      this.charsBefore += first.length + 1;
      start = lf + 1;
    }
    start = this.cutAtLf(text, start, sink);
    if (start === text.length) return;
    if (atEnd) {
      this.complete(sink, text, start, text.length, true);
      this.charsBefore += text.length - start;
    } else {
      const rest = text.slice(start);
      this.pending.push(rest);
      this.pendingChars = rest.length;
    }
  }

  /**
   * The lines of `text` from `start` that end in an LF; returns where the unfinished rest starts. Its own
   * function, with nothing after the loop: V8 optimises a long loop while it runs (on-stack replacement),
   * and code after it that had not run yet then made the optimised code bail out once per chunk.
   */
  private cutAtLf(text: string, from: number, sink: LineSink): number {
    let start = from;
    for (let lf = text.indexOf("\n", start); lf >= 0; lf = text.indexOf("\n", start)) {
      this.complete(sink, text, start, lf, false);
      this.charsBefore += lf + 1 - start;
      start = lf + 1;
    }
    return start;
  }

  /**
   * Cut complete lines off `text`, keeping the rest pending. A CR at the very end is held back (unless at
   * end of input): the LF that would make it a CRLF may be in the next chunk. A lone CR ends a line, as
   * progress bars and old Mac files use it.
   */
  private takeLines(text: string, atEnd: boolean, sink: LineSink): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      if (c === 13 && i === text.length - 1 && !atEnd) break;
      this.complete(sink, text, start, i, false);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      this.charsBefore += i + 1 - start;
      start = i + 1;
    }
    const rest = text.slice(start);
    if (atEnd && rest.length > 0) {
      this.complete(sink, text, start, text.length, true);
      this.charsBefore += rest.length;
    } else if (rest.length > 0) {
      this.pending.push(rest);
      this.pendingChars = rest.length;
    }
  }

  /** A whole line from `start` to `end` of `text`: handed on, or noted as too long. */
  private complete(sink: LineSink, text: string, start: number, end: number, unterminated: boolean): void {
    const line = ++this.lineNumber;
    if (end - start <= MAX_LINE_CHARS) sink(text, start, end, line);
    else this.overlong.push({ line, startChar: this.charsBefore, chars: end - start, unterminated });
  }
}

/** A sink that keeps each line as a string. */
function collect(lines: TextLine[]): LineSink {
  return (text, start, end, line) => {
    lines.push({ text: text.slice(start, end), line });
  };
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
