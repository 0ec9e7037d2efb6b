/**
 * What the dashboard's load benches share: a trainer-like run directory to watch, `nashboard watch` on it
 * in a child process (the code under test, or another checkout's `main.ts` to measure the code before),
 * and the server process's resident memory, read from /proc.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

/** One metrics.jsonl line of a calm BCE run at `step`. */
export function metricsLine(step: number, wallTime = Date.now() / 1000): string {
  const v = (x: number) => Number(x.toFixed(4));
  return `${JSON.stringify({
    step,
    wall_time: wallTime,
    loss_disc: v(1.38 + 0.1 * Math.sin(step / 30)),
    loss_gen: v(0.69 + 0.1 * Math.cos(step / 40)),
    d_real: 0.5,
    d_fake: 0.5,
    lr_d: 2e-4,
    lr_g: 2e-4,
    grad_norm_d: 1,
    grad_norm_g: 1,
  })}\n`;
}

/** Writes a trainer run directory of `steps` logged steps into `dir`; returns its metrics.jsonl. */
export function writeRun(dir: string, steps: number, wallTime?: (step: number) => number): string {
  const metrics = join(dir, "metrics.jsonl");
  writeFileSync(join(dir, "config.json"), JSON.stringify({ loss: "bce", dataset: "ring8" }));
  writeFileSync(
    metrics,
    Array.from({ length: steps }, (_, i) => metricsLine(i + 1, wallTime?.(i + 1))).join(""),
  );
  return metrics;
}

/** `nashboard watch dir` with `main`; resolves once it prints its port. */
export function startWatchProcess(dir: string, main = MAIN): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ["--import", "tsx", main, "watch", dir], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, LANG: "en_US.UTF-8" },
  });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout?.on("data", (d) => {
      out += d;
      const m = /Dashboard: http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once("exit", (code) => reject(new Error(`watch exited ${code}`)));
  });
}

/** Resident memory of a process, in MB (Linux). */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : Number.NaN;
}
