/**
 * A training run on disk. The run directory holds:
 *   config.json       the configuration (written once)
 *   metrics.jsonl     one line per logged step, canonical tags
 *   evals.jsonl       the evaluator's results at each evaluation interval and at the end
 *   checkpoint.json   the latest checkpoint (atomic), from which --resume continues
 *   result.json       the summary written when the run completes
 *   monitor.jsonl     the balance monitor's state changes and alerts as they happened
 *   report.json       the monitor's report on the whole run (written when the run completes)
 *   control.jsonl     the controller's changes (step, lr_d / lr_g / d_steps / r1, old -> new, reason), if on
 *   events.out.tfevents.*  the same metrics for TensorBoard (a new file per resume)
 *   train.lock        held while a process trains into the directory (src/train/run-lock.ts)
 * A resume cuts these files back to their length at the checkpoint, so the resumed run appends exactly
 * what the uninterrupted run would have written; a resume of a run stopped before its first checkpoint
 * empties them and starts again from step 0.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, truncateSync } from "node:fs";
import { basename, join } from "node:path";
import {
  type ControlEvent,
  type ControllerConfig,
  DEFAULT_CONTROLLER,
  LrController,
} from "../control/controller.ts";
import { type Dataset, getDataset, loadPointsCsv } from "../data/index.ts";
import { NashboardError } from "../errors.ts";
import { type EvalResult, evaluate } from "../eval/index.ts";
import { writeFileAtomic } from "../files/atomic.ts";
import { naming, withPath } from "../files/file-errors.ts";
import { writeAll } from "../files/write-all.ts";
import { BalanceMonitor } from "../monitor/monitor.ts";
import type { MonitorEvent, MonitorReport } from "../monitor/types.ts";
import { Rng } from "../rng.ts";
import { EventFileWriter } from "../sources/tfevents-writer.ts";
import type { ScalarPoint } from "../types.ts";
import { initBackend } from "./backend.ts";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { type TrainConfig, validateConfig, withDefaults } from "./config.ts";
import {
  type ClearedRecords,
  clearRunRecords,
  holdsRun,
  readRunConfig,
  removeStrayTemps,
  shellQuote,
} from "./run-directory.ts";
import { RUN_FILES } from "./run-files.ts";
import { acquireRunLock, type LockOwner } from "./run-lock.ts";
import { type StepMetrics, Trainer } from "./trainer.ts";

/** How long the training loop runs before letting the event loop handle signals and sockets. */
const YIELD_MS = 50;

export interface EvalRecord extends EvalResult {
  step: number;
}

export interface RunHooks {
  /** Called once the configuration is checked and the run directory is ready. */
  onStart?(config: TrainConfig, fromStep: number): void;
  onLog?(m: StepMetrics, trainer: Trainer): void;
  onEval?(e: EvalRecord): void;
  onCheckpoint?(step: number): void;
  /** The balance monitor's state changes and alerts, as they happen. */
  onMonitorEvent?(e: MonitorEvent): void;
  /** The controller's learning-rate changes, as they happen. */
  onControl?(e: ControlEvent): void;
  /** The directory's lock was left by a process that no longer exists; this run took it over. */
  onStaleLock?(previous: LockOwner, lockPath: string): void;
  /** A resume found logged steps but no checkpoint: these records were cleared to restart from step 0. */
  onRestart?(cleared: ClearedRecords): void;
  /** Aborting stops the run after the current step, with a checkpoint. */
  signal?: AbortSignal;
}

export interface RunResult {
  dir: string;
  config: TrainConfig;
  steps: number;
  seconds: number;
  completed: boolean;
  final?: EvalRecord;
  /** The balance monitor's report on the whole run (when it completed in this call). */
  report?: MonitorReport;
  /** Set when a resume found the run already finished; nothing was trained. */
  alreadyComplete?: boolean;
}

