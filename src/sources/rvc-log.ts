import type { ReadProblem, ScalarPoint } from "../types.ts";
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import type { ColumnTarget, ParseOutput, RunHints } from "./parser.ts";
import { parseApplioRecord } from "./rvc/applio.ts";
import { type CheckpointSave, parseCheckpointSave } from "./rvc/checkpoints.ts";
import { type ColumnSlot, SlotTable } from "./rvc/column-slot.ts";
import { type MessageSpan, unwrapLogLine, unwrapSpan } from "./rvc/envelope.ts";
import { isConfigDump, parseEpochEnd, parseEpochStart } from "./rvc/epoch-lines.ts";
import { FastLines } from "./rvc/fast-lines.ts";
import { type ListRow, nameLosses, parseListRow } from "./rvc/list-rows.ts";
import { parseLossLine } from "./rvc/loss-pairs.ts";
import { RunNotes } from "./rvc/run-notes.ts";
import { SegmentCounter } from "./segments.ts";

/**
 * True when a line is one this reader understands (format detection): a loss, row, epoch or save line,
 * or the hyper-parameter dump VITS-family trainers start with (several restarts can fill the first KB).
 */
export function isRvcLogLine(text: string): boolean {
  const { message } = unwrapLogLine(text);
  const row = parseListRow(message);
  return (
    row?.kind === "row" ||
    isConfigDump(message) ||
    parseCheckpointSave(message) !== undefined ||
    parseEpochStart(message) !== undefined ||
    parseEpochEnd(message) !== undefined ||
    (parseLossLine(message)?.pairs.length ?? 0) > 0 ||
    parseApplioRecord(message) !== undefined
  );
}

/** What a line contributes to a point; step, epoch, segment and wall time come from the parser's state. */
type PointValue = Pick<ScalarPoint, "tag" | "sourceTag" | "value" | "lowerBound">;

/**
 * Reader for the RVC family's text logs: RVC-WebUI `train.log` and console pastes (also translated),
 * so-vits-svc / VITS `train.log` list rows, the Paddle port, and Applio's console (notes/rvc-logs.md).
 *
 * How lines become points:
 * - `Train Epoch: N [p%]` sets the current epoch; `====> Epoch: N` ends it, so lines after it and before
 *   the next start belong to N + 1 (the trainer's loop has moved on).
 * - `[global_step, lr]` sets the step of the loss line after it and is itself an `lr` point.
 * - A loss line takes that step. A loss line with no fresh step before it (a hand-copied line, a fork
 *   printing every batch) gets the previous step + 1, and meta() says the steps were counted.
 * - A list row `[losses..., step, lr]` carries its own step.
 * - A step that goes back, or repeats after the trainer logged its config again, starts a new segment.
 * Lines that match nothing are other output (warnings, config dumps) and are skipped silently; a line
 * that looks like a loss line but does not parse is reported with its number.
 */
export class RvcLogParser extends LineStreamParser {
  readonly format = "rvc-log";
  private epoch: number | undefined;
  /** Applio 2023 logs `====> Epoch: N Step: S ...` and then the epoch's loss line. */
  private summaryEpoch: number | undefined;
  private step: number | undefined;
  private stepFresh = false;
  private readonly segments = new SegmentCounter();
  private readonly checkpoints: CheckpointSave[] = [];
  private readonly notes = new RunNotes();
  /** Read the common lines in place (fast-lines.ts); off only to test that both ways agree. */
  private readonly fastLines: boolean;
  private readonly fast = new FastLines();
  private readonly span: MessageSpan = { start: 0, end: 0, wallTime: undefined };
  /** The columns of the pushToColumns() in progress; otherwise points are returned. */
  private columns: ColumnTarget | undefined;
  private readonly slots = new SlotTable();
  private readonly lrSlot: ColumnSlot;
  /** A list row's slots by its number of losses: `lr` first, then the losses as nameLosses names them. */
  private readonly rowSlots: ColumnSlot[][] = [];

  constructor(path: string, options: { fastLines?: boolean } = {}) {
    super(path);
    this.fastLines = options.fastLines ?? true;
    this.lrSlot = this.slots.get("lr", "lr");
  }

  pushToColumns(chunk: Uint8Array, target: ColumnTarget): ReadProblem[] {
    return this.toColumns(target, () => this.push(chunk));
  }

  endToColumns(final: boolean, target: ColumnTarget): ReadProblem[] {
    return this.toColumns(target, () => this.end(final));
  }

