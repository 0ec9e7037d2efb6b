import type { LossFamily, ReadProblem, ScalarPoint } from "../types.ts";

/**
 * The contract every log format implements. A parser is fed a file's bytes in chunks, in order, as they
 * arrive (the whole file at once, or appended pieces in follow mode) and returns the points each chunk
 * completed. It keeps whatever state spans chunks (a half line, a truncated record, the current step and
 * epoch), so reading a file whole and reading it while it grows give the same points.
 *
 * A parser never throws on bad data: it reports a ReadProblem and goes on where it can.
 */
export interface StreamParser {
  /** The format's name, e.g. "rvc-log", "tfevents", "dcgan-console", "csv", "jsonl". */
  readonly format: string;
  /** Feed the next bytes of the file. */
  push(chunk: Uint8Array): ParseOutput;
  /**
   * No more bytes for now (end of file as it stands). Text parsers flush a last line without a newline;
   * binary parsers report a truncated tail as a problem only when `final` is true (the file is complete),
   * since a growing file's last record may simply not be written yet.
   */
  end(final: boolean): ParseOutput;
  /** What the parser learned about the run so far (loss family, number of sub-discriminators, ...). */
  meta(): RunHints;
  /**
   * Optional: push() with the points handed to `target` as they are read instead of returned: to its
   * columns when it has `textColumn`, else one by one to `point`. The same points in the same order as
   * push() returns, without an object per point. Returns the problems.
   */
  pushToColumns?(chunk: Uint8Array, target: ColumnTarget): ReadProblem[];
  /** Optional: end() as pushToColumns() is push(). */
  endToColumns?(final: boolean, target: ColumnTarget): ReadProblem[];
}

/**
 * One (tag, source tag)'s column, appended to with a point's fields: what `point(p)` would store for
 * `p`, field by field (run-builder.ts's FileSeries hands out its SeriesBuilders).
 */
export interface TextColumn {
  addFull(
    step: number,
    value: number,
    wallTime: number | undefined,
    epoch: number | undefined,
    segment: number | undefined,
    lowerBound: boolean | undefined,
  ): void;
}

/** Where pushToColumns() sends points. */
export interface ColumnTarget {
  point(p: ScalarPoint): void;
  /**
   * Optional: the column of (tag, source tag). A parser may keep it for later points as long as the
   * target is the same object: a target's columns are its own.
   */
  textColumn?(tag: string, sourceTag: string): TextColumn;
}

export interface ParseOutput {
  points: ScalarPoint[];
  problems: ReadProblem[];
}

/**
 * Names the user gave for D's loss, G's loss and the step (`--d-tag`, `--g-tag`, `--step-tag`): a key or
 * column of any format, taken as that quantity whatever the alias table says.
 */
export interface ReadNames {
  d?: string;
  g?: string;
  step?: string;
}

/** What a source can tell about the run that produced it; the monitor uses these, the CLI can override. */
export interface RunHints {
  lossFamily?: LossFamily;
  /** Number of sub-discriminators K (RVC v1: 7, v2 / Applio: 9, so-vits-svc / VITS: 6). */
  discriminators?: number;
  /** Free-form facts worth showing (e.g. "checkpoint saved at epoch 5 (G_680.pth)"). */
  notes?: string[];
  /** Checkpoints the log says were saved: step and/or epoch, and the file name when given. */
  checkpoints?: { step?: number; epoch?: number; file?: string }[];
}
