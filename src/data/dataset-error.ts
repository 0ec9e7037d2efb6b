/**
 * The one error the dataset layer throws on purpose: a NashboardError, so the CLI renders it in one line.
 * "usage" for a wrong name or argument, "data" for a points file it cannot read (with the line).
 */

import { type Bilingual, NashboardError } from "../errors.ts";

export type DatasetErrorCode = "usage" | "data";

export class DatasetError extends NashboardError {
  declare readonly code: DatasetErrorCode;
  /** 1-based line of the points file the error is about, when there is one. */
  readonly line?: number;

  constructor(code: DatasetErrorCode, message: string | Bilingual, line?: number) {
    super(code, message);
    this.name = "DatasetError";
    if (line !== undefined) this.line = line;
  }
}
