/**
 * `nashboard train`: flags -> TrainConfig -> a run directory, with progress on the terminal and, with
 * --json, one JSON object at the end for scripts.
 */
import { join } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { ControlEvent } from "../control/controller.ts";
import { datasetNames } from "../data/index.ts";
import type { Lang } from "../i18n/index.ts";
import { messages } from "../i18n/index.ts";
import { TRAINED_FAMILIES } from "../losses/equilibrium.ts";
import { monitorMessages, renderMessage } from "../monitor/messages.ts";
import { ACTIVATIONS, OPTIMIZERS } from "../train/choices.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../train/config.ts";
import type { RunHooks, RunResult } from "../train/run.ts";
import { nonNegativeInt, positiveInt, positiveNumber, unitInterval, widths } from "./options.ts";
import { createProgress } from "./progress.ts";
import { port, type ServeFlags, serveTraining } from "./watch-command.ts";

export interface TrainFlags {
  dataset: string;
  steps: number;
  seed: number;
  loss: TrainConfig["loss"];
  optimizer: TrainConfig["optimizer"];
  lrD: number;
  lrG: number;
  beta1: number;
  beta2: number;
  dSteps: number;
  latent: number;
  gHidden: number[];
  dHidden: number[];
  gActivation: TrainConfig["gActivation"];
  dActivation: TrainConfig["dActivation"];
  batch: number;
  logInterval: number;
  evalInterval: number;
  evalSamples: number;
  checkpointInterval: number;
  controller?: boolean;
  featureMatching: number;
  minibatchStd?: boolean;
  pack: number;
  r1: number;
  gradientPenalty: number;
  spectralNorm?: boolean;
  labelSmoothing: number;
  lrDecay: number;
  gEma: number;
  reject: number;
  out?: string;
  resume?: string;
  json?: boolean;
}

/** The options shared by `train` and `demo`, with the defaults of DEFAULT_CONFIG (`demo` has its own). */
export function addTrainOptions(cmd: Command, lang: Lang, d: TrainConfig = DEFAULT_CONFIG): Command {
  const m = messages(lang);
  return cmd
    .option("--dataset <name|file.csv>", m.optDataset(datasetNames.join(", ")), d.dataset)
    .option("--steps <n>", m.optSteps, positiveInt, d.steps)
    .option("--seed <n>", m.optSeed, nonNegativeInt, d.seed)
    .addOption(new Option("--loss <family>", m.optLoss).choices(TRAINED_FAMILIES).default(d.loss))
    .addOption(new Option("--optimizer <name>", m.optOptimizer).choices(OPTIMIZERS).default(d.optimizer))
    .option("--lr-d <rate>", m.optLrD, positiveNumber, d.lrD)
    .option("--lr-g <rate>", m.optLrG, positiveNumber, d.lrG)
    .option("--beta1 <b>", m.optBeta1, unitInterval, d.beta1)
    .option("--beta2 <b>", m.optBeta2, unitInterval, d.beta2)
    .option("--d-steps <k>", m.optDSteps, positiveInt, d.dSteps)
    .option("--latent <n>", m.optLatent, positiveInt, d.latent)
    .option("--g-hidden <widths>", m.optGHidden, widths, d.gHidden)
    .option("--d-hidden <widths>", m.optDHidden, widths, d.dHidden)
    .addOption(
      new Option("--g-activation <name>", m.optGActivation).choices(ACTIVATIONS).default(d.gActivation),
    )
    .addOption(
      new Option("--d-activation <name>", m.optDActivation).choices(ACTIVATIONS).default(d.dActivation),
    )
    .option("--batch <n>", m.optBatch, positiveInt, d.batch)
    .option("--log-interval <n>", m.optLogInterval, positiveInt, d.logInterval)
    .option("--eval-interval <n>", m.optEvalInterval, nonNegativeInt, d.evalInterval)
    .option("--eval-samples <n>", m.optEvalSamples, positiveInt, d.evalSamples)
    .option("--checkpoint-interval <n>", m.optCheckpointInterval, nonNegativeInt, d.checkpointInterval)
    .option("--controller", m.optController)
    .option("--feature-matching <weight>", m.optFeatureMatching, nonNegativeNumber, d.featureMatching)
    .option("--minibatch-std", m.optMinibatchStd)
    .option("--pack <m>", m.optPack, positiveInt, d.pack)
    .option("--r1 <gamma>", m.optR1, nonNegativeNumber, d.r1)
    .option("--gradient-penalty <lambda>", m.optGradientPenalty, nonNegativeNumber, d.gradientPenalty)
    .option("--spectral-norm", m.optSpectralNorm)
    .option("--label-smoothing <eps>", m.optLabelSmoothing, unitInterval, d.labelSmoothing)
    .option("--lr-decay <fraction>", m.optLrDecay, nonNegativeNumber, d.lrDecay)
    .option("--g-ema <beta>", m.optGEma, unitInterval, d.gEma)
    .option("--reject <share>", m.optReject, unitInterval, d.reject)
    .option("--out <dir>", m.optOut);
}

