/**
 * The labelled scenario suite (issue 4, item 8): trains every (scenario, dataset, seed) of
 * bench/scenarios/scenario-table.ts with the project's trainer, labels each run and each evaluation
 * window from the evaluator and D's accuracy on fresh batches, replays four kinds of detectors over
 * the saved metrics (the balance monitor from the losses only, with d_real / d_fake, and with every tag;
 * Applio's last overtraining detector; a naive threshold rule), and writes the scores as markdown and
 * JSON. Training, labelling and detecting are separate stages: with --reuse, finished runs are not
 * trained again, so the detectors can be changed and re-scored in a minute.
 *
 *   node --import tsx bench/scenarios.ts [--seeds 4] [--first-seed 0] [--steps 6000] [--eval-interval 300] [--jobs 2]
 *     [--out runs/scenarios] [--reuse] [--datasets ring8,grid25] [--scenarios a,b] [--train-seeds 0,1]
 *     [--backend wasm|native] [--report bench/RESULTS-scenarios.md] [--json FILE (default: OUT/results.json)]
 *     [--thresholds '{"gapDominant":0.5}'] [--compare-thresholds '{"stallSpread":0.03}'] [--check-every 100]
 *     [--notes bench/scenarios/findings.md]
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { join, resolve } from "node:path";
import type { MonitorThresholds } from "../src/monitor/thresholds.ts";
import type { BackendMode } from "../src/train/backend.ts";
import { MONITOR_LOSSES_ONLY } from "./scenarios/detector-list.ts";
import { evaluateSuite } from "./scenarios/evaluate-suite.ts";
import { renderReport } from "./scenarios/report-markdown.ts";
import { loadRun } from "./scenarios/run-data.ts";
import {
  DEFAULT_SIZES,
  runName,
  SCENARIOS,
  SUITE_DATASETS,
  type SuiteDataset,
  type SuiteSizes,
} from "./scenarios/scenario-table.ts";
import { type PoolJob, trainAll } from "./scenarios/train-pool.ts";

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const list = (s: string) => s.split(",").filter((x) => x !== "");
// --first-seed lets fresh held-out seeds be trained after the tuning seeds were looked at.
const firstSeed = Number(opt("--first-seed", "0"));
const seeds = Array.from({ length: Number(opt("--seeds", "4")) }, (_, i) => firstSeed + i);
const trainSeeds = list(opt("--train-seeds", "0,1")).map(Number);
const sizes: SuiteSizes = {
  steps: Number(opt("--steps", String(DEFAULT_SIZES.steps))),
  evalInterval: Number(opt("--eval-interval", String(DEFAULT_SIZES.evalInterval))),
  logInterval: Number(opt("--log-interval", String(DEFAULT_SIZES.logInterval))),
};
const jobs = Number(opt("--jobs", String(availableParallelism())));
const outArg = opt("--out", "runs/scenarios");
const out = resolve(outArg);
const reuse = argv.includes("--reuse");
const datasets = list(opt("--datasets", SUITE_DATASETS.join(","))) as SuiteDataset[];
const scenarios = list(opt("--scenarios", SCENARIOS.map((s) => s.name).join(",")));
const backend = opt("--backend", "wasm") as BackendMode;
const reportPath = opt("--report", "bench/RESULTS-scenarios.md");
// Beside the runs, not in bench/: the JSON is large, and the repository's formatter would rewrite it.
const jsonPath = opt("--json", join(outArg, "results.json"));
const checkEvery = Number(opt("--check-every", "100"));
const thresholds = JSON.parse(opt("--thresholds", "{}")) as Partial<MonitorThresholds>;
const compareText = opt("--compare-thresholds", "");
const notesPath = opt("--notes", "bench/scenarios/findings.md");

/** An argument as a POSIX shell reads it back: quoted when it holds anything but safe characters. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}

const runsDir = join(out, `steps${sizes.steps}-eval${sizes.evalInterval}-log${sizes.logInterval}`);
mkdirSync(runsDir, { recursive: true });
const poolJobs: PoolJob[] = [];
for (const scenario of scenarios) {
  for (const dataset of datasets) {
    for (const seed of seeds) {
      poolJobs.push({
        job: { scenario, dataset, seed, sizes, backend },
        dir: join(runsDir, runName(scenario, dataset, seed)),
      });
    }
  }
}

const load = loadavg()
  .map((x) => x.toFixed(1))
  .join(" ");
const trainStart = performance.now();
let reused = 0;
await trainAll(poolJobs, {
  jobs,
  reuse,
  onDone(job, meta, done, total) {
    if (meta === "reused") reused++;
    const what = meta === "reused" ? "reused" : `${meta.seconds.toFixed(0)} s`;
    console.error(`[${done}/${total}] ${runName(job.job.scenario, job.job.dataset, job.job.seed)}: ${what}`);
  },
});
const trainMinutes = (performance.now() - trainStart) / 60_000;

const analysisStart = performance.now();
const saved = poolJobs.map((j) => loadRun(j.dir, runName(j.job.scenario, j.job.dataset, j.job.seed)));
const evaluation = evaluateSuite(saved, { trainSeeds, checkEvery, thresholds });
const comparison = compareText
  ? {
      thresholds: compareText,
      evaluation: evaluateSuite(saved, {
        trainSeeds,
        checkEvery,
        thresholds: JSON.parse(compareText) as Partial<MonitorThresholds>,
      }),
    }
  : undefined;
const analysisSeconds = (performance.now() - analysisStart) / 1000;
const runSeconds = saved.reduce((sum, r) => sum + r.meta.seconds, 0);

const cpu = cpus()[0]?.model ?? "unknown CPU";
const machine = `${cpu}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, load average ${load} at the start (the machine is shared)`;
const report = renderReport(evaluation, {
  command: `node --import tsx bench/scenarios.ts ${argv.map(shellQuote).join(" ")}`.trim(),
  date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  machine,
  sizes: `${SCENARIOS.filter((s) => scenarios.includes(s.name)).length} scenarios x ${datasets.join(" and ")} x ${seeds.length} seeds = ${poolJobs.length} runs of ${sizes.steps} steps (64-wide two-layer G and D, batch 256, Adam 2e-3 unless the scenario says otherwise), logged every ${sizes.logInterval} steps, evaluated every ${sizes.evalInterval}, backend ${backend}`,
  seeds,
  trainSeeds,
  trainingNote: `Every number below is also in ${jsonPath} (JSON). Training: ${trainMinutes.toFixed(1)} min of wall time in this invocation with ${jobs} worker processes (${reused} of ${poolJobs.length} runs reused from an earlier invocation, trained by the same code); the runs' own training times add up to ${(runSeconds / 60).toFixed(0)} min, ${(runSeconds / 60 / jobs).toFixed(0)} min per worker.`,
  analysisSeconds,
  goalDetector: MONITOR_LOSSES_ONLY,
  thresholdsNote:
    Object.keys(thresholds).length === 0
      ? "Monitor thresholds: the committed table (src/monitor/thresholds.ts)."
      : `Monitor threshold overrides: \`${JSON.stringify(thresholds)}\`.`,
  ...(comparison ? { comparison } : {}),
  ...(existsSync(notesPath) ? { notes: readFileSync(notesPath, "utf8") } : {}),
});
writeFileSync(reportPath, report);
writeFileSync(
  jsonPath,
  `${JSON.stringify({ command: argv, machine, sizes, seeds, trainSeeds, thresholds, ...evaluation, ...(comparison ? { comparison } : {}) }, (_k, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v))}\n`,
);
console.error(`wrote ${reportPath} and ${jsonPath} (analysis ${analysisSeconds.toFixed(0)} s)`);
