/**
 * The one error type for mistakes a user can make (a bad flag, a missing file, an unknown dataset).
 * The CLI renders it as one line and an exit code; anything else that escapes is a bug and shows a trace.
 */
export type ErrorCode = "usage" | "io" | "data";

export class NashboardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "NashboardError";
  }
}

/** The exit code for each kind of user error: 2 for usage, as command-line tools conventionally do. */
export const EXIT_CODES: Record<ErrorCode, number> = { usage: 2, io: 3, data: 4 };
