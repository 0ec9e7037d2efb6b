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
import { type ChildProcess, spawn } from "node:child_process";
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
} from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Command } from "commander";
import { getDataset } from "../src/data/index.ts";
import { evaluate } from "../src/eval/index.ts";
import { Rng } from "../src/rng.ts";
import { initBackend } from "../src/train/backend.ts";
import { readWorkRun } from "./cross-trainer/work-run.ts";
import { type Outcome, outcomeKey, readOutcomes, renderTables } from "./steer-tables.ts";

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
/** The budgets every run is also scored at (when it is that long). */
const BUDGETS = [3000, 6000];
/** Steps of the rescue runs: the longer budget. */
const RESCUE_STEPS = 6000;
const DATASETS = ["ring8", "grid25"];

/** The healthy settings (arms) of the table, in pairs without and with the controller. */
const ARMS: [string, string[]][] = [
  ["plain GAN", []],
  ["controller", ["--controller"]],
  ["remedies", REMEDIES],
  ["controller + remedies", ["--controller", ...REMEDIES]],
  // The remedy set's runs (training is the same, seed for seed) shown through D: the 5% of samples D
  // scores lowest discarded (src/train/rejection.ts; the share chosen on seeds 100-102).
  ["remedies sampled through D", [...REMEDIES, "--reject", "0.05"]],
];

/** A PyTorch run's settings beyond the defaults below (bench/cross-trainer/grid.py's names). */
type TorchChanges = Record<string, number | string>;

/**
 * A deliberately broken setting: the default run with one thing badly wrong, as Nashboard flags and
 * as the PyTorch generator's settings. One of each kind issue 17 names.
 */
export interface BrokenSetting {
  name: string;
  flags: string[];
  torch: TorchChanges;
}

export const BROKEN: BrokenSetting[] = [
  { name: "D too fast: lr_d x10", flags: ["--lr-d", "1e-2"], torch: { lr_d: 1e-2 } },
  { name: "G too fast: lr_g x10", flags: ["--lr-g", "1e-2"], torch: { lr_g: 1e-2 } },
  {
    name: "too many D steps: 3, lr_g / 10",
    flags: ["--lr-g", "1e-4", "--d-steps", "3"],
    torch: { lr_g: 1e-4, d_steps: 3 },
  },
  { name: "tiny D: one layer of 8", flags: ["--d-hidden", "8"], torch: { d_width: 8, d_depth: 1 } },
  // D 256x3 (131k weights) against G 64x2 (8k): 512x3 broke runs the same way (seeds 100-102, 1-2 modes)
  // at four times the cost, 5-9 minutes a run on the shared machine.
  {
    name: "huge D: 256x3, G 64x2, batch 128",
    flags: ["--d-hidden", "256,256,256", "--g-hidden", "64,64", "--batch", "128"],
    torch: { d_width: 256, d_depth: 3, g_width: 64, batch: 128 },
  },
  {
    name: "SGD at lr 0.1",
    flags: ["--optimizer", "sgd", "--lr-d", "0.1", "--lr-g", "0.1"],
    torch: { optimizer: "sgd", lr_d: 0.1, lr_g: 0.1 },
  },
  {
    name: "minimax G loss, lr_d x3",
    flags: ["--loss", "bce_minimax", "--lr-d", "3e-3"],
    torch: { loss: "bce_minimax", lr_d: 3e-3 },
  },
];

const RESCUE_ARMS: [string, string[]][] = [
  ["without controller", []],
  ["with controller", ["--controller"]],
];
const TORCH_ARMS = ["without steer", "with steer"];

export interface Job {
  part: "table" | "rescue" | "torch";
  /** The arm (table) or "without controller" / "with controller" / "without steer" / "with steer". */
  arm: string;
  setting?: string;
  dataset: string;
  seed: number;
  flags: string[];
  /** The run's length. */
  steps: number;
  /** The budgets it is scored at: its own end, and earlier ones where they equal a shorter run. */
  score: number[];
}

interface Selection {
  parts: string[];
  seeds: number[];
  arms?: string[];
  settings?: string[];
  datasets: string[];
  /** The table's runs this long instead (tuning on a shorter budget). */
  tableSteps?: number;
  /**
   * The controller knows the run's length (it finishes a rescued run within it): its runs at each
   * budget are runs of their own, and its longer runs are scored at their end only.
   */
  budgetAware: boolean;
}