export interface RunOptions {
  dir: string;
  /** Continue the run in `dir` from its checkpoint. `config.steps` may extend it. */
  resume?: boolean;
  /** With resume: keep the checkpoint's planned length instead of `config.steps`. */
  keepSteps?: boolean;
  /** With `config.controller`: the controller's settings instead of its defaults (tuning it). */
  controller?: Partial<ControllerConfig>;
}

export async function runTraining(
  requested: TrainConfig,
  options: RunOptions,
  hooks: RunHooks = {},
): Promise<RunResult> {
  const { dir } = options;
  if (
    options.resume &&
    !existsSync(join(dir, RUN_FILES.checkpoint)) &&
    !existsSync(join(dir, RUN_FILES.config))
  ) {
    loadCheckpoint(join(dir, RUN_FILES.checkpoint)); // throws: not a run directory
  }
  if (!options.resume) {
    // Everything a user could have mistyped is checked before anything is written.
    resolveDataset(validateConfig(requested).dataset);
    naming(dir, () => mkdirSync(dir, { recursive: true }));
  }
  const lock = acquireRunLock(dir);
  try {
    if (lock.tookOverFrom) hooks.onStaleLock?.(lock.tookOverFrom, lock.path);
    removeStrayTemps(dir);
    return await trainLocked(requested, options, hooks);
  } catch (e) {
    // a write that failed deep in a library still names the run it belongs to
    throw withPath(e, dir);
  } finally {
    lock.release();
  }
}

