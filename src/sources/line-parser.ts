import type { ReadProblem } from "../types.ts";
import { type LineSink, LineSplitter, MAX_LINE_CHARS, type TextLine } from "./lines.ts";
import type { ParseOutput, RunHints, StreamParser } from "./parser.ts";

/**
 * The shared frame of every line-oriented format: bytes go through a LineSplitter, each complete line
 * goes to `readLine`, and whatever a line handler throws becomes a problem on that line instead of
 * escaping (a reader never dies on corrupt data; a throw here is a bug worth seeing, not a crash).
 *
 * `end(false)` (a growing file, follow mode) does not flush a last line without a newline: the writer
 * may be in the middle of it, and `loss_disc=3.1` read from a half-written `loss_disc=3.125` would be
 * a wrong value, not a late one. `end(true)` (the file is complete) flushes it.
 */
export abstract class LineStreamParser implements StreamParser {
  abstract readonly format: string;
  private readonly splitter = new LineSplitter();

  constructor(readonly path: string) {}

  push(chunk: Uint8Array): ParseOutput {
    const out: ParseOutput = { points: [], problems: [] };
    this.out = out;
    this.splitter.pushTo(chunk, this.onLine);
    return this.withOverlong(out);
  }

  end(final: boolean): ParseOutput {
    const out: ParseOutput = { points: [], problems: [] };
    if (!final) return out;
    this.out = out;
    this.splitter.endTo(this.onLine);
    return this.withOverlong(out);
  }

  /** Lines skipped for their length are problems where they were met; reading went on past them. */
  private withOverlong(out: ParseOutput): ParseOutput {
    for (const o of this.splitter.takeOverlong()) {
      const mib = (o.chars / (1 << 20)).toFixed(1);
      const message = o.unterminated
        ? `the file ends in a line of ${mib} MiB (${o.chars} characters from character ${o.startChar}) with no line break, over the ${MAX_LINE_CHARS / (1 << 20)} MiB a line may have (NUL bytes left by a power cut?): skipped`
        : `a line of ${mib} MiB (${o.chars} characters from character ${o.startChar}), over the ${MAX_LINE_CHARS / (1 << 20)} MiB a line may have: skipped`;
      out.problems.push(this.problem(o.line, message));
    }
    return out;
  }

  abstract meta(): RunHints;

  /** Read one line, appending its points and problems to `out`. */
  protected abstract readLine(line: TextLine, out: ParseOutput): void;

  protected problem(line: number, message: string): ReadProblem {
    return { path: this.path, line, message, fatal: false };
  }

  /**
   * Read one line given as `text.slice(start, end)`, usually a span of a whole decoded chunk. By default
   * the line is cut out and read by readLine; a format whose common lines can be read in place overrides
   * this (and calls readLine for the others), saving a string per line.
   */
  protected readSpan(text: string, start: number, end: number, line: number, out: ParseOutput): void {
    this.readLine({ text: text.slice(start, end), line }, out);
  }

  /**
   * Whether each line holds every point of its step (ScalarPoint.stepEnd). True for logs that print a
   * step per line; false where a step's quantities are spread over files (an MLflow metric file).
   */
  protected readonly lineIsStep: boolean = true;

  /** Where the lines of the push in progress put their points and problems. */
  private out: ParseOutput = { points: [], problems: [] };

  /** Each line as the splitter cuts it (one function per parser, not a closure per push). */
  private readonly onLine: LineSink = (text, start, end, line) => {
    const out = this.out;
    const before = out.points.length;
    try {
      this.readSpan(text, start, end, line, out);
      // A line is a whole step: its last point says so, and the monitor judges the step at once.
      if (this.lineIsStep && out.points.length > before) out.points[out.points.length - 1].stepEnd = true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      out.problems.push(this.problem(line, `internal error while reading this line: ${reason}`));
    }
  };
}
