/**
 * write(2), fsync(2) and close(2) errors name no file ("ENOSPC: no space left on device, write"), yet
 * the one line a user reads must say which file failed. The writers of a run wrap their calls in
 * `naming`, which records the file on the error; the CLI's edge turns it into that line.
 */
export function naming<T>(path: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    throw withPath(e, path);
  }
}

/** The error with `path` set, if it is a system error that has none. */
export function withPath(e: unknown, path: string): unknown {
  // a system error names its syscall; a NashboardError or a bug has none
  if (e instanceof Error && typeof (e as NodeJS.ErrnoException).syscall === "string") {
    const errno = e as NodeJS.ErrnoException;
    errno.path ??= path;
  }
  return e;
}
