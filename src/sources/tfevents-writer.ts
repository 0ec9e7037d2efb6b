import { closeSync, fstatSync, mkdirSync, openSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { encodeEvent } from "../events/event-encoder.ts";
import { frameRecord } from "../tfrecord/record-writer.ts";

export interface EventFileWriterOptions {
  /** Write buffered events once this many bytes are waiting. Default 64 KiB. */
  flushBytes?: number;
  /**
   * Also write them when the oldest waiting event is this many seconds old (checked when an event is
   * added; no timer keeps the process alive). Default 2, so a live dashboard lags by about one step.
   */
  flushSeconds?: number;
  /** Seconds since the Unix epoch; replaceable for tests. Default Date.now() / 1000. */
  now?: () => number;
}

/** PyTorch's global writer counter: the last part of the file name, distinct per writer in a process. */
let writersCreated = 0;

/**
 * Writes scalars to a TensorBoard event file the way PyTorch's SummaryWriter does, so TensorBoard (and
 * Nashboard's own reader) open what Nashboard's trainer logs. The file is
 * `events.out.tfevents.<unix seconds, 10 digits>.<hostname>.<pid>.<n>`; its first record is
 * Event{wall_time, file_version: "brain.Event:2"}; then each addScalars call writes one Event holding all
 * of that call's values as simple_value (TensorBoard reads several values per event, as TF1's merged
 * summaries wrote them, and it makes a file smaller than one event per value).
 *
 * Writes are synchronous but buffered: addScalars only encodes, flush() writes. Call close() at the end.
 */
export class EventFileWriter {
  readonly path: string;
  private readonly fd: number;
  private readonly now: () => number;
  private readonly flushBytes: number;
  private readonly flushSeconds: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private oldestPending = 0;
  private closed = false;

  constructor(dir: string, options: EventFileWriterOptions = {}) {
    this.now = options.now ?? (() => Date.now() / 1000);
    this.flushBytes = options.flushBytes ?? 64 * 1024;
    this.flushSeconds = options.flushSeconds ?? 2;
    const start = this.now();
    const seconds = String(Math.floor(start)).padStart(10, "0");
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}.${process.pid}.${writersCreated++}`);
    this.fd = openSync(this.path, "a");
    // The version record goes out at once, as PyTorch's does, so a watcher sees the file is an event file.
    this.append(encodeEvent({ wallTime: start, fileVersion: "brain.Event:2" }), start);
    this.flush();
  }

  /**
   * Logs `scalars` (tag -> value; NaN and ±Infinity are kept) at `step`. Values are stored as float32,
   * as PyTorch's simple_value is. Throws on a step that is not an integer or after close().
   */
  addScalars(step: number, scalars: Record<string, number>, wallTime?: number): void {
    if (this.closed) throw new Error(`event file ${this.path} is closed`);
    if (!Number.isSafeInteger(step)) throw new RangeError(`step must be an integer, got ${step}`);
    const now = this.now();
    const values = Object.entries(scalars).map(([tag, value]) => ({ tag, value }));
    this.append(encodeEvent({ wallTime: wallTime ?? now, step, scalars: values }), now);
  }

  /** Writes every buffered event to the file. */
  flush(): void {
    if (this.pendingBytes === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0] : concat(this.pending, this.pendingBytes);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Flushes, then returns the file's length: what a checkpoint records to cut the file back on resume. */
  flushedBytes(): number {
    this.flush();
    return fstatSync(this.fd).size;
  }

  /** Flushes and closes the file. Closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    closeSync(this.fd);
  }

  private append(event: Uint8Array, now: number) {
    const record = frameRecord(event);
    if (this.pendingBytes === 0) this.oldestPending = now;
    this.pending.push(record);
    this.pendingBytes += record.length;
    if (this.pendingBytes >= this.flushBytes || now - this.oldestPending >= this.flushSeconds) this.flush();
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
