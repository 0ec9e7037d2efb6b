/**
 * The evidence for issue 6: does the controller, do the remedies, help on the mode-collapse
 * benchmarks, and does the controller rescue deliberately broken runs? Every run goes through the CLI
 * a user runs (`nashboard train --json`), in a pool of worker processes (one per core by default);
 * each outcome is appended to a JSONL file as it arrives, so an interrupted benchmark keeps what it
 * measured, and the tables can be printed again from that file.
 *
 *   node --import tsx bench/steer.ts [--seeds 10] [--jobs 2] [--only table|rescue] [--out steer.jsonl]
 *   node --import tsx bench/steer.ts --report steer.jsonl      (tables from saved outcomes only)
 *   node --import tsx bench/steer.ts --arms "controller,controller + remedies,with controller" --out c.jsonl
 *   node --import tsx bench/steer.ts --report old.jsonl,c.jsonl   (later files replace earlier outcomes)
 * The arms without --controller do not read the monitor or the controller, and a seed gives the same
 * run every time, so after a change to the controller (or the monitor it reads) only the controller's
 * arms need training again; --report then takes the other arms from the earlier file.
 *   node --import tsx bench/steer.ts --seeds 1 --steps 60      (a smoke run of the pipeline)
 *
 * Sizes (chosen so the whole benchmark fits in ~90 minutes on this shared 2-core machine): the
 * default networks (G and D 128x128 relu, latent 64 (2 in the remedy set), batch 256, Adam(0.5, 0.999));
 * ring8 12,000 steps, grid25 16,000 steps; the rescue runs on ring8, 6,000 steps. The queue runs seeds
 * 0-4 of every (part, arm, dataset) before seeds 5-9, so a benchmark stopped half way has 5 complete
 * seeds.
 */
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { initBackend } from "../src/train/backend.ts";
import { type Outcome, readOutcomes, renderTables } from "./steer-tables.ts";

/**
 * The remedy set, chosen on seeds 100-101 (never the table's seeds 0-9; bench/RESULTS-steer.md says
 * how): R1 keeps every mode, rates twice the default with a decay over the last half settle the samples
 * on the modes, and a 2-D latent (PacGAN's z ∈ R²) lets the generator put less mass between them.
 */
export const REMEDIES = [
  "--r1",
  "0.1",
  "--lr-d",
  "2e-3",
  "--lr-g",
  "2e-3",
  "--lr-decay",
  "0.5",
  "--latent",
  "2",
];

/** Steps of the table's runs: long enough for the remedy set's samples to settle (measured on seeds 100-101). */
const STEPS: Record<string, number> = { ring8: 12000, grid25: 16000 };
/** Steps of the rescue runs (ring8): the broken settings collapse within the first few hundred. */
const RESCUE_STEPS = 6000;

export interface Job {
  part: "table" | "rescue";
  /** The arm (table) or "<setting> / <arm>" (rescue). */
  arm: string;
  setting?: string;
  dataset: string;
  seed: number;
  flags: string[];
}

const ARMS: [string, string[]][] = [
  ["plain GAN", []],
  ["controller", ["--controller"]],
  ["remedies", REMEDIES],
  ["controller + remedies", ["--controller", ...REMEDIES]],
  // The remedy set's runs (training is the same, seed for seed) shown through D: the 5% of samples D
  // scores lowest discarded (src/train/rejection.ts; the share chosen on seeds 100-102).
  ["remedies sampled through D", [...REMEDIES, "--reject", "0.05"]],
];

/** The deliberately broken settings: each is the default run with one thing badly wrong. */
export const BROKEN: [string, string[]][] = [
  ["lr_d x10, 3 D steps", ["--lr-d", "1e-2", "--d-steps", "3"]],
  ["lr_g x10, small D (64,64)", ["--lr-g", "1e-2", "--d-hidden", "64,64"]],
  ["minimax G loss, lr_d x5, 2 D steps", ["--loss", "bce_minimax", "--lr-d", "5e-3", "--d-steps", "2"]],
];
const RESCUE_ARMS: [string, string[]][] = [
  ["without controller", []],
  ["with controller", ["--controller"]],
];

