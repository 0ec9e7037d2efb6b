import type { ScalarPoint } from "../types.ts";
import { LineStreamParser } from "./line-parser.ts";
import type { TextLine } from "./lines.ts";
import type { ParseOutput, RunHints } from "./parser.ts";
import { parseApplioRecord } from "./rvc/applio.ts";
import { type CheckpointSave, parseCheckpointSave } from "./rvc/checkpoints.ts";
import { unwrapLogLine } from "./rvc/envelope.ts";
import { isConfigDump, parseEpochEnd, parseEpochStart } from "./rvc/epoch-lines.ts";
import { type ListRow, parseListRow } from "./rvc/list-rows.ts";
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

  meta(): RunHints {
    const hints: RunHints = { lossFamily: "lsgan", notes: this.notes.render(this.segments.resumes) };
    const k = this.notes.discriminators();
    if (k !== undefined) hints.discriminators = k;
    if (this.checkpoints.length > 0) hints.checkpoints = this.checkpoints.map((c) => ({ ...c }));
    return hints;
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
    const out = this.lineOut;
    const wallTime = this.lineWallTime;
    const segment = this.segments.observe(step);
    const epoch = this.summaryEpoch ?? this.epoch;
    for (const v of values) {
      // Built field by field, not spread: spread and rest objects end up in V8's slow dictionary
      // mode, and every later reader of the points (columns, the monitor) pays for it per access.
      const point: ScalarPoint = { tag: v.tag, sourceTag: v.sourceTag, step, value: v.value, segment };
      if (v.lowerBound) point.lowerBound = true;
      if (epoch !== undefined) point.epoch = epoch;
      if (wallTime !== undefined) point.wallTime = wallTime;
      out.points.push(point);
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
