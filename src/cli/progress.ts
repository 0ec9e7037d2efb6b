/**
 * Training progress on the terminal: a redrawn bar with loss_disc, loss_gen and steps/s when stderr is
 * a TTY, otherwise a plain line every tenth of the run (logs and CI stay readable).
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
  const started = performance.now();
  let firstStep: number | undefined;
  let lastDraw = 0;
  let lastPlainTenth = -1;
  let drawn = false;
  const rate = (step: number) => {
    const seconds = (performance.now() - started) / 1000;
    return seconds > 0 ? (step - (firstStep ?? 0)) / seconds : 0;
  };
  const text = (step: number, ld: number, lg: number) =>
    m.progress({ step, total, lossDisc: ld, lossGen: lg, stepsPerSec: rate(step) });

  if (stream.isTTY) {
    return {
      update(step, ld, lg) {
        firstStep ??= step;
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
      firstStep ??= step;
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