/** A weight: 0 (off) or more. */
function nonNegativeNumber(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new InvalidArgumentError("expected a number >= 0 such as 0, 1 or 0.5.");
  return n;
}

export function configFromFlags(f: TrainFlags): TrainConfig {
  return {
    dataset: f.dataset,
    steps: f.steps,
    seed: f.seed,
    loss: f.loss,
    optimizer: f.optimizer,
    lrD: f.lrD,
    lrG: f.lrG,
    beta1: f.beta1,
    beta2: f.beta2,
    dSteps: f.dSteps,
    latent: f.latent,
    gHidden: f.gHidden,
    dHidden: f.dHidden,
    gActivation: f.gActivation,
    dActivation: f.dActivation,
    batch: f.batch,
    logInterval: f.logInterval,
    evalInterval: f.evalInterval,
    evalSamples: f.evalSamples,
    checkpointInterval: f.checkpointInterval,
    controller: f.controller === true,
    featureMatching: f.featureMatching,
    minibatchStd: f.minibatchStd === true,
    pack: f.pack,
    r1: f.r1,
    gradientPenalty: f.gradientPenalty,
    spectralNorm: f.spectralNorm === true,
    labelSmoothing: f.labelSmoothing,
    lrDecay: f.lrDecay,
    gEma: f.gEma,
    reject: f.reject,
  };
}

/** runs/<dataset>-<loss>-s<seed>-<yyyymmdd-hhmmss> */
export function defaultRunDir(c: TrainConfig, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
  const data = c.dataset.replace(/^.*[/\\]/, "").replace(/\.csv$/i, "");
  return join("runs", `${data}-${c.loss}-s${c.seed}-${stamp}`);
}

