import type { ReadProblem, ScalarPoint } from "../types.ts";
import { LineSplitter, type TextLine } from "./lines.ts";
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
    return this.readLines(this.splitter.push(chunk));
  }

  end(final: boolean): ParseOutput {
    return final ? this.readLines(this.splitter.end()) : { points: [], problems: [] };
  }

  abstract meta(): RunHints;

  /** Read one line, appending its points and problems to `out`. */
  protected abstract readLine(line: TextLine, out: ParseOutput): void;

  protected problem(line: number, message: string): ReadProblem {
    return { path: this.path, line, message, fatal: false };
  }

  private readLines(lines: TextLine[]): ParseOutput {
    const out: { points: ScalarPoint[]; problems: ReadProblem[] } = { points: [], problems: [] };
    for (const line of lines) {
      try {
        this.readLine(line, out);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        out.problems.push(this.problem(line.line, `internal error while reading this line: ${reason}`));
      }
    }
    return out;
  }
}
