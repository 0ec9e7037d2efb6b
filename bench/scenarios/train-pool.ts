/**
 * Trains the suite's jobs in a pool of worker processes (one per core by default, as
 * bench/mode-coverage.ts does): tfjs-wasm runs on one thread, so two processes use both cores. A job
 * whose directory already holds a finished run (scenario.json written last) is skipped when `reuse` is
 * set; a directory left half-written by an interrupted job is cleared and trained again.
 */
import { spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { TrainJob } from "./train-scenario.ts";
import { SCENARIO_FILE, type ScenarioMeta } from "./window-record.ts";

const WORKER = fileURLToPath(new URL("./train-worker.ts", import.meta.url));

export interface PoolJob {
  job: TrainJob;
  dir: string;
}

export interface PoolOptions {
  jobs: number;
  reuse: boolean;
  /** Called as each job finishes (or is reused). */
  onDone?(job: PoolJob, meta: ScenarioMeta | "reused", done: number, total: number): void;
}

export async function trainAll(all: PoolJob[], options: PoolOptions): Promise<void> {
  const queue = [...all];
  let done = 0;
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (options.reuse && existsSync(join(next.dir, SCENARIO_FILE))) {
        options.onDone?.(next, "reused", ++done, all.length);
        continue;
      }
      rmSync(next.dir, { recursive: true, force: true });
      const meta = await runWorker(next);
      options.onDone?.(next, meta, ++done, all.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.jobs) }, worker));
}

function runWorker({ job, dir }: PoolJob): Promise<ScenarioMeta> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WORKER, JSON.stringify(job), dir], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1);
      if (code !== 0 || !last) {
        reject(new Error(`training ${job.scenario} ${job.dataset} seed ${job.seed} exited with ${code}`));
        return;
      }
      resolve(JSON.parse(last) as ScenarioMeta);
    });
  });
}
