import { writeSync } from "node:fs";

/**
 * Writes every byte of `text` at the end of `fd`, or throws. write(2) may write part of a buffer (a disk
 * that fills mid-write does): looping either finishes the line or surfaces the error (ENOSPC) that the
 * next call returns, instead of silently counting a cut line as written. Returns the bytes written.
 */
export function writeAll(fd: number, text: string): number {
  const bytes = Buffer.from(text, "utf8");
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
  return written;
}