export function registerTrain(program: Command, lang: Lang): void {
  const m = messages(lang);
  addTrainOptions(program.command("train").description(m.cmdTrain), lang)
    .option("--resume <dir>", m.optResume)
    .option("--json", m.optJson)
    .option("--serve", m.optServe)
    .option("--port <n>", m.optPort, port)
    .option("--host <address>", m.optHost)
    .action(async (flags: TrainFlags & ServeFlags & { serve?: boolean }, cmd: Command) => {
      const config = configFromFlags(flags);
      const resume = flags.resume !== undefined;
      // With --resume only --steps may change; an explicit --steps extends the run.
      const stepsGiven = cmd.getOptionValueSource("steps") === "cli";
      const dir = flags.resume ?? flags.out ?? defaultRunDir(config);
      const dashboard = flags.serve ? await serveTraining(dir, flags, lang) : undefined;
      let result: RunResult;
      try {
        result = await trainWithProgress(config, dir, lang, {
          resume,
          keepSteps: resume && !stepsGiven,
          quiet: flags.json === true,
          ...(dashboard ? { onLog: dashboard.onLog } : {}),
        });
      } catch (e) {
        await dashboard?.close();
        throw e;
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(jsonSummary(result))}\n`);
      await dashboard?.keepServing();
    });
}

export async function trainWithProgress(
  config: TrainConfig,
  dir: string,
  lang: Lang,
  opts: { resume?: boolean; keepSteps?: boolean; quiet?: boolean; onLog?: RunHooks["onLog"] } = {},
): Promise<RunResult> {
  const m = messages(lang);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once("SIGINT", onSigint);
  const steps = opts.keepSteps ? undefined : config.steps;
  const progress = createProgress(steps ?? config.steps, m);
  try {
    // Loaded here, not at the top: analyze and watch share this module graph and start without tfjs.
    const { runTraining } = await import("../train/run.ts");
    const result = await runTraining(
      config,
      { dir, resume: opts.resume, ...(opts.keepSteps ? { keepSteps: true } : {}) },
      {
        signal: controller.signal,
        // Said even with --json (on stderr): both change what the directory held before this run.
        onStaleLock: (previous, lockPath) =>
          progress.line(m.staleLock(lockPath, previous.pid, previous.host, previous.started)),
        onRestart: (cleared) => progress.line(m.restarting(dir, cleared.steps, cleared.files.join(", "))),
        onStart: (c) => {
          if (opts.quiet) return;
          progress.line(opts.resume ? m.resuming(dir) : m.training(c.dataset, c.loss, dir));
          if (c.reject > 0) progress.line(m.rejecting(c.reject));
        },
        onLog: (s, trainer) => {
          opts.onLog?.(s, trainer);
          if (!opts.quiet) progress.update(s.step, s.loss_disc, s.loss_gen);
        },
        onMonitorEvent: (e) => {
          if (opts.quiet) return;
          if (e.type === "state" && e.to)
            progress.line(m.monitorState(e.step, monitorMessages(lang).state[e.to], e.confidence ?? 0));
          if (e.type === "alert" && e.alert && e.alert.severity !== "info")
            progress.line(m.monitorAlert(e.step, e.alert.message));
        },
        onControl: (e) => {
          if (opts.quiet) return;
          const words = e.urgent ? m.controlUrgent(m.controlReason[e.reason]) : m.controlReason[e.reason];
          const reason = `${words}${controlWhy(e, lang)}`;
          progress.line(
            e.param === "d_steps"
              ? m.controlDStepsLine(e.step, e.from, e.to, reason)
              : e.param === "r1"
                ? m.controlR1Line(e.step, e.from, e.to, reason)
                : m.controlLine(e.step, e.param, e.from, e.to, reason),
          );
        },
        onEval: (e) => {
          if (!opts.quiet && e.step < config.steps) progress.line(m.evalLine(e));
        },
      },
    );
    progress.done();
    if (!opts.quiet) {
      if (result.final) progress.line(m.evalLine(result.final));
      if (result.report) {
        const v = result.report.verdict;
        const mm = monitorMessages(lang);
        // too little to judge is not a warning about the run (render-text.ts verdictHeadline)
        const health = !v.enoughData && v.health === "warning" ? mm.text.tooEarly : mm.health[v.health];
        progress.line(m.monitorVerdict(health, renderMessage("summary", v.summary, lang)));
      }
      progress.line(
        result.alreadyComplete
          ? m.alreadyComplete(result.steps, dir)
          : result.completed
            ? m.finished(result.steps, result.seconds, dir)
            : m.interrupted(result.steps, dir),
      );
    }
    return result;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** The --json object: the config, steps, seconds and the evaluator's figures. */
/** The monitor's reading an adjustment acted on, for its terminal line. */
export function controlWhy(e: ControlEvent, lang: Lang): string {
  const evidence = e.evidence
    .map(
      (v) =>
        `${v.signal} ${Number(v.value.toPrecision(3))}${v.op && v.threshold !== undefined ? ` ${v.op} ${v.threshold}` : ""}`,
    )
    .join(", ");
  return messages(lang).controlWhy(monitorMessages(lang).state[e.state], e.confidence, e.rule, evidence);
}

export function jsonSummary(r: RunResult) {
  const f = r.final;
  return {
    dir: r.dir,
    config: r.config,
    steps: r.steps,
    seconds: Number(r.seconds.toFixed(3)),
    completed: r.completed,
    modes: f?.modes ?? null,
    modes_total: f?.modes_total ?? null,
    hq: f?.hq ?? null,
    reverse_kl: f?.reverse_kl ?? null,
    jsd: f?.jsd ?? null,
  };
}
