/**
 * Reading one log file through its format's parser, from where the last read stopped to the end as it
 * stands: the one path for `analyze` (read once, `final`) and for follow mode (read again as it grows).
 *
 * A file that shrinks, or whose first bytes change, or that is replaced by another file under the same
 * name (rotation, an atomic rewrite) is read again from the start with a fresh parser: the old points
 * are void and the caller is told (`refresh()` says "reset"). Event files are append-only for
 * TensorBoard too; restarting from zero is the only position that can be trusted after a rewrite.
 *
 * Nothing here throws for a file that vanished, cannot be opened or read: that is a ReadProblem.
 */
import { type FileHandle, open, stat } from "node:fs/promises";
import type { ReadProblem, ScalarPoint } from "../types.ts";
import { type Detection, detectLog } from "./detect.ts";
import { createParser, type LogFormat } from "./formats.ts";
import { withNames } from "./names.ts";
import type { ReadNames, RunHints, StreamParser } from "./parser.ts";
import type { SampleEntry } from "./samples.ts";
import { type ScalarColumn, type ScalarTarget, TfEventsParser } from "./tfevents.ts";

/** Bytes of a file's head that detection reads: past a VITS config dump, warnings, a few loss lines. */
export const DETECT_BYTES = 64 * 1024;

/** How a file's format was told from its name and head (an unreadable file: no format). */
export async function detectFile(path: string, names: ReadNames = {}): Promise<Detection> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    const head = new Uint8Array(DETECT_BYTES);
    const { bytesRead } = await handle.read(head, 0, DETECT_BYTES, 0);
    return detectLog(path, head.subarray(0, bytesRead), names, bytesRead < DETECT_BYTES);
  } catch {
    return { format: undefined, confidence: "none", tried: [] };
  } finally {
    await handle?.close();
  }
}

/** The format of a file from its name and head, or undefined (unknown, empty, unreadable). */
export async function detectFileFormat(path: string, names: ReadNames = {}): Promise<LogFormat | undefined> {
  return (await detectFile(path, names)).format;
}

/**
 * Where a file's points go. Event files hand over plain fields (no object per point, the fast path);
 * text formats hand over their ScalarPoint objects.
 */
export interface PointTarget {
  /** Called detached from its object (`const f = target.scalar`): define it as an arrow property. */
  /** `key`: the parser's index for this source tag in this file (-1: none), see PointSink in tfevents.ts. */
  scalar(tag: string, sourceTag: string, step: number, value: number, wallTime: number, key: number): void;
  point(p: ScalarPoint): void;
  /** Optional: the column of an event file's source tag, for the parser to append to (ScalarTarget). */
  column?(tag: string, sourceTag: string): ScalarColumn;
  /** Optional: events that each give a point to every column given (ScalarTarget.addEvents). */
  addEvents?: ScalarTarget["addEvents"];
  /**
   * Optional: `bytesRead` of the file's `bytesTotal` bytes have been read (once per read, after its first
   * piece, when more is coming), so a target keeping columns can make room for the rest at once.
   */
  forecast?(bytesRead: number, bytesTotal: number): void;
  /** Optional: an image or audio clip an event file logs, as an index entry (see samples.ts). */
  sample?(entry: SampleEntry): void;
}

/** Read in pieces this large: big enough that per-read costs vanish, small enough to keep memory flat. */
const CHUNK_BYTES = 1 << 20;
/** Bytes of the head remembered to notice a file rewritten in place. */
const FINGERPRINT_BYTES = 64;

export type RefreshResult = "unchanged" | "grown" | "reset" | "gone";

export interface FileTailOptions {
  /** Prepended to every tag (evals.jsonl's `jsd` is the run's `eval/jsd`). */
  tagPrefix?: string;
  /** The user's names for D's loss, G's loss and the step (`--d-tag`, `--g-tag`, `--step-tag`). */
  names?: ReadNames;
  /** Index an event file's large images and clips before checking their CRC (TfEventsParser.deferSampleChecks). */
  deferSampleChecks?: boolean;
}

/** One file read incrementally: its parser, how far it was read, and which file that was. */
export class FileTail {
  private parser: StreamParser;
  /** Bytes read and pushed into the parser so far. */
  offset = 0;
  /** Times read() ran since the last restart: 0 means the parser has not seen the file yet. */
  reads = 0;
  private identity: string | undefined;
  private mtimeMs = -1;
  private fingerprint = new Uint8Array(0);
  private readonly prefix: string;
  private readonly names: ReadNames;
  private readonly deferSampleChecks: boolean;
  /** The size refresh() saw: what read() expects to find, to size its buffer. */
  private size = 0;

  constructor(
    readonly path: string,
    readonly format: LogFormat,
    options: FileTailOptions = {},
  ) {
    this.names = options.names ?? {};
    this.deferSampleChecks = options.deferSampleChecks ?? false;
    this.parser = this.newParser();
    this.prefix = options.tagPrefix ?? "";
  }

  private newParser(): StreamParser {
    const parser = createParser(this.format, this.path, this.names);
    if (this.deferSampleChecks && parser instanceof TfEventsParser) parser.deferSampleChecks();
    return parser;
  }

