/**
 * The one error type for mistakes a user can make (a bad flag, a missing file, an unknown dataset).
 * The CLI renders it as one line and an exit code; anything else that escapes is a bug and shows a trace.
 * A message a user may read comes in English and Chinese; errors only a programmer can cause (a
 * library call with a wrong buffer) may be English alone.
 */
import type { Lang } from "./i18n/index.ts";

/**
 * usage: the user asked for something wrong; io: a file could not be read or written (disk full,
 * read-only, permission, a directory that vanished); data: nothing readable; memory: the backend's heap
 * could not hold the run's tensors.
 */
export type ErrorCode = "usage" | "io" | "data" | "memory";

/** A sentence in both languages of the project. */
export interface Bilingual {
  en: string;
  zh: string;
}

export class NashboardError extends Error {
  private readonly zh: string | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string | Bilingual,
  ) {
    super(typeof message === "string" ? message : message.en);
    this.name = "NashboardError";
    this.zh = typeof message === "string" ? undefined : message.zh;
  }

  /** The message in `lang`, falling back to English where only English exists. */
  text(lang: Lang): string {
    return lang === "zh" && this.zh !== undefined ? this.zh : this.message;
  }
}

/**
 * The exit code for each kind of failure: 2 for usage, as command-line tools conventionally do. 1 is left
 * to what is none of these: a bug, printed with its stack trace (src/cli/main.ts).
 */
export const EXIT_CODES: Record<ErrorCode, number> = { usage: 2, io: 3, data: 4, memory: 5 };