  /** Runs a push or end whose points go to `target`'s columns (or, if it has none, to its `point`). */
  private toColumns(target: ColumnTarget, read: () => ParseOutput): ReadProblem[] {
    if (typeof target.textColumn !== "function") {
      const out = read();
      for (const p of out.points) target.point(p);
      return out.problems;
    }
    this.columns = target;
    try {
      return read().problems;
    } finally {
      this.columns = undefined;
    }
  }

  meta(): RunHints {
    const hints: RunHints = { lossFamily: "lsgan", notes: this.notes.render(this.segments.resumes) };
    const k = this.notes.discriminators();
    if (k !== undefined) hints.discriminators = k;
    if (this.checkpoints.length > 0) hints.checkpoints = this.checkpoints.map((c) => ({ ...c }));
    return hints;
  }

  /** The common lines of a train.log read in place; every other line (or any doubt) goes to readLine. */
  protected override readSpan(
    text: string,
    start: number,
    end: number,
    line: number,
    out: ParseOutput,
  ): void {
    const span = this.span;
    if (this.fastLines && unwrapSpan(text, start, end, span) && span.end > span.start) {
      this.lineOut = out;
      this.lineWallTime = span.wallTime;
      if (this.readFast(text, span.start, span.end)) return;
    }
    this.readLine({ text: text.slice(start, end), line }, out);
  }

  /**
   * A loss line, a list row or an epoch start in its plain shape (fast-lines.ts), read with the state
   * changes and points readLine would make for it; false, having changed nothing, for any other message.
   */
  private readFast(text: string, from: number, to: number): boolean {
    const fast = this.fast;
    const first = text.charCodeAt(from);
    if (first === 108) {
      // l
      const n = fast.lossLine(text, from, to);
      if (n < 0) return false;
      const step = this.takeStep();
      const segment = this.segments.observe(step);
      const epoch = this.summaryEpoch ?? this.epoch;
      const values = fast.values;
      for (let i = 0; i < n; i++) {
        const key = fast.keys[i];
        const value = values[i];
        const lowerBound = value === key.clamp;
        this.put(key.slot, step, value, segment, lowerBound, epoch);
        if (lowerBound) this.notes.clamped(key.slot.tag);
      }
      this.summaryEpoch = undefined;
      return true;
    }
    if (first === 91) {
      // [
      const n = fast.listRow(text, from, to);
      if (n < 0) return false;
      const values = fast.values;
      const lossCount = n - 2;
      const step = values[n - 2];
      this.step = step;
      this.stepFresh = lossCount === 0;
      const segment = this.segments.observe(step);
      const epoch = this.summaryEpoch ?? this.epoch;
      const slots = this.rowSlots[lossCount] ?? this.makeRowSlots(lossCount);
      this.put(slots[0], step, values[n - 1], segment, false, epoch);
      for (let i = 0; i < lossCount; i++) this.put(slots[i + 1], step, values[i], segment, false, epoch);
      if (lossCount > 0) this.notes.listRow(lossCount);
      return true;
    }
    if (first === 84) {
      // T
      const epoch = fast.epochStart(text, from, to);
      if (epoch < 0) return false;
      this.epoch = epoch;
      this.summaryEpoch = undefined;
      return true;
    }
    return false;
  }

  /** The slots of a list row with `lossCount` losses, named as parseListRow names them. */
  private makeRowSlots(lossCount: number): ColumnSlot[] {
    const named = nameLosses(new Array<number>(lossCount).fill(0));
    const slots = [this.lrSlot, ...named.map((v) => this.slots.get(v.tag, v.sourceTag))];
    this.rowSlots[lossCount] = slots;
    return slots;
  }

  /**
   * One point of the line being read: to the columns of the pushToColumns() in progress, or as an object
   * to the line's output.
   */
  private put(
    slot: ColumnSlot,
    step: number,
    value: number,
    segment: number,
    lowerBound: boolean,
    epoch: number | undefined,
  ): void {
    const wallTime = this.lineWallTime;
    const columns = this.columns;
    if (columns !== undefined) {
      slot.columnIn(columns).addFull(step, value, wallTime, epoch, segment, lowerBound);
      return;
    }
    // Built field by field, not spread: spread and rest objects end up in V8's slow dictionary
    // mode, and every later reader of the points (columns, the monitor) pays for it per access.
    const point: ScalarPoint = { tag: slot.tag, sourceTag: slot.sourceTag, step, value, segment };
    if (lowerBound) point.lowerBound = true;
    if (epoch !== undefined) point.epoch = epoch;
    if (wallTime !== undefined) point.wallTime = wallTime;
    this.lineOut.points.push(point);
  }

