/**
 * Does the demo teach? `npm start` runs `nashboard demo`, the first thing a new user sees: its run
 * should end healthy on most seeds, its first progress line should not read "0 steps/s", and its
 * closing suggestion should show something the run did not. This runs the demo as a user does, once
 * per seed, and prints one row each and the count of healthy endings (bench/RESULTS-demo.md).
 *
 *   node --import tsx bench/demo.ts [--seeds 0-4] [--jobs 2] [-- <demo flags, e.g. --lr-decay 0>]
 *
 * Healthy: the monitor's verdict on the whole run (report.json, what the demo's "Balance:" line says),
 * with the evaluator's modes and high-quality share beside it (result.json).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

interface Row {
  seed: number;
  health: string;
  primary: string;
  modes: string;
  hq: string;
  seconds: number;
  firstProgress: string;
  suggestion: string;
}

const argv = process.argv.slice(2);
const split = argv.indexOf("--");
const own = split < 0 ? argv : argv.slice(0, split);
const demoFlags = split < 0 ? [] : argv.slice(split + 1);
const opt = (name: string, fallback: string) => {
  const i = own.indexOf(name);
  return i >= 0 && i + 1 < own.length ? own[i + 1] : fallback;
};
const [from, to] = opt("--seeds", "0-4").split("-").map(Number);
const seeds = Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
const jobs = Math.max(1, Number(opt("--jobs", String(Math.min(2, availableParallelism())))));
const scratch = mkdtempSync(join(tmpdir(), "nashboard-demo-bench-"));

/** One `nashboard demo --seed s`, in English, as `npm start` runs it (progress on stderr, not a TTY). */
function demo(seed: number): Promise<Row> {
  const dir = join(scratch, `seed-${seed}`);
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", MAIN, "--lang", "en", "demo", "--seed", String(seed), "--out", dir, ...demoFlags],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`seed ${seed}: demo exited ${code}\n${err}`));
      const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
      const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
      const lines = `${err}\n${out}`.split("\n");
      const f = result.final ?? {};
      resolve({
        seed,
        health: report.verdict.health,
        primary: report.verdict.primary ?? "",
        modes: `${f.modes}/${f.modes_total}`,
        hq: `${(100 * f.hq).toFixed(1)}%`,
        seconds: (performance.now() - started) / 1000,
        firstProgress: lines.find((l) => /^step \d+\/\d+/.test(l)) ?? "",
        suggestion: out.trim().split("\n").at(-1) ?? "",
      });
    });
  });
}

const rows: Row[] = [];
const queue = [...seeds];
console.log(`demo flags: ${demoFlags.join(" ") || "(none: the demo's defaults)"}; ${jobs} at a time`);
console.log("| seed | verdict | state | modes | high quality | seconds | first progress line |");
console.log("| ---- | ------- | ----- | ----- | ------------ | ------- | ------------------- |");
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let seed = queue.shift(); seed !== undefined; seed = queue.shift()) {
      const r = await demo(seed);
      rows.push(r);
      console.log(
        `| ${r.seed} | ${r.health} | ${r.primary} | ${r.modes} | ${r.hq} | ${r.seconds.toFixed(1)} | \`${r.firstProgress}\` |`,
      );
    }
  }),
);
rmSync(scratch, { recursive: true, force: true });
const healthy = rows.filter((r) => r.health === "healthy").length;
console.log(`\nhealthy: ${healthy} of ${rows.length}; load average at the end ${loadavg()[0].toFixed(2)}`);
console.log("closing suggestions:");
for (const s of new Set(rows.map((r) => r.suggestion))) console.log(`  ${s}`);