/** The run itself, once this process is the directory's only writer. */
async function trainLocked(requested: TrainConfig, options: RunOptions, hooks: RunHooks): Promise<RunResult> {
  const { dir } = options;
  const checkpointPath = join(dir, RUN_FILES.checkpoint);
  const resultPath = join(dir, RUN_FILES.result);
  const checkpoint =
    options.resume && existsSync(checkpointPath) ? loadCheckpoint(checkpointPath) : undefined;
  // Steps but no checkpoint: the run was stopped before its first one and restarts from step 0.
  const restart = options.resume && !checkpoint;
  const base = checkpoint?.config ?? (restart ? readRunConfig(join(dir, RUN_FILES.config)) : undefined);
  // a resume may only change the run's length; a checkpoint older than a field gets its default (off)
  const config = validateConfig(
    base ? withDefaults({ ...base, steps: options.keepSteps ? base.steps : requested.steps }) : requested,
  );
  if (checkpoint && checkpoint.trainer.step >= config.steps && existsSync(resultPath)) {
    // Nothing left to do: report the finished run instead of evaluating it a second time.
    const done = JSON.parse(readFileSync(resultPath, "utf8")) as RunResult;
    return { ...done, alreadyComplete: true };
  }
  if (!options.resume && holdsRun(dir)) {
    // Appending a second run's steps to the first one's files would mix two runs in one history.
    const command = `nashboard train --resume ${shellQuote(dir)} --steps ${requested.steps}`;
    throw new NashboardError("usage", {
      en: `${dir} already holds a run; continue it with \`${command}\` or choose another --out`,
      zh: `${dir} 中已有一个运行；用 \`${command}\` 继续它，或换一个 --out`,
    });
  }
  const dataset = resolveDataset(config.dataset);
  if (checkpoint) {
    for (const [file, bytes] of Object.entries(checkpoint.files)) {
      const path = join(dir, file);
      if (existsSync(path) && statSync(path).size > bytes) naming(path, () => truncateSync(path, bytes));
    }
  } else if (restart) {
    hooks.onRestart?.(clearRunRecords(dir));
  } else {
    writeFileAtomic(join(dir, RUN_FILES.config), `${JSON.stringify(config, null, 2)}\n`);
  }
  await initBackend();
  hooks.onStart?.(config, checkpoint?.trainer.step ?? 0);
  const trainer = new Trainer(config, dataset);
  if (checkpoint) trainer.restore(checkpoint.trainer);
  const metrics = new AppendFile(join(dir, RUN_FILES.metrics));
  const evals = new AppendFile(join(dir, RUN_FILES.evals));
  // TensorBoard opens Nashboard runs too: `tensorboard --logdir runs`. A resume starts a new event file.
  const events = naming(dir, () => new EventFileWriter(dir));
  // The same monitor `analyze` and `watch` use, fed live. A resume rebuilds its state by replaying the
  // metrics logged up to the checkpoint (they are what it had seen), without re-announcing old events.
  const monitor = new BalanceMonitor({ lossFamily: config.loss, discriminators: 1 });
  const monitorLog = new AppendFile(join(dir, RUN_FILES.monitor));
  if (checkpoint) {
    for (const line of readFileSync(join(dir, RUN_FILES.metrics), "utf8").split("\n")) {
      if (line) for (const point of metricPoints(JSON.parse(line) as StepMetrics)) monitor.push(point);
    }
  }
  // The controller steers from the monitor's reading after each logged step (when asked for).
  const controller = config.controller
    ? new LrController(
        {
          lrD: config.lrD,
          lrG: config.lrG,
          dSteps: config.dSteps,
          r1: config.r1,
          decays: config.lrDecay > 0,
          steps: config.steps,
        },
        { ...DEFAULT_CONTROLLER, ...options.controller },
      )
    : undefined;
  if (controller && checkpoint?.control) controller.restore(checkpoint.control);
  const controlLog = new AppendFile(join(dir, RUN_FILES.control));
  const steer = () => {
    const knobs = { lrD: trainer.lrD, lrG: trainer.lrG, dSteps: trainer.dSteps, r1: trainer.r1 };
    const change = controller?.observe(monitor.snapshot(), knobs, trainer.step);
    if (!change) return;
    trainer.setLearningRates(change.lrD, change.lrG);
    trainer.setDSteps(change.dSteps);
    trainer.setR1(change.r1);
    for (const e of change.events) {
      controlLog.append(e);
      hooks.onControl?.(e);
    }
  };
  const observe = (emitted: MonitorEvent[]) => {
    for (const e of emitted) {
      monitorLog.append(e);
      hooks.onMonitorEvent?.(e);
    }
  };

  const runEval = async (): Promise<EvalRecord> => {
    // A noise stream per (seed, step): evaluating never changes the training stream.
    const samples = await trainer.generate(config.evalSamples, config.seed * 1_000_003 + trainer.step);
    const result = evaluate(samples, dataset, new Rng(config.seed + 0x5eed + trainer.step));
    const record = { step: trainer.step, ...result };
    evals.append(record);
    naming(events.path, () => events.addScalars(record.step, evalScalars(record)));
    hooks.onEval?.(record);
    return record;
  };
  const save = () => {
    saveCheckpoint(checkpointPath, {
      version: 1,
      config,
      trainer: trainer.state(),
      ...(controller ? { control: controller.state() } : {}),
      files: {
        [RUN_FILES.metrics]: metrics.bytes,
        [RUN_FILES.evals]: evals.bytes,
        [RUN_FILES.monitor]: monitorLog.bytes,
        [RUN_FILES.control]: controlLog.bytes,
        [basename(events.path)]: naming(events.path, () => events.flushedBytes()),
      },
    });
    hooks.onCheckpoint?.(trainer.step);
  };

  const started = performance.now();
  const startStep = trainer.step;
  let final: EvalRecord | undefined;
  let failed = false;
  try {
    let yielded = performance.now();
    while (trainer.step < config.steps && !hooks.signal?.aborted) {
      // The steps only await promises that resolve at once, so without this the event loop never runs:
      // Ctrl-C (a signal handler) would not stop the run, nor could a dashboard answer while it trains.
      if (performance.now() - yielded > YIELD_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        yielded = performance.now();
      }
      const step = trainer.step + 1;
      const logged = step % config.logInterval === 0 || step === config.steps;
      const t = trainer.trainStep(logged);
      if (t) {
        const m = await trainer.readMetrics(t, step);
        metrics.append(m);
        const { step: _, wall_time, ...scalars } = m;
        naming(events.path, () => events.addScalars(step, scalars, wall_time));
        for (const point of metricPoints(m)) observe(monitor.push(point));
        steer();
        hooks.onLog?.(m, trainer);
      }
      if (config.evalInterval > 0 && step % config.evalInterval === 0 && step < config.steps) await runEval();
      if (config.checkpointInterval > 0 && step % config.checkpointInterval === 0) save();
    }
    const completed = trainer.step >= config.steps;
    if (completed) {
      final = await runEval();
      observe(monitor.flush());
    }
    save();
    const result: RunResult = {
      dir,
      config,
      steps: trainer.step,
      seconds: (performance.now() - started) / 1000,
      completed,
      ...(final ? { final } : {}),
    };
    if (completed) {
      writeFileAtomic(
        join(dir, RUN_FILES.result),
        `${JSON.stringify({ ...result, stepsThisSession: trainer.step - startStep }, null, 2)}\n`,
      );
      const report = monitor.report();
      writeFileAtomic(join(dir, RUN_FILES.report), `${JSON.stringify(report, nanSafe, 2)}\n`);
      return { ...result, report };
    }
    return result;
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    // After a failure (a full disk, a heap that could not grow) closing may fail the same way; the
    // first error is the one to report, so later ones are dropped.
    const closers = [
      () => metrics.close(),
      () => evals.close(),
      () => monitorLog.close(),
      () => controlLog.close(),
      () => naming(events.path, () => events.close()),
      () => trainer.dispose(),
    ];
    for (const close of closers) {
      if (!failed) close();
      else
        try {
          close();
        } catch {
          // the failure in flight is reported instead
        }
    }
  }
}

