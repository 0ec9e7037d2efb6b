/**
 * Failures that are not the user's mistake but still theirs to fix: a file system that refuses a write
 * (full, read-only, permission, a directory deleted during the run) and a backend heap that cannot
 * grow. Each becomes a NashboardError, so the CLI prints one line naming the file and what to do, with
 * its exit code (io: 3, memory: 5), instead of a stack trace that shows nothing the user can act on.
 * The training code records which file a failed write was for (src/files/file-errors.ts).
 */
import { type Bilingual, NashboardError } from "../errors.ts";
import { en } from "../i18n/en.ts";
import { zh } from "../i18n/zh.ts";

/** Set by src/train/allocation-guard.ts (not imported: this module must load without tfjs). */
const OUT_OF_MEMORY = "ERR_NASHBOARD_OUT_OF_MEMORY";

/** The NashboardError that `e` stands for, or undefined when `e` is a bug. */
export function failureOf(e: unknown): NashboardError | undefined {
  if (e instanceof NashboardError) return e;
  if (!(e instanceof Error)) return undefined;
  const errno = e as NodeJS.ErrnoException;
  if (errno.code === OUT_OF_MEMORY)
    return new NashboardError(
      "memory",
      both((m) => m.outOfMemory(e.message)),
    );
  // An abort inside the wasm module: its C++ code aborts when an allocation fails (std::bad_alloc).
  if (e instanceof WebAssembly.RuntimeError && e.message.startsWith("Aborted("))
    return new NashboardError(
      "memory",
      both((m) => m.outOfMemory(e.message.replace(/\. Build with.*$/, ""))),
    );
  if (typeof errno.syscall === "string" && typeof errno.code === "string")
    return new NashboardError("io", ioMessage(errno.path ?? errno.syscall, errno.code));
  return undefined;
}

function ioMessage(path: string, code: string): Bilingual {
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return both((m) => m.ioNoSpace(path));
    case "EACCES":
    case "EPERM":
      return both((m) => m.ioDenied(path, code));
    case "EROFS":
      return both((m) => m.ioReadOnly(path));
    case "ENOENT":
    case "ENOTDIR":
      return both((m) => m.ioVanished(path, code));
    default:
      return both((m) => m.ioOther(path, code));
  }
}

function both(message: (m: typeof en) => string): Bilingual {
  return { en: message(en), zh: message(zh) };
}
