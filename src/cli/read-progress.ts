/**
 * A progress line while logs are read, on a terminal only (stderr is a TTY) and only once reading has
 * taken more than a second: small files are read before a bar could be seen, and logs, pipes and CI
 * output stay clean.
 */
import type { Messages } from "../i18n/index.ts";

export interface ReadProgress {
  update(bytesRead: number, bytesTotal: number): void;
  /** Clears the line if one was drawn. */
  done(): void;
}

/** Reading shorter than this shows nothing. */
const SHOW_AFTER_MS = 1000;
/** Redraws at most ten times a second. */
const REDRAW_MS = 100;
const WIDTH = 24;

export function createReadProgress(
  m: Messages,
  stream: Pick<NodeJS.WriteStream, "isTTY" | "write"> = process.stderr,
  now: () => number = () => performance.now(),
): ReadProgress {
  const started = now();
  let lastDraw = -Infinity;
  let drawn = false;
  if (!stream.isTTY) return { update() {}, done() {} };
  return {
    update(read, total) {
      const t = now();
      if (t - started < SHOW_AFTER_MS || t - lastDraw < REDRAW_MS) return;
      lastDraw = t;
      const fraction = total > 0 ? Math.min(1, read / total) : 0;
      const filled = Math.round(WIDTH * fraction);
      const mbPerSec = read / 1e6 / ((t - started) / 1000);
      const text = m.readingProgress(read / 1e6, total / 1e6, mbPerSec);
      stream.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${text}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\r\x1b[2K");
      drawn = false;
    },
  };
}
