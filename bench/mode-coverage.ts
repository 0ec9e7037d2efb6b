/**
 * Modes covered and high-quality samples on ring8 and grid25 over several seeds, for a given set of
 * trainer flags: the figure the foundation issue asks for with the default settings, and the table
 * the controller issue extends. Runs one training per (dataset, seed) in a pool of worker processes
 * (one per core by default), each through the same CLI a user runs (`nashboard train --json`).
 *
 *   node --import tsx bench/mode-coverage.ts [--seeds 3] [--datasets ring8,grid25] [--jobs 2] [-- <train flags>]
 *
 * Prints a markdown table (mean ± standard error over seeds) and, with --json, one JSON line per run.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const argv = process.argv.slice(2);
const dash = argv.indexOf("--");
const own = dash < 0 ? argv : argv.slice(0, dash);
const trainFlags = dash < 0 ? [] : argv.slice(dash + 1);
const opt = (name: string, fallback: string) => {
  const i = own.indexOf(name);
  return i >= 0 ? own[i + 1] : fallback;
};
const seeds = Number(opt("--seeds", "3"));
const datasets = opt("--datasets", "ring8,grid25").split(",");
const jobs = Number(opt("--jobs", String(availableParallelism())));
const json = own.includes("--json");
const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "nashboard-modes-"));

interface Outcome {
  dataset: string;
  seed: number;
  modes: number;
  modes_total: number;
  hq: number;
  reverse_kl: number | null;
  jsd: number;
  seconds: number;
}

function train(dataset: string, seed: number): Promise<Outcome> {
  const args = ["--import", "tsx", main, "train", "--dataset", dataset, "--seed", String(seed)];
  args.push(
    "--eval-interval",
    "0",
    "--checkpoint-interval",
    "0",
    "--json",
    "--out",
    join(scratch, `${dataset}-${seed}`),
  );
  args.push(...trainFlags);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`train ${dataset} seed ${seed} exited with ${code}`));
      const r = JSON.parse(out.trim().split("\n").at(-1)!);
      resolve({
        dataset,
        seed,
        modes: r.modes,
        modes_total: r.modes_total,
        hq: r.hq,
        reverse_kl: r.reverse_kl,
        jsd: r.jsd,
        seconds: r.seconds,
      });
    });
  });
}

const queue = datasets.flatMap((d) => Array.from({ length: seeds }, (_, s) => [d, s] as const));
const outcomes: Outcome[] = [];
await Promise.all(
  Array.from({ length: jobs }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const o = await train(...next);
      outcomes.push(o);
      if (json) console.log(JSON.stringify(o));
    }
  }),
);
rmSync(scratch, { recursive: true, force: true });

const meanSe = (xs: number[]) => {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
};
const fmt = ({ m, se }: { m: number; se: number }, digits: number) =>
  `${m.toFixed(digits)} ± ${se.toFixed(digits)}`;
console.log(`\nflags: ${trainFlags.join(" ") || "(defaults)"}; ${seeds} seeds\n`);
console.log("| dataset | modes | high-quality % | reverse KL | JSD (nats) | seconds/run |");
console.log("|---|---|---|---|---|---|");
for (const d of datasets) {
  const rs = outcomes.filter((o) => o.dataset === d).sort((a, b) => a.seed - b.seed);
  const kl = rs.map((r) => r.reverse_kl).filter((x): x is number => x !== null);
  console.log(
    `| ${d} | ${fmt(meanSe(rs.map((r) => r.modes)), 1)} / ${rs[0].modes_total} | ${fmt(meanSe(rs.map((r) => 100 * r.hq)), 1)} | ${kl.length ? fmt(meanSe(kl), 2) : "n/a"} | ${fmt(meanSe(rs.map((r) => r.jsd)), 3)} | ${meanSe(rs.map((r) => r.seconds)).m.toFixed(0)} |`,
  );
  console.log(
    `|  per seed | ${rs.map((r) => `${r.modes}`).join(", ")} | ${rs.map((r) => (100 * r.hq).toFixed(1)).join(", ")} | | | |`,
  );
}