  /** What the parser learned about the run so far. */
  hints(): RunHints {
    return this.parser.meta();
  }

  /**
   * Looks at the file without reading it: "grown" when there are bytes past the offset, "reset" when it
   * was truncated, rewritten or replaced (the parser and offset start over; read() reads it from the
   * start), "gone" when it cannot be found, else "unchanged".
   */
  async refresh(): Promise<RefreshResult> {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(this.path);
    } catch {
      return "gone";
    }
    const identity = `${info.dev}:${info.ino}`;
    const replaced = this.identity !== undefined && identity !== this.identity;
    const changed = info.size !== this.offset || info.mtimeMs !== this.mtimeMs;
    this.identity = identity;
    this.mtimeMs = info.mtimeMs;
    this.size = info.size;
    if (replaced || info.size < this.offset || (changed && !(await this.sameHead()))) {
      this.restart();
      return "reset";
    }
    return info.size > this.offset ? "grown" : "unchanged";
  }

  /**
   * Reads from the offset to the end as it stands, sending points to `target`; returns the problems.
   * `final`: the file is complete (a last line without a newline is read, a cut record reported); in
   * follow mode it is false, since the writer may be in the middle of that line or record.
   */
  async read(given: PointTarget, final: boolean, onBytes?: (n: number) => void): Promise<ReadProblem[]> {
    const target = withNames(given, this.names);
    const problems: ReadProblem[] = [];
    let handle: FileHandle | undefined;
    this.reads++;
    // Buffers per read, not per tail: a run of many small files should not hold a MiB for each, and
    // two reads in flight (two callers) must not share one.
    const size = Math.min(CHUNK_BYTES, Math.max(4096, this.size - this.offset));
    let buffer: Uint8Array = new Uint8Array(size);
    let spare: Uint8Array | undefined;
    let next: Promise<{ bytesRead: number }> | undefined;
    let first = true;
    try {
      handle = await open(this.path, "r");
      next = handle.read(buffer, 0, size, this.offset);
      for (;;) {
        const { bytesRead }: { bytesRead: number } = await next;
        next = undefined;
        if (bytesRead === 0) break;
        const chunk = buffer.subarray(0, bytesRead);
        // The next piece is asked for before this one is parsed, into the other buffer: the disk read
        // (in Node's thread pool) then overlaps the parsing instead of leaving this thread idle.
        spare ??= new Uint8Array(size);
        next = handle.read(spare, 0, size, this.offset + bytesRead);
        [buffer, spare] = [spare, buffer];
        this.remember(chunk);
        this.offset += bytesRead;
        problems.push(...this.push(chunk, target));
        onBytes?.(bytesRead);
        if (first && this.size > this.offset) target.forecast?.(this.offset, this.size);
        first = false;
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      problems.push({ path: this.path, offset: this.offset, message: `cannot read: ${reason}`, fatal: true });
    } finally {
      // A read still in flight writes into a buffer and uses the handle: let it finish before closing.
      await next?.catch(() => {});
      await handle?.close().catch(() => {});
    }
    problems.push(...this.end(final, target));
    return problems;
  }

  private push(chunk: Uint8Array, target: PointTarget): ReadProblem[] {
    const parser = this.parser;
    if (this.prefix === "") {
      if (parser instanceof TfEventsParser) return parser.pushInto(chunk, target);
      // Text parsers that can hand points straight to the columns: no object per point.
      if (parser.pushToColumns) return parser.pushToColumns(chunk, target);
    }
    const out = parser.push(chunk);
    this.deliver(out.points, target);
    return out.problems;
  }

  private end(final: boolean, target: PointTarget): ReadProblem[] {
    const parser = this.parser;
    if (this.prefix === "" && parser.endToColumns) return parser.endToColumns(final, target);
    const out = parser.end(final);
    this.deliver(out.points, target);
    return out.problems;
  }

  private deliver(points: ScalarPoint[], target: PointTarget): void {
    if (this.prefix === "") for (const p of points) target.point(p);
    else for (const p of points) target.point({ ...p, tag: this.prefix + p.tag });
  }

  /** Keeps the first bytes of the file, to notice later when they are no longer the same. */
  private remember(chunk: Uint8Array): void {
    if (this.offset >= FINGERPRINT_BYTES) return;
    const take = chunk.subarray(0, FINGERPRINT_BYTES - this.offset);
    const next = new Uint8Array(this.fingerprint.length + take.length);
    next.set(this.fingerprint);
    next.set(take, this.fingerprint.length);
    this.fingerprint = next;
  }

  /** Whether the file still begins with the bytes read from it before. */
  private async sameHead(): Promise<boolean> {
    const n = this.fingerprint.length;
    if (n === 0) return true;
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.path, "r");
      const now = new Uint8Array(n);
      const { bytesRead } = await handle.read(now, 0, n, 0);
      return bytesRead === n && now.every((b, i) => b === this.fingerprint[i]);
    } catch {
      return true; // unreadable for a moment: the next look decides
    } finally {
      await handle?.close().catch(() => {});
    }
  }

  private restart(): void {
    this.parser = this.newParser();
    this.offset = 0;
    this.reads = 0;
    this.fingerprint = new Uint8Array(0);
  }
}
