/**
 * Follow mode: the runs under a path, read as they stand and then followed as they grow, for `watch`
 * and the dashboard. A library API: `await followRuns(path)` reads what is there (`follower.runs`), then
 * `for await (const event of follower)` yields what arrives: new points per file, and runs that appear.
 * `close()` stops it; no timer, watcher or read is left behind, so the process can exit.
 *
 * How growth is noticed: fs.watch on every followed directory wakes a look at once, and a poll every
 * `pollMs` (100 ms) does the same where fs.watch says nothing (network and container filesystems,
 * editors that replace files). A point written to a followed file is emitted within one poll interval
 * plus the read, well under 250 ms. New files and runs are found by walking the path again when fs.watch
 * reports an unknown name, and every `rescanMs` (1 s) in any case.
 *
 * Truncation and rotation (decided): a file that shrinks, whose first bytes change, or that is replaced
 * under the same name is read again from its start, and its event says `reset: true`: the points that
 * file gave before are void. TensorBoard treats event files as append-only and only ever reads on; its
 * position is meaningless in a rewritten file, so starting over is the one position that can be trusted.
 *
 * Samples: a dashboard must draw the curves of a logdir of spectrograms as fast as without them, so an
 * event file's large image and clip records are indexed before their payload CRC is checked; it is
 * checked when a sample's bytes are read to be shown (TfEventsParser.deferSampleChecks). Every other
 * record is checked as `analyze` checks it.
 *
 * Duplicates: as in run-builder.ts, a tag is taken from the best-ranked file that logs it. Points of a
 * tag that a better-ranked file already gave are not emitted; when a better-ranked file starts logging a
 * tag that a worse one gave so far, its event lists the tag in `superseded`: drop that tag's earlier
 * points from the run.
 */
import { type FSWatcher, watch } from "node:fs";
import { basename, dirname } from "node:path";
import type { ReadProblem, ScalarPoint } from "../types.ts";
import { type DiscoverOptions, discoverRuns, type RunFile } from "./discover.ts";
import type { Run } from "./run-builder.ts";
import { type FileUpdate, RunReader } from "./run-source.ts";
import type { SampleTrack } from "./samples.ts";

export interface FollowOptions extends DiscoverOptions {
  /** Milliseconds between looks at the followed files when fs.watch says nothing. Default 100. */
  pollMs?: number;
  /** Milliseconds between walks of a directory for new files and runs. Default 1000. */
  rescanMs?: number;
  /** Also use fs.watch (default true); false leaves polling alone, as on filesystems without events. */
  watch?: boolean;
}

export type FollowEvent =
  /** A run that appeared after the start, read as it stands. */
  | { type: "run"; run: Run }
  /** What one look at one file of a run found. */
  | {
      type: "points";
      runId: string;
      file: string;
      /** The file was read again from its start: drop every point it gave before. */
      reset: boolean;
      /** Tags this file now supplies instead of a worse-ranked file: drop their earlier points. */
      superseded: string[];
      points: ScalarPoint[];
      /** Images and clips this look found: the run's sample index grew (see `samples`). */
      samples: number;
      problems: ReadProblem[];
    };

/** Reads the runs under `path` as they stand and starts following them. Throws when `path` does not exist. */
export async function followRuns(path: string, options: FollowOptions = {}): Promise<RunFollower> {
  const discovery = await discoverRuns(path, options);
  const readers: RunReader[] = [];
  for (const plan of discovery.runs) {
    const reader = new RunReader(plan, options.names, true);
    await reader.readAll(false);
    readers.push(reader);
  }
  return new RunFollower(path, discovery.kind, readers, options);
}

export class RunFollower implements AsyncIterable<FollowEvent> {
  /** The runs as read at the start. */
  readonly runs: Run[];
  private readonly readers = new Map<string, RunReader>();
  /** Per run: tag -> rank of the file that supplies it. */
  private readonly owners = new Map<string, Map<string, number>>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly queue: FollowEvent[] = [];
  /** Pending next() calls waiting for an event. */
  private waiters: (() => void)[] = [];
  private closed = false;
  private wantPoll = false;
  private wantRescan = false;
  private running: Promise<void> | undefined;

  constructor(
    readonly path: string,
    private readonly kind: "file" | "directory",
    readers: RunReader[],
    private readonly options: FollowOptions,
  ) {
    this.runs = readers.map((r) => this.adopt(r));
    const pollMs = options.pollMs ?? 100;
    this.timers.push(setInterval(() => this.kick(false), pollMs));
    // A file given directly needs no walk, unless its format could not be told yet (an empty new log).
    if (kind === "directory" || readers.length === 0) {
      this.timers.push(setInterval(() => this.kick(true), options.rescanMs ?? 1000));
    }
    this.watchDir(kind === "directory" ? path : dirname(path));
  }

  /** The runs as they stand now (columns read so far, duplicates resolved). */
  snapshot(): Run[] {
    return [...this.readers.values()].map((r) => r.run());
  }

