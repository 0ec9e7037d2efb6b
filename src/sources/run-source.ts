/**
 * Runs from a path: discover the runs (discover.ts), read each run's files through their parsers
 * (read-file.ts) into columns (run-builder.ts). `readRuns` reads once, for `analyze`; a RunReader keeps
 * each file's parser and position, so follow mode (follow.ts) goes on from where reading stopped.
 */
import type { ReadProblem, ScalarPoint } from "../types.ts";
import { splitGames } from "./console/games.ts";
import {
  type DiscoverOptions,
  type Discovery,
  discoverRuns,
  type RunFile,
  type RunPlan,
} from "./discover.ts";
import type { ReadNames } from "./parser.ts";
import { FileTail, type PointTarget, type RefreshResult } from "./read-file.ts";
import { type Run, RunBuilder } from "./run-builder.ts";
import type { SampleTrack } from "./samples.ts";

export interface ReadOptions extends DiscoverOptions {
  /**
   * The files are complete (default): a last line without a newline is read and a cut record is
   * reported. False while they may still be written to.
   */
  final?: boolean;
  /** Called as bytes are read, with the total size of every planned file. */
  onProgress?: (bytesRead: number, bytesTotal: number) => void;
}

export interface ReadResult {
  discovery: Discovery;
  runs: Run[];
}

/** Every run under `path` (a file or a directory), read as the files stand. */
export async function readRuns(path: string, options: ReadOptions = {}): Promise<ReadResult> {
  const discovery = await discoverRuns(path, options);
  const total = discovery.runs.reduce((n, r) => n + r.files.reduce((m, f) => m + f.size, 0), 0);
  let done = 0;
  const report = options.onProgress;
  const onBytes = report
    ? (n: number) => {
        done += n;
        report(done, total);
      }
    : undefined;
  const runs: Run[] = [];
  for (const plan of discovery.runs) {
    const reader = new RunReader(plan, options.names);
    await reader.readAll(options.final ?? true, onBytes);
    // A log of several games (CycleGAN's A and B) is one run per game, each judged as its own.
    runs.push(...splitGames(reader.run()));
  }
  return { discovery, runs };
}

/** What one look at one file found. */
export interface FileUpdate {
  file: RunFile;
  status: RefreshResult;
  /** The new points (only when the read was asked to collect them). */
  points: ScalarPoint[];
  /** Images and clips this read found (they go to the run's sample index either way). */
  samples: number;
  problems: ReadProblem[];
}

/** One run's files, each with its parser and read position, and the columns read so far. */
export class RunReader {
  readonly builder: RunBuilder;
  private readonly tails = new Map<string, FileTail>();
  private plan: RunFile[];

  constructor(
    readonly runPlan: RunPlan,
    private readonly names: ReadNames = {},
    /** Index large images and clips before checking their CRC (follow mode: see FileTailOptions). */
    private readonly deferSampleChecks = false,
  ) {
    this.builder = new RunBuilder(runPlan.id, runPlan.root, runPlan.files, runPlan.hints);
    this.plan = [...runPlan.files];
  }

  get id(): string {
    return this.runPlan.id;
  }

  get files(): readonly RunFile[] {
    return this.plan;
  }

  /** Adds a file that appeared after the run was found (a new event file after a restart). */
  addFile(file: RunFile): boolean {
    if (this.plan.some((f) => f.path === file.path)) return false;
    this.plan.push(file);
    this.builder.target(file);
    return true;
  }

  /** Reads every file of the run to its current end. */
  async readAll(final: boolean, onBytes?: (n: number) => void): Promise<void> {
    for (const file of this.plan) await this.readFile(file, final, false, onBytes);
  }

  /**
   * Reads what is new in one file into the run's columns. A file reset (truncated, rewritten,
   * replaced) first forgets its old points. With `collect`, the new points are also returned.
   */
  async readFile(
    file: RunFile,
    final: boolean,
    collect: boolean,
    onBytes?: (n: number) => void,
  ): Promise<FileUpdate> {
    let tail = this.tails.get(file.path);
    if (tail === undefined) {
      tail = new FileTail(file.path, file.format, {
        ...(file.tagPrefix ? { tagPrefix: file.tagPrefix } : {}),
        names: this.names,
        deferSampleChecks: this.deferSampleChecks,
      });
      this.tails.set(file.path, tail);
    }
    const status = await tail.refresh();
    const points: ScalarPoint[] = [];
    if (status === "gone" || (status === "unchanged" && tail.reads > 0)) {
      return { file, status, points, samples: 0, problems: [] };
    }
    if (status === "reset") this.builder.reset(file.path);
    const columns = this.builder.target(file);
    const samplesBefore = columns.samples.length;
    const target: PointTarget = collect ? collecting(columns, points) : columns;
    const problems = await tail.read(target, final, onBytes);
    this.builder.addProblems(file.path, problems);
    this.builder.setHints(file.path, tail.hints());
    return { file, status, points, samples: columns.samples.length - samplesBefore, problems };
  }

  run(): Run {
    return this.builder.build();
  }

  /** The run's sample index as read so far: cheap next to run(), which joins every series. */
  samples(): SampleTrack[] {
    return this.builder.samples();
  }

  sampleCount(): number {
    return this.builder.sampleCount();
  }
}

/** Sends points to the run's columns and also keeps them as objects for a follow update. */
function collecting(columns: PointTarget, points: ScalarPoint[]): PointTarget {
  return {
    scalar: (tag, sourceTag, step, value, wallTime, key) => {
      columns.scalar(tag, sourceTag, step, value, wallTime, key);
      points.push({ tag, sourceTag, step, value, wallTime });
    },
    point: (p) => {
      columns.point(p);
      points.push(p);
    },
    forecast: (bytesRead, bytesTotal) => columns.forecast?.(bytesRead, bytesTotal),
    sample: columns.sample,
  };
}
