/**
 * A file that grows the way training logs do, for follow-mode tests: lines and event records appended
 * in pieces (a line or record cut anywhere, the rest written later), truncated, rotated (renamed away
 * and a new file started under the same name) and rewritten in place.
 */
import { appendFileSync, renameSync, truncateSync, writeFileSync } from "node:fs";
import { encodeEvent } from "../../src/events/event-encoder.ts";
import { frameRecord } from "../../src/tfrecord/record-writer.ts";

export class GrowingFile {
  constructor(readonly path: string) {
    writeFileSync(path, "");
  }

  /** Appends bytes or text at once. */
  append(data: Uint8Array | string): void {
    appendFileSync(this.path, data);
  }

  /**
   * Appends `data` in pieces cut at `cuts` (byte offsets into data, ascending), waiting `pauseMs`
   * between pieces so a follower looks at the file while a line or record is incomplete.
   */
  async appendInPieces(data: Uint8Array | string, cuts: number[], pauseMs: number): Promise<void> {
    const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
    let from = 0;
    for (const cut of [...cuts, bytes.length]) {
      this.append(bytes.subarray(from, cut));
      from = cut;
      if (cut < bytes.length) await sleep(pauseMs);
    }
  }

  /** Cuts the file to `size` bytes (0: empty), as a log handler reopened with "w" does. */
  truncate(size = 0): void {
    truncateSync(this.path, size);
  }

  /** Renames the file to `<path>.1` and starts a new one under the same name holding `data`. */
  rotate(data: Uint8Array | string = ""): string {
    const old = `${this.path}.1`;
    renameSync(this.path, old);
    writeFileSync(this.path, data);
    return old;
  }

  /** Writes a whole new content through a temporary file renamed over the old one (an atomic rewrite). */
  replace(data: Uint8Array | string): void {
    const tmp = `${this.path}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, this.path);
  }
}

/** The TFRecord bytes of the file-version event every PyTorch event file starts with. */
export function versionRecord(wallTime = 1.7e9): Uint8Array {
  return frameRecord(encodeEvent({ wallTime, fileVersion: "brain.Event:2" }));
}

/** The TFRecord bytes of one event holding `scalars` at `step`, as the project's writer frames it. */
export function scalarRecord(
  step: number,
  scalars: Record<string, number>,
  wallTime = 1.7e9 + step,
): Uint8Array {
  const values = Object.entries(scalars).map(([tag, value]) => ({ tag, value }));
  return frameRecord(encodeEvent({ wallTime, step, scalars: values }));
}

/** One RVC-WebUI train.log block (file-handler format): epoch line, `[step, lr]`, the loss line. */
export function rvcBlock(epoch: number, step: number, lossDisc: number, lossGen: number): string {
  const head = "2024-06-13 02:20:09,153\texp\tINFO\t";
  return (
    `${head}Train Epoch: ${epoch} [0%]\n` +
    `${head}[${step}, 0.0001]\n` +
    `${head}loss_disc=${lossDisc.toFixed(3)}, loss_gen=${lossGen.toFixed(3)}, loss_fm=9.000,loss_mel=20.000, loss_kl=1.500\n`
  );
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
