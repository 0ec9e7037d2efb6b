/**
 * Nashboard's trainer against the PyTorch reference on ring8-mlp128, run alternately on the same machine
 * (ours, PyTorch, ours, PyTorch, ...) so that load from other processes hits both alike, then the
 * medians and their ratio (Nashboard steps/s ÷ PyTorch steps/s; the goal is ≥ 1).
 *
 *   npm run bench:compare -- [--runs 5] [--steps 1000] [--torch-threads 2] [--reference PATH] [--json]
 *
 * The reference is ../shared/bench/torch_gan_step.py beside the repository (Debian's python3-torch with
 * libopenblas0-pthread, see its README), run by TORCH_PYTHON (default /usr/bin/python3). Its default is
 * 2 threads; --torch-threads 1,2 alternates both settings and gives a ratio for each. Our side runs
 * `bench/train-speed.ts --json` in the backend configuration NASHBOARD_BACKEND / NASHBOARD_THREADS select.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const runs = Number(option("--runs", "5"));
const steps = Number(option("--steps", "1000"));
const torchThreads = option("--torch-threads", "2").split(",").map(Number);
const reference = option(
  "--reference",
  fileURLToPath(new URL("../../shared/bench/torch_gan_step.py", import.meta.url)),
);
const python = process.env.TORCH_PYTHON ?? "/usr/bin/python3";
const json = args.includes("--json");

if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(steps) || steps < 1) {
  console.error("--runs and --steps must be positive integers");
  process.exit(2);
}
if (torchThreads.some((t) => !Number.isInteger(t) || t < 1)) {
  console.error("--torch-threads must be a comma-separated list of positive integers");
  process.exit(2);
}
if (!existsSync(reference)) {
  console.error(`no PyTorch reference at ${reference} (give --reference PATH)`);
  process.exit(2);
}

interface RunResult {
  impl: string;
  steps_per_sec: number;
}

function runJson(command: string, commandArgs: string[]): RunResult {
  const r = spawnSync(command, commandArgs, { encoding: "utf8", timeout: 900_000 });
  const line = r.stdout
    ?.split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (r.status !== 0 || !line) {
    throw new Error(`${command} ${commandArgs.join(" ")} failed: ${(r.stderr ?? "").trim().slice(-400)}`);
  }
  return JSON.parse(line) as RunResult;
}

const ours = () =>
  runJson(process.execPath, [
    "--import",
    "tsx",
    fileURLToPath(new URL("./train-speed.ts", import.meta.url)),
    "--json",
    "--steps",
    String(steps),
  ]);
const torch = (threads: number) =>
  runJson(python, [reference, "--steps", String(steps), "--threads", String(threads)]);

const oursRuns: number[] = [];
const torchRuns = new Map<number, number[]>(torchThreads.map((t) => [t, []]));
let oursImpl = "";
let torchImpl = "";
for (let i = 0; i < runs; i++) {
  const o = ours();
  oursImpl = o.impl;
  oursRuns.push(o.steps_per_sec);
  const line = [`run ${i + 1}/${runs}: nashboard ${o.steps_per_sec}`];
  for (const t of torchThreads) {
    const p = torch(t);
    torchImpl = p.impl;
    torchRuns.get(t)!.push(p.steps_per_sec);
    line.push(`pytorch(${t} thread${t > 1 ? "s" : ""}) ${p.steps_per_sec}`);
  }
  if (!json) console.log(`${line.join("  ")} steps/s`);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const round = (x: number) => Number(x.toFixed(2));
const oursMedian = round(median(oursRuns));
const summary = {
  benchmark: "ring8-mlp128",
  steps,
  runs,
  nashboard: { impl: oursImpl, median_steps_per_sec: oursMedian, runs: oursRuns },
  pytorch: torchThreads.map((t) => ({
    impl: torchImpl,
    threads: t,
    median_steps_per_sec: round(median(torchRuns.get(t)!)),
    runs: torchRuns.get(t)!,
    ratio: Number((oursMedian / median(torchRuns.get(t)!)).toFixed(3)),
  })),
};
if (json) console.log(JSON.stringify(summary));
else {
  console.log(`nashboard (${oursImpl}): median ${oursMedian} steps/s`);
  for (const p of summary.pytorch) {
    console.log(
      `${p.impl}, ${p.threads} thread(s): median ${p.median_steps_per_sec} steps/s -> ratio ${p.ratio}`,
    );
  }
}
