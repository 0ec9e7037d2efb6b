/**
 * What a run directory holds before a run writes to it, and the two ways of making it ready that are
 * not a plain resume: judging whether it already holds a run (a second run must not append to it) and
 * clearing the records of a run that stopped before its first checkpoint (it restarts from step 0, so
 * the steps it logged would otherwise appear twice).
 */
import { existsSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { NashboardError } from "../errors.ts";
import { ATOMIC_TEMP } from "../files/atomic.ts";
import { naming } from "../files/file-errors.ts";
import type { TrainConfig } from "./config.ts";
import { RUN_FILES } from "./run-files.ts";

const EVENT_FILE = /^events\.out\.tfevents\./;

/** True when `dir` holds any trace of a run: its config, a checkpoint or logged steps. */
export function holdsRun(dir: string): boolean {
  return [RUN_FILES.config, RUN_FILES.checkpoint, RUN_FILES.metrics].some((f) => existsSync(join(dir, f)));
}

/** The configuration a run wrote when it started (what a restart from step 0 trains again). */
export function readRunConfig(path: string): TrainConfig {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as TrainConfig;
  } catch (e) {
    throw new NashboardError("data", {
      en: `the run's configuration ${path} cannot be read (${(e as Error).message}); start a new run with another --out`,
      zh: `无法读取运行的配置 ${path}（${(e as Error).message}）；换一个 --out 开始新的运行`,
    });
  }
}

/** What clearRunRecords removed: the files it emptied or deleted and the logged steps they held. */
export interface ClearedRecords {
  files: string[];
  steps: number;
}

/**
 * Empties the append-only records (metrics, evals, monitor, control) and deletes the event files, the
 * result and the report, keeping config.json: the restarted run writes them again from step 0.
 */
export function clearRunRecords(dir: string): ClearedRecords {
  const files: string[] = [];
  let steps = 0;
  const metrics = join(dir, RUN_FILES.metrics);
  if (existsSync(metrics)) steps = readFileSync(metrics, "utf8").split("\n").filter(Boolean).length;
  for (const name of [RUN_FILES.metrics, RUN_FILES.evals, RUN_FILES.monitor, RUN_FILES.control]) {
    const path = join(dir, name);
    if (existsSync(path) && statSync(path).size > 0) {
      naming(path, () => truncateSync(path, 0));
      files.push(name);
    }
  }
  for (const name of readdirSync(dir)) {
    if (EVENT_FILE.test(name) || name === RUN_FILES.result || name === RUN_FILES.report) {
      naming(join(dir, name), () => unlinkSync(join(dir, name)));
      files.push(name);
    }
  }
  return { files, steps };
}

/** Deletes the temporary files of atomic writes a killed process left (only the lock holder calls this). */
export function removeStrayTemps(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (ATOMIC_TEMP.test(name)) {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // already gone: nothing to clean
      }
    }
  }
}

/** `dir` as one shell word, so the command a message quotes can be pasted as it is. */
export function shellQuote(dir: string): string {
  return /^[\w./@%+=:,-]+$/.test(dir) ? dir : `'${dir.replaceAll("'", `'\\''`)}'`;
}
