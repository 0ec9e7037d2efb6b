/**
 * The evidence for issues 6 and 17: does the controller leave healthy runs alone, do the remedies
 * help on the mode-collapse benchmarks, and does the controller rescue deliberately broken runs, within
 * their own budget, in Nashboard's trainer and, through `nashboard watch --steer`, in a PyTorch one?
 * Every run goes through what a user runs (`nashboard train --json`; the PyTorch generator of
 * bench/cross-trainer with examples/nashboard_steer.py beside `nashboard watch RUN --steer`), in a pool
 * of worker processes; each outcome is appended to a JSONL file as it arrives, so an interrupted
 * benchmark keeps what it measured and a rerun with the same --out skips what is there.
 *
 *   node --import tsx bench/steer.ts --parts table,rescue,torch --seeds 0-4 [--jobs 1] [--out steer.jsonl]
 *   node --import tsx bench/steer.ts --report a.jsonl,b.jsonl      (tables from saved outcomes only)
 *   node --import tsx bench/steer.ts --parts rescue --arms "with controller" --settings "D too fast" --seeds 100-104
 * The arms without the controller read neither the monitor nor the controller, and a seed gives the
 * same run every time (in Nashboard's trainer), so after a change to the controller only its arms need
 * training again; --report then takes the other arms from an earlier file (a later file replaces an
 * earlier one's run). PyTorch runs are not bit-reproducible across machines, and a steered one also
 * depends on when watch's decisions arrive.
 *   node --import tsx bench/steer.ts --seeds 0 --steps 60 --out smoke.jsonl   (a smoke run)
 *   node --import tsx bench/steer.ts --controller-config '{"settle": 1}' --arms controller --out v.jsonl
 *     (a variant of the controller's settings, for tuning: its arms through bench/steer-worker.ts;
 *     --table-steps 6000 shortens the table's runs for it; --budget-aware for a controller that knows the
 *     run's length: its runs at 3,000 and 6,000 steps are then runs of their own; --keep DIR keeps each
 *     run's logs and control records there)
 *
 * Sizes: the default networks (G and D 128x128 relu, latent 64 (2 in the remedy set), batch 256,
 * Adam(0.5, 0.999)); the table's runs ring8 12,000 steps and grid25 16,000, evaluated also at 3,000 and
 * 6,000; the rescue runs 6,000 steps, evaluated at 3,000 too (the controller does not know the run's
 * length, so the first 3,000 steps of a 6,000-step run are the 3,000-step run, evaluation included).
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { Command } from "commander";
import { initBackend } from "../src/train/backend.ts";
import { outcomeKey, readOutcomes } from "./steer-outcomes.ts";
import {
  ARMS,
  BROKEN,
  DATASETS,
  jobs,
  RESCUE_ARMS,
  type Selection,
  seedList,
  TORCH_ARMS,
} from "./steer-plan.ts";
import { type RunOptions, trainNashboard, trainTorch } from "./steer-runs.ts";
import { renderTables } from "./steer-tables.ts";

// commander, so that --help prints the usage and exits instead of starting a benchmark.
const cli = new Command("bench/steer.ts")
  .description(
    "The steer benchmark (issues 6 and 17): the do-no-harm table, the rescue runs, steered PyTorch runs",
  )
  .option("--parts <list>", "which parts: table, rescue, torch", "table,rescue,torch")
  .option("--seeds <spec>", "seeds, e.g. 0-4,7", "0-4")
  .option("--datasets <list>", "datasets", DATASETS.join(","))
  .option("--arms <list>", "only these arms")
  .option("--settings <list>", "only the broken settings whose names start so")
  .option("--jobs <n>", "runs at a time", "1")
  .option("--out <file>", "the outcomes file (resumable)", "steer.jsonl")
  .option("--report <files>", "print the tables from saved outcomes (comma-separated) and train nothing")
  .option(
    "--current-settings",
    "with --report: only the rescue outcomes of today's broken settings (issue 6's files hold others)",
  )
  .option(
    "--controller-config <json>",
    "a tuning variant of the controller's settings, through bench/steer-worker.ts",
  )
  .option(
    "--budget-aware",
    "the controller knows the run's length (its runs at each budget are runs of their own)",
  )
  .option("--table-steps <n>", "the table's runs this long instead")
  .option("--steps <n>", "every run this many steps (a smoke run)")
  .option("--keep <dir>", "keep each run's logs and records here")
  .parse();
const opts = cli.opts<{
  parts: string;
  seeds: string;
  datasets: string;
  arms?: string;
  settings?: string;
  jobs: string;
  out: string;
  report?: string;
  controllerConfig?: string;
  budgetAware?: boolean;
  tableSteps?: string;
  steps?: string;
  keep?: string;
  currentSettings?: boolean;
}>();
/** Keep each run's logs and records under this folder (for tuning), instead of only its outcomes. */
const keep = opts.keep;
/** The controller's settings for its arms (a tuning variant, in its own --out) and a smoke run's length. */
const runOptions: RunOptions = {
  controllerConfig: opts.controllerConfig,
  stepsOverride: opts.steps === undefined ? undefined : Number(opts.steps),
};
const report = opts.report;
if (report) {
  const names = new Set(BROKEN.map((b) => b.name));
  const outcomes = readOutcomes(report).filter(
    (o) => !opts.currentSettings || o.part === "table" || names.has(o.setting ?? ""),
  );
  console.log(renderTables(outcomes));
} else {
  const workers = Number(opts.jobs);
  const outPath = opts.out;
  const sel: Selection = {
    parts: opts.parts.split(","),
    seeds: seedList(opts.seeds),
    datasets: opts.datasets.split(","),
    budgetAware: opts.budgetAware === true,
  };
  if (opts.tableSteps) sel.tableSteps = Number(opts.tableSteps);
  const arms = opts.arms?.split(",");
  if (arms) sel.arms = arms;
  const settings = opts.settings?.split(",");
  if (settings) sel.settings = settings;
  const known = [...ARMS.map(([n]) => n), ...RESCUE_ARMS.map(([n]) => n), ...TORCH_ARMS];
  const unknown = [
    ...(arms ?? []).filter((a) => !known.includes(a)),
    ...(settings ?? []).filter((s) => !BROKEN.some((b) => b.name.startsWith(s))),
  ];
  if (unknown.length > 0) {
    // A name with a typo (or a comma) would otherwise run nothing, or the wrong thing, silently.
    console.error(
      `unknown arm or setting ${unknown.map((a) => `"${a}"`).join(", ")}; arms: ${known.join(", ")}; settings: ${BROKEN.map((b) => b.name).join(", ")}`,
    );
    process.exit(2);
  }
  // Resumable: the runs already in the outcomes file are not trained again.
  const done = new Set(existsSync(outPath) ? readOutcomes(outPath).map((o) => outcomeKey(o)) : []);
  const queue = jobs(sel).filter((j) => !j.score.every((steps) => done.has(outcomeKey({ ...j, steps }))));
  // The children choose their backend as this process does (same environment): say which it is.
  console.error(`backend: ${(await initBackend()).mode}, ${queue.length} runs, ${workers} at a time`);
  const scratch = mkdtempSync(join(tmpdir(), "nashboard-steer-"));
  const started = performance.now();
  let finished = 0;
  const total = queue.length;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const dir = join(
          scratch,
          `${job.part}-${job.arm}-${job.setting ?? ""}-${job.dataset}-${job.seed}-${job.steps}`.replace(
            /\W+/g,
            "_",
          ),
        );
        const os = await (job.part === "torch"
          ? trainTorch(job, dir, runOptions)
          : trainNashboard(job, dir, runOptions));
        if (keep) {
          // What a tuning session reads afterwards: the logs, the monitor's and the controller's records.
          const to = join(keep, basename(dir));
          mkdirSync(to, { recursive: true });
          for (const f of ["metrics.jsonl", "evals.jsonl", "control.jsonl", "monitor.jsonl", "steer.json"])
            if (existsSync(join(dir, f))) copyFileSync(join(dir, f), join(to, f));
        }
        rmSync(dir, { recursive: true, force: true });
        for (const o of os) appendFileSync(outPath, `${JSON.stringify({ ...o, load: loadavg()[0] })}\n`);
        finished++;
        const min = (performance.now() - started) / 60_000;
        const last = os.at(-1)!;
        console.error(
          `[${finished}/${total}, ${min.toFixed(1)} min] ${job.part} ${job.setting ?? ""} ${job.arm} ${job.dataset} s${job.seed}: ${os.map((o) => `${o.steps}: ${o.modes}/${o.modes_total} ${(100 * o.hq).toFixed(1)}%`).join(", ")}${last.controlEvents ? ` (${last.controlEvents} control events)` : ""}`,
        );
      }
    }),
  );
  rmSync(scratch, { recursive: true, force: true });
  console.log(renderTables(readOutcomes(outPath)));
}
