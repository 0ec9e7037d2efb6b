/**
 * One writer per run directory. Two trainers appending to one metrics.jsonl interleave their steps and
 * share one checkpoint, so a run takes an exclusive lock file before it writes anything: created with
 * O_EXCL (the file system decides who wins, atomically), holding the owner's pid, host and start time
 * so that a refusal can say who holds it.
 *
 * A process killed with SIGKILL (or a machine that lost power) leaves its lock behind. On the same host
 * a lock whose pid no longer exists (kill(pid, 0) fails with ESRCH) is stale and is taken over; a lock
 * from another host (a shared file system) is never judged, since its pid means nothing here.
 */
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { NashboardError } from "../errors.ts";
import { RUN_FILES } from "./run-files.ts";

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the owner took the lock. */
  started: string;
}

export interface RunLock {
  readonly path: string;
  readonly owner: LockOwner;
  /** The stale lock this one replaced, if any (its process had died). */
  readonly tookOverFrom?: LockOwner;
  /** Removes the lock if it is still this process's. Harmless twice, and when the directory is gone. */
  release(): void;
}

/** Takes the lock of run directory `dir` (which must exist) or throws a NashboardError naming its owner. */
export function acquireRunLock(dir: string): RunLock {
  const path = join(dir, RUN_FILES.lock);
  const owner: LockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  let tookOverFrom: LockOwner | undefined;
  // Two rounds: the second runs only after a stale lock was moved aside.
  for (let round = 0; round < 2; round++) {
    if (createExclusive(path, owner)) return held(path, owner, tookOverFrom);
    const text = readOrEmpty(path);
    if (text === undefined) continue; // released between our attempt and our read: try again
    const existing = parseOwner(text);
    if (!existing || !isStale(existing)) throw lockedError(dir, path, existing);
    if (!moveAsideIfUnchanged(path, text)) throw lockedError(dir, path, existing);
    tookOverFrom = existing;
  }
  throw lockedError(dir, path, parseOwner(readOrEmpty(path) ?? ""));
}

/** O_EXCL create: true when this process made the file. The content goes in before anyone can parse it. */
function createExclusive(path: string, owner: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw e;
  }
  try {
    writeSync(fd, `${JSON.stringify(owner)}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function held(path: string, owner: LockOwner, tookOverFrom: LockOwner | undefined): RunLock {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off("exit", release);
    // Called from `finally` and on exit, so it never throws over the error being reported.
    try {
      // Only our own lock: never remove one a later owner took over after judging ours stale.
      const current = parseOwner(readOrEmpty(path) ?? "");
      if (current?.pid !== owner.pid || current.started !== owner.started || current.host !== owner.host)
        return;
      unlinkSync(path);
    } catch {
      // the directory vanished with the lock in it, or became unreadable: nothing more can be done
    }
  };
  // process.exit() skips `finally` blocks; the exit event still runs synchronous code.
  process.on("exit", release);
  return { path, owner, ...(tookOverFrom ? { tookOverFrom } : {}), release };
}

function readOrEmpty(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw e;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    if (typeof o.pid === "number" && typeof o.host === "string" && typeof o.started === "string")
      return { pid: o.pid, host: o.host, started: o.started };
  } catch {
    // empty or cut short: its writer is between create and write, or died there (see lockedError)
  }
  return undefined;
}

/** Same host and no such process. EPERM means the process exists under another user: not stale. */
function isStale(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return false;
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/**
 * Moves a stale lock out of the way, atomically and only if it is still the one judged stale: two
 * processes may judge the same dead lock at once, and the slower must not remove the faster one's new
 * lock. The rename to a name unique to this process succeeds for one of them; if what it moved is not
 * the stale content, it puts it back (link fails if a third lock appeared meanwhile; that one stands).
 */
function moveAsideIfUnchanged(path: string, staleText: string): boolean {
  const aside = `${path}.stale-${process.pid}-${Math.random().toString(36).slice(2)}`;
  try {
    renameSync(path, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return true; // someone else moved it: retry create
    throw e;
  }
  const moved = readOrEmpty(aside);
  if (moved !== staleText) {
    try {
      linkSync(aside, path);
    } catch {
      // another lock took the name: it stands, ours is refused either way
    }
    unlinkSync(aside);
    return false;
  }
  unlinkSync(aside);
  return true;
}

function lockedError(dir: string, path: string, owner: LockOwner | undefined): NashboardError {
  if (!owner)
    return new NashboardError("usage", {
      en: `${dir} is locked by another trainer (${path} is unreadable); if no nashboard is training there, delete ${path}`,
      zh: `${dir} 已被另一个训练进程锁定（${path} 无法读取）；如果那里没有 nashboard 在训练，删除 ${path}`,
    });
  return new NashboardError("usage", {
    en: `${dir} is in use by another trainer (pid ${owner.pid} on ${owner.host}, since ${owner.started}); wait for it to finish or stop it, or choose another --out`,
    zh: `${dir} 正被另一个训练进程使用（${owner.host} 上的 pid ${owner.pid}，始于 ${owner.started}）；等它结束或停止它，或换一个 --out`,
  });
}
