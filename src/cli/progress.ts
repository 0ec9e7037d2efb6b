/**
 * Training progress on the terminal: a redrawn bar with loss_disc, loss_gen and steps/s when stderr is
 * a TTY, otherwise a plain line every tenth of the run (logs and CI stay readable). The rate is timed
 * from the first step shown, so the first line has none to show (not "0 steps/s").
 */
import type { Messages } from "../i18n/index.ts";

export interface ProgressView {
  update(step: number, lossDisc: number, lossGen: number): void;
  /** Print a line without garbling the bar. */
  line(text: string): void;
  done(): void;
}

export function createProgress(
  total: number,
  m: Messages,
  stream: NodeJS.WriteStream = process.stderr,
): ProgressView {
  /** The first step shown and when: the rate is measured from there (a resume starts mid-run). */
  let first: { step: number; at: number } | undefined;
  let lastDraw = 0;
  let lastPlainTenth = -1;
  let drawn = false;
  const rate = (step: number): number | undefined => {
    const now = performance.now();
    if (!first) {
      first = { step, at: now };
      return undefined;
    }
    const seconds = (now - first.at) / 1000;
    return seconds > 0 && step > first.step ? (step - first.step) / seconds : undefined;
  };
  const text = (step: number, ld: number, lg: number) =>
    m.progress({ step, total, lossDisc: ld, lossGen: lg, stepsPerSec: rate(step) });

  if (stream.isTTY) {
    return {
      update(step, ld, lg) {
        const now = performance.now();
        if (now - lastDraw < 100 && step < total) return; // ten frames a second is plenty
        lastDraw = now;
        const width = 24;
        const filled = Math.round((width * step) / total);
        stream.write(`\r\x1b[2K[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${text(step, ld, lg)}`);
        drawn = true;
      },
      line(s) {
        stream.write(`${drawn ? "\r\x1b[2K" : ""}${s}\n`);
        drawn = false;
        lastDraw = 0;
      },
      done() {
        if (drawn) stream.write("\n");
        drawn = false;
      },
    };
  }
  return {
    update(step, ld, lg) {
      const tenth = Math.floor((10 * step) / total);
      if (tenth === lastPlainTenth) return;
      lastPlainTenth = tenth;
      stream.write(`${text(step, ld, lg)}\n`);
    },
    line(s) {
      stream.write(`${s}\n`);
    },
    done() {},
  };
}
