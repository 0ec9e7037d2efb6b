/**
 * The steer benchmark's runners (bench/steer.ts hands them its jobs): one run of Nashboard's trainer
 * (`nashboard train --json`, or bench/steer-worker.ts for a tuning variant of the controller), or one
 * PyTorch run with `nashboard watch --steer` beside it, each read back into outcomes scored at its
 * budgets. Apart from the plan and the CLI because this is process handling and scoring, not what is
 * measured.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { getDataset } from "../src/data/index.ts";
import { evaluate } from "../src/eval/index.ts";
import { Rng } from "../src/rng.ts";
import { readWorkRun } from "./cross-trainer/work-run.ts";
import type { Outcome } from "./steer-outcomes.ts";
import { BROKEN, BUDGETS, type Job } from "./steer-plan.ts";

/** What the command line changes in every run. */
export interface RunOptions {
  /** The controller's settings for its arms (JSON, over its defaults): a tuning variant. */
  controllerConfig?: string | undefined;
  /** A smoke run of the whole pipeline in a minute: every run this many steps. */
  stepsOverride?: number | undefined;
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
export async function trainNashboard(
  job: Job,
  dir: string,
  { controllerConfig, stepsOverride }: RunOptions,
): Promise<Omit<Outcome, "load">[]> {
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
function torchConfig(job: Job, stepsOverride: number | undefined): Record<string, unknown> {
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
export async function trainTorch(
  job: Job,
  dir: string,
  { stepsOverride }: RunOptions,
): Promise<Omit<Outcome, "load">[]> {
  mkdirSync(dir, { recursive: true });
  const cfg = torchConfig(job, stepsOverride);
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