/** A logged step as the canonical points the monitor reads. */
export function metricPoints(m: StepMetrics): ScalarPoint[] {
  const { step, wall_time, ...scalars } = m;
  return Object.entries(scalars).map(([tag, value]) => ({
    tag,
    sourceTag: tag,
    step,
    value: Number(value),
    wallTime: wall_time,
  }));
}

/** The evaluator's figures under `eval/` tags, for TensorBoard. */
function evalScalars(e: EvalRecord): Record<string, number> {
  const out: Record<string, number> = { "eval/jsd": e.jsd };
  if (e.modes !== undefined) out["eval/modes"] = e.modes;
  if (e.hq !== undefined) out["eval/hq"] = e.hq;
  if (e.reverse_kl !== undefined) out["eval/reverse_kl"] = e.reverse_kl;
  return out;
}

/** A built-in name, or the path of a CSV of 2D points. */
function resolveDataset(spec: string): Dataset {
  if (!/\.(csv|tsv|txt)$/i.test(spec)) return getDataset(spec);
  if (!existsSync(spec))
    throw new NashboardError("usage", { en: `no points file at ${spec}`, zh: `找不到点文件 ${spec}` });
  return loadPointsCsv(readFileSync(spec, "utf8"), { name: spec });
}

/** An append-only JSONL file that knows its own length (checkpoints record it). */
class AppendFile {
  private readonly fd: number;
  bytes: number;

  constructor(readonly path: string) {
    this.fd = naming(path, () => openSync(path, "a"));
    this.bytes = naming(path, () => statSync(path).size);
  }

  append(record: object): void {
    const line = `${JSON.stringify(record, nanSafe)}\n`;
    this.bytes += naming(this.path, () => writeAll(this.fd, line));
  }

  close(): void {
    naming(this.path, () => closeSync(this.fd));
  }
}

/** JSON has no NaN or Infinity; a diverged loss is data, so write it as the string JSONL readers accept. */
function nanSafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