function jobs(seeds: number, only?: string, arms?: string[]): Job[] {
  const out: Job[] = [];
  const halves = [
    [0, Math.min(5, seeds)],
    [5, seeds],
  ];
  for (const [from, to] of halves) {
    for (let seed = from; seed < to; seed++) {
      if (only === undefined || only === "table")
        for (const dataset of ["ring8", "grid25"])
          for (const [arm, flags] of ARMS) out.push({ part: "table", arm, dataset, seed, flags });
      if (only === undefined || only === "rescue")
        for (const [setting, broken] of BROKEN)
          for (const [arm, flags] of RESCUE_ARMS)
            out.push({ part: "rescue", arm, setting, dataset: "ring8", seed, flags: [...broken, ...flags] });
    }
  }
  return arms ? out.filter((j) => arms.includes(j.arm)) : out;
}

const main = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

function train(job: Job, scratch: string): Promise<Outcome> {
  const dir = join(
    scratch,
    `${job.part}-${job.arm}-${job.setting ?? ""}-${job.dataset}-${job.seed}`.replace(/\W+/g, "_"),
  );
  const args = ["--import", "tsx", main, "train", "--dataset", job.dataset, "--seed", String(job.seed)];
  const steps = stepsOverride ?? (job.part === "rescue" ? RESCUE_STEPS : STEPS[job.dataset]);
  args.push("--steps", String(steps), "--eval-interval", "0", "--checkpoint-interval", "0");
  args.push("--json", "--out", dir, ...job.flags);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`${JSON.stringify(job)} exited with ${code}`));
      const r = JSON.parse(out.trim().split("\n").at(-1)!);
      const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
      const control = existsSync(join(dir, "control.jsonl"))
        ? readFileSync(join(dir, "control.jsonl"), "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
      rmSync(dir, { recursive: true, force: true });
      resolve({
        ...job,
        modes: r.modes,
        modes_total: r.modes_total,
        hq: r.hq,
        reverse_kl: r.reverse_kl,
        jsd: r.jsd,
        seconds: r.seconds,
        verdict: report.verdict.health,
        controlEvents: control.length,
        r1SwitchedOn: control.some((e: { param: string }) => e.param === "r1"),
        load: loadavg()[0],
      });
    });
  });
}

const argv = process.argv.slice(2);
const opt = (name: string, fallback?: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : fallback;
};
const report = opt("--report");
/** A smoke run of the whole pipeline in a minute: every run this many steps. */
const stepsOverride = opt("--steps") === undefined ? undefined : Number(opt("--steps"));
if (report) {
  console.log(renderTables(readOutcomes(report)));
} else {
  const seeds = Number(opt("--seeds", "10"));
  const workers = Number(opt("--jobs", String(availableParallelism())));
  const outPath = opt("--out", "steer.jsonl")!;
  const arms = opt("--arms")?.split(",");
  const known = [...ARMS, ...RESCUE_ARMS].map(([name]) => name);
  const unknown = arms?.filter((a) => !known.includes(a)) ?? [];
  if (unknown.length > 0) {
    // An arm name with a typo (or a comma) would otherwise run nothing, or the wrong arm, silently.
    console.error(`unknown arm ${unknown.map((a) => `"${a}"`).join(", ")}; the arms: ${known.join(", ")}`);
    process.exit(2);
  }
  const queue = jobs(seeds, opt("--only"), arms);
  // The children choose their backend as this process does (same environment): say which it is.
  console.error(`backend: ${(await initBackend()).mode}, ${queue.length} runs, ${workers} at a time`);
  const scratch = mkdtempSync(join(tmpdir(), "nashboard-steer-"));
  const started = performance.now();
  let done = 0;
  const total = queue.length;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const o = await train(job, scratch);
        appendFileSync(outPath, `${JSON.stringify(o)}\n`);
        done++;
        const min = (performance.now() - started) / 60_000;
        console.error(
          `[${done}/${total}, ${min.toFixed(1)} min] ${o.part} ${o.setting ?? ""} ${o.arm} ${o.dataset} s${o.seed}: ${o.modes}/${o.modes_total} modes, ${(100 * o.hq).toFixed(1)}% hq`,
        );
      }
    }),
  );
  rmSync(scratch, { recursive: true, force: true });
  console.log(renderTables(readOutcomes(outPath)));
}