  protected readLine({ text, line }: TextLine, out: ParseOutput): void {
    const { message, wallTime } = unwrapLogLine(text);
    // `#` lines are annotations (the fixtures' source notes, users' remarks in pasted logs).
    if (message === "" || message.startsWith("#")) return;
    // One function per parser, not a closure per line: a million lines would make a million closures.
    const emit = this.emit;
    this.lineOut = out;
    this.lineWallTime = wallTime;

    if (isConfigDump(message)) {
      this.segments.announceRestart();
      return;
    }

    const record = parseApplioRecord(message);
    if (record) {
      this.epoch = record.epoch;
      emit(record.step, record.values);
      this.epoch = record.epoch + 1;
      if (record.lowest) this.notes.applioLowest(record.lowest);
      return;
    }

    const save = parseCheckpointSave(message);
    if (save) {
      this.recordCheckpoint(save);
      return;
    }

    const row = parseListRow(message);
    if (row?.kind === "damaged") {
      out.problems.push(this.problem(line, `damaged loss row: ${row.reason}`));
      return;
    }
    if (row) {
      this.readRow(row.row, emit);
      return;
    }

    const start = parseEpochStart(message);
    if (start !== undefined) {
      this.epoch = start;
      this.summaryEpoch = undefined;
      return;
    }

    const end = parseEpochEnd(message);
    if (end) {
      this.epoch = end.epoch + 1;
      if (end.step !== undefined) {
        this.step = end.step;
        this.stepFresh = true;
      }
      if (end.step !== undefined && end.lr !== undefined) {
        // Applio 2023's stop-on-fit summary: the loss line that follows is this epoch's.
        this.summaryEpoch = end.epoch;
        emit(end.step, [{ tag: "lr", sourceTag: "Learning Rate", value: end.lr }]);
      }
      return;
    }

    const loss = parseLossLine(message);
    if (loss) {
      for (const bad of loss.damaged) {
        out.problems.push(this.problem(line, `damaged loss line: ${bad.key} has no number ('${bad.text}')`));
      }
      if (loss.pairs.length > 0) {
        emit(this.takeStep(), loss.pairs);
        this.notes.lossLine(loss.pairs);
      }
      this.summaryEpoch = undefined;
      return;
    }

    this.notes.otherLine(message);
  }

  /** Where `emit` puts the points of the line being read, and that line's wall time. */
  private lineOut: ParseOutput = { points: [], problems: [] };
  private lineWallTime: number | undefined;

  /** Adds the points of the line being read: `values` at `step`, in the parser's epoch and segment. */
  private readonly emit = (step: number, values: PointValue[]): void => {
    const segment = this.segments.observe(step);
    const epoch = this.summaryEpoch ?? this.epoch;
    for (const v of values) {
      this.put(this.slots.get(v.tag, v.sourceTag), step, v.value, segment, v.lowerBound === true, epoch);
    }
  };

  private readRow(row: ListRow, emit: (step: number, values: PointValue[]) => void): void {
    this.step = row.step;
    // `[global_step, lr]` announces the loss line after it; a row with losses has used its step.
    this.stepFresh = row.lossCount === 0;
    emit(row.step, [{ tag: "lr", sourceTag: "lr", value: row.lr }, ...row.values]);
    if (row.lossCount > 0) this.notes.listRow(row.lossCount);
  }

  /** The step for a loss line: the announced one, or one past the last when none was announced. */
  private takeStep(): number {
    if (this.stepFresh && this.step !== undefined) {
      this.stepFresh = false;
      return this.step;
    }
    this.step = this.step === undefined ? 0 : this.step + 1;
    this.notes.stepCounted();
    return this.step;
  }

  /** One entry per save: RVC's `G_680.pth` line and its `saving ckpt name_e5` line are the same save. */
  private recordCheckpoint(save: CheckpointSave): void {
    const last = this.checkpoints.at(-1);
    const sameSave =
      last !== undefined &&
      last.epoch === save.epoch &&
      (last.step === undefined || save.step === undefined || last.step === save.step) &&
      (last.file === undefined || save.file === undefined);
    if (sameSave) Object.assign(last, { ...save, ...last });
    else this.checkpoints.push(save);
  }
}