function jobs(sel: Selection): Job[] {
  const out: Job[] = [];
  const want = (setting: string) => !sel.settings || sel.settings.some((s) => setting.startsWith(s));
  for (const seed of sel.seeds)
    for (const dataset of sel.datasets) {
      if (sel.parts.includes("table"))
        for (const [arm, flags] of ARMS) {
          const steps = sel.tableSteps ?? STEPS[dataset]!;
          out.push({ part: "table", arm, dataset, seed, flags, steps, score: scored(steps, steered(arm)) });
        }
      for (const b of BROKEN.filter((s) => want(s.name))) {
        const lengths = (arm: string) => (steered(arm) ? BUDGETS : [RESCUE_STEPS]);
        const common = { setting: b.name, dataset, seed };
        if (sel.parts.includes("rescue"))
          for (const [arm, flags] of RESCUE_ARMS)
            for (const steps of lengths(arm))
              out.push({
                ...common,
                part: "rescue",
                arm,
                flags: [...b.flags, ...flags],
                steps,
                score: scored(steps, steered(arm)),
              });
        if (sel.parts.includes("torch"))
          for (const arm of TORCH_ARMS)
            for (const steps of lengths(arm))
              out.push({
                ...common,
                part: "torch",
                arm,
                flags: b.flags,
                steps,
                score: scored(steps, steered(arm)),
              });
      }
    }
  return sel.arms ? out.filter((j) => sel.arms!.includes(j.arm)) : out;

  /** Whether an arm's runs are steered by a controller that knows their length. */
  function steered(arm: string): boolean {
    return sel.budgetAware && /controller|with steer/.test(arm) && !/without/.test(arm);
  }
  /** A run of `steps` is scored at its end and, unless its controller knows its length, at the shorter budgets. */
  function scored(steps: number, budgetAware: boolean): number[] {
    return budgetAware ? [steps] : [...BUDGETS.filter((b) => b < steps), steps];
  }
}

const MAIN = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));
const WORKER = fileURLToPath(new URL("./steer-worker.ts", import.meta.url));
const TORCH_RUN = fileURLToPath(new URL("./steer-torch.py", import.meta.url));
/** Debian's python3, which has python3-torch (a pyenv python on PATH may not). */
const PYTHON = process.env.NASHBOARD_TORCH_PYTHON ?? "/usr/bin/python3";

const lines = (path: string) =>
  existsSync(path)
    ? readFileSync(path, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

function waitExit(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) =>
    child.on("close", (code, signal) =>
      code === 0 || signal === "SIGINT"
        ? resolve()
        : reject(new Error(`${what} exited with ${code ?? signal}`)),
    ),
  );
}

/** The control events up to `step`: how many, and whether R1 was among them. */
function controlUpTo(events: { step: number; param?: string }[], step: number) {
  const upTo = events.filter((e) => e.step <= step);
  return { controlEvents: upTo.length, r1SwitchedOn: upTo.some((e) => e.param === "r1") };
}

/** Nashboard's trainer: one run, scored at each budget it reaches and at its end. */
async function trainNashboard(job: Job, dir: string): Promise<Omit<Outcome, "load">[]> {
  // A tuning variant of the controller runs through the worker, which takes the controller's settings.
  const tuned = controllerConfig !== undefined && job.flags.includes("--controller");
  const args = ["--import", "tsx", ...(tuned ? [WORKER, controllerConfig] : [MAIN, "train"])];
  args.push("--dataset", job.dataset, "--seed", String(job.seed));
  const steps = stepsOverride ?? job.steps;
  const every = stepsOverride ? 0 : BUDGETS[0]!;
  args.push("--steps", String(steps), "--eval-interval", String(every), "--checkpoint-interval", "0");
  args.push("--json", "--out", dir, ...job.flags);
  const child = spawn(process.execPath, args, { stdio: ["ignore", "ignore", "inherit"] });
  await waitExit(child, JSON.stringify(job));
  const report = JSON.parse(readFileSync(join(dir, "report.json"), "utf8"));
  const result = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
  const control = lines(join(dir, "control.jsonl"));
  return lines(join(dir, "evals.jsonl"))
    .filter((e) => e.step === steps || job.score.includes(e.step))
    .map((e) => ({
      ...job,
      trainer: "nashboard",
      steps: e.step,
      modes: e.modes,
      modes_total: e.modes_total,
      hq: e.hq,
      reverse_kl: e.reverse_kl,
      jsd: e.jsd,
      seconds: (result.seconds * e.step) / steps,
      ...(e.step === steps ? { verdict: report.verdict.health } : {}),
      ...controlUpTo(control, e.step),
    }));
}

/** The PyTorch settings of a job: the default run of Nashboard's trainer, then the broken setting. */
function torchConfig(job: Job): Record<string, unknown> {
  const data = getDataset(job.dataset);
  const setting = BROKEN.find((b) => b.name === job.setting)!;
  return {
    index: 0,
    seed: job.seed,
    dataset: { name: job.dataset, centres: data.modes!.centres, std: data.modes!.std },
    g_activation: "relu",
    d_activation: "relu",
    latent: 64,
    loss: "bce",
    optimizer: "adam",
    momentum: 0,
    betas: [0.5, 0.999],
    lr_g: 1e-3,
    lr_d: 1e-3,
    steps: stepsOverride ?? job.steps,
    log_interval: 20,
    dead_nets: null,
    dead_bias: null,
    g_width: 128,
    g_depth: 2,
    d_width: 128,
    d_depth: 2,
    batch: 256,
    d_steps: 1,
    gp_lambda: null,
    eval_interval: stepsOverride ?? BUDGETS[0],
    ...setting.torch,
  };
}