  /** A run's images and clips as indexed so far (none for a run not followed). */
  samples(runId: string): SampleTrack[] {
    return this.readers.get(runId)?.samples() ?? [];
  }

  /** How many images and clips a run's files logged so far. */
  sampleCount(runId: string): number {
    return this.readers.get(runId)?.sampleCount() ?? 0;
  }

  /** Stops following: clears the timers, closes the watchers, waits for a look in progress to finish. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    const closing = [...this.watchers.values()].map((w) => new Promise((done) => w.once("close", done)));
    for (const w of this.watchers.values()) w.close();
    this.watchers.clear();
    this.wakeAll();
    await Promise.all([this.running, ...closing]);
  }

  [Symbol.asyncIterator](): AsyncIterator<FollowEvent> {
    return {
      next: async () => {
        while (this.queue.length === 0 && !this.closed) {
          await new Promise<void>((resolve) => this.waiters.push(resolve));
        }
        const value = this.queue.shift();
        return value ? { value, done: false } : { value: undefined, done: true };
      },
      return: async () => {
        await this.close();
        return { value: undefined, done: true };
      },
    };
  }

  /** Starts following a run that has been read: its ownership of tags, its directories. */
  private adopt(reader: RunReader): Run {
    const run = reader.run();
    const owners = new Map<string, number>();
    const rankOf = new Map(run.files.map((f) => [f.path, f.rank]));
    for (const s of run.series) owners.set(s.tag, rankOf.get(s.files[0]) ?? Number.MAX_SAFE_INTEGER);
    this.owners.set(reader.id, owners);
    this.readers.set(reader.id, reader);
    for (const f of reader.files) this.watchDir(dirname(f.path));
    return run;
  }

  /** Asks for a look at every file (and a walk for new ones); looks never overlap. */
  private kick(rescan: boolean): void {
    if (this.closed) return;
    this.wantPoll = true;
    if (rescan) this.wantRescan = true;
    this.running ??= this.cycle().finally(() => {
      this.running = undefined;
    });
  }

  private async cycle(): Promise<void> {
    while (!this.closed && (this.wantPoll || this.wantRescan)) {
      const rescan = this.wantRescan;
      this.wantPoll = false;
      this.wantRescan = false;
      if (rescan) await this.rescan();
      for (const reader of this.readers.values()) {
        for (const file of reader.files) {
          if (this.closed) return;
          this.emit(reader, await reader.readFile(file, false, true));
        }
      }
    }
  }

  /** Walks the path again: new files join their runs, new runs are read and announced. */
  private async rescan(): Promise<void> {
    const discovery = await discoverRuns(this.path, this.options).catch(() => undefined);
    for (const plan of discovery?.runs ?? []) {
      if (this.closed) return;
      const reader = this.readers.get(plan.id);
      if (reader === undefined) {
        const fresh = new RunReader(plan, this.options.names, true);
        await fresh.readAll(false);
        if (!this.closed) this.push({ type: "run", run: this.adopt(fresh) });
        continue;
      }
      for (const file of plan.files) {
        if (reader.addFile(file)) this.watchDir(dirname(file.path));
      }
    }
  }

  /** Turns one file's update into an event, leaving out tags a better-ranked file supplies. */
  private emit(reader: RunReader, update: FileUpdate): void {
    const { file, status } = update;
    const reset = status === "reset";
    const quiet = update.problems.length === 0 && update.samples === 0 && !reset;
    if (update.points.length === 0 && quiet) return;
    const owners = this.owners.get(reader.id)!;
    const superseded = new Set<string>();
    const points = update.points.filter((p) => {
      const owner = owners.get(p.tag);
      if (owner === undefined || file.rank < owner) {
        if (owner !== undefined) superseded.add(p.tag);
        owners.set(p.tag, file.rank);
        return true;
      }
      return owner === file.rank;
    });
    if (points.length === 0 && quiet) return;
    this.push({
      type: "points",
      runId: reader.id,
      file: file.path,
      reset,
      superseded: [...superseded],
      points,
      samples: update.samples,
      problems: update.problems,
    });
  }

  private push(event: FollowEvent): void {
    this.queue.push(event);
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** fs.watch on a directory: a known file's name wakes a look, an unknown one a walk as well. */
  private watchDir(dir: string): void {
    if (this.options.watch === false || this.closed || this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, { persistent: true }, (_event, name) => {
        const known = name !== null && this.isFollowed(dir, name.toString());
        this.kick(!known && this.kind === "directory");
      });
      // Watching is a shortcut; polling still covers a directory whose watcher fails.
      watcher.on("error", () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch {
      // Unsupported here, or out of watch handles: the poll does the work.
    }
  }

  private isFollowed(dir: string, name: string): boolean {
    for (const reader of this.readers.values()) {
      for (const f of reader.files) if (basename(f.path) === name && dirname(f.path) === dir) return true;
    }
    return false;
  }

  /** Files followed now, for tests and status lines. */
  get files(): RunFile[] {
    return [...this.readers.values()].flatMap((r) => [...r.files]);
  }
}
