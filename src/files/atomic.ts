/**
 * Files written so that a reader sees the old content or the new, never a mix: the run's checkpoint,
 * config and report, and the steer file another trainer reads between steps (src/control/steerer.ts).
 */
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, openSync, renameSync, unlinkSync } from "node:fs";
import { naming } from "./file-errors.ts";
import { writeAll } from "./write-all.ts";

/** The temporary files writeFileAtomic makes for `name`: `<name>.<pid>.<random>.tmp`. */
export const ATOMIC_TEMP = /^(.+)\.\d+\.[0-9a-f]{12}\.tmp$/;

/**
 * Write `text` to `path` so that readers see the old content or the new, never a mix. A failure
 * (disk full, read-only) leaves the old file in place, removes the temporary one and names `path`.
 */
export function writeFileAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  naming(path, () => {
    try {
      const fd = openSync(tmp, "wx");
      try {
        writeAll(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // never created, or the directory is gone
      }
      throw e;
    }
  });
}