/**
 * The PyTorch generator: with steer, `nashboard watch DIR --steer` runs beside it from before its
 * first step to after its last, as a user would run them.
 */
async function trainTorch(job: Job, dir: string): Promise<Omit<Outcome, "load">[]> {
  mkdirSync(dir, { recursive: true });
  const cfg = torchConfig(job);
  let watch: ChildProcess | undefined;
  let watched: Promise<void> | undefined;
  if (job.arm === "with steer") {
    const args = [
      "--import",
      "tsx",
      MAIN,
      "watch",
      dir,
      "--steer",
      "--port",
      "0",
      "--loss",
      String(cfg.loss),
    ];
    if (cfg.d_steps !== 1) args.push("--d-steps", String(cfg.d_steps));
    // A controller that knows the run's length is told it, as the trainer's own is.
    if (job.score.length === 1) args.push("--steps", String(cfg.steps));
    watch = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
    watched = waitExit(watch, `watch for ${JSON.stringify(job)}`);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      watch!.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("Watching")) resolve();
      });
      watched!.catch(reject);
    });
    watch.stdout!.resume();
  }
  const python = spawn(PYTHON, [TORCH_RUN, dir, JSON.stringify(cfg), ...(watch ? ["--steer"] : [])], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitExit(python, `PyTorch run ${JSON.stringify(job)}`);
  if (watch) {
    // The trainer is done: let watch read the last lines, then stop it as Ctrl-C does.
    await new Promise((r) => setTimeout(r, 500));
    watch.kill("SIGINT");
    await watched;
  }
  const run = readWorkRun(dir, "run");
  const data = getDataset(job.dataset);
  const control = lines(join(dir, "control.jsonl"));
  const steps = Number(cfg.steps);
  const lag = applyLag(control, run.metrics, cfg);
  return run.evals
    .filter((e) => e.step === steps || job.score.includes(e.step))
    .map((e) => {
      // Nashboard's evaluator, with the noise stream run.ts uses for a run's evaluation at this step.
      const r = evaluate(e.samples, data, new Rng(job.seed + 0x5eed + e.step));
      return {
        ...job,
        trainer: "pytorch",
        steps: e.step,
        modes: r.modes ?? 0,
        modes_total: r.modes_total ?? 0,
        hq: r.hq ?? 0,
        reverse_kl: r.reverse_kl ?? null,
        jsd: r.jsd,
        seconds: (run.seconds * e.step) / steps,
        ...controlUpTo(control, e.step),
        ...lag,
      };
    });
}

/**
 * How the protocol did in a steered PyTorch run: of watch's learning-rate decisions, how many the
 * trainer's own log shows applied (its logged rate = base rate x the decision's multiplier, at a later
 * logged step), and the median number of training steps from a decision to the first logged step
 * that shows it. A decision superseded before the next logged step is never seen, and counts as not
 * shown.
 */
function applyLag(
  control: { step: number; param?: string; to: number }[],
  metrics: { step: number; lr_d?: number; lr_g?: number }[],
  cfg: Record<string, unknown>,
): { decisions?: number; shown?: number; lagSteps?: number } {
  const lrEvents = control.filter((e) => e.param === "lr_d" || e.param === "lr_g");
  if (lrEvents.length === 0) return {};
  const lags: number[] = [];
  for (const e of lrEvents) {
    const key = e.param as "lr_d" | "lr_g";
    const want = Number(cfg[key]) * e.to;
    const seen = metrics.find(
      (m) => m.step > e.step && Math.abs((m[key] ?? Number.NaN) - want) <= 1e-9 * want,
    );
    if (seen) lags.push(seen.step - e.step);
  }
  lags.sort((a, b) => a - b);
  return {
    decisions: lrEvents.length,
    shown: lags.length,
    ...(lags.length > 0 ? { lagSteps: lags[Math.floor(lags.length / 2)]! } : {}),
  };
}

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
/** "0-4,7" -> [0, 1, 2, 3, 4, 7] */
function seedList(spec: string): number[] {
  return spec.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}
/** Keep each run's logs and records under this folder (for tuning), instead of only its outcomes. */
const keep = opts.keep;
/** The controller's settings for its arms (JSON, over its defaults): a tuning variant, in its own --out. */
const controllerConfig = opts.controllerConfig;
/** A smoke run of the whole pipeline in a minute: every run this many steps. */
const stepsOverride = opts.steps === undefined ? undefined : Number(opts.steps);
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
        const os = await (job.part === "torch" ? trainTorch(job, dir) : trainNashboard(job, dir));
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
