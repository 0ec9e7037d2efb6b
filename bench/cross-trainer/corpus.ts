/**
 * The committed cross-trainer corpus: one gzipped JSON file per PyTorch run under
 * bench/cross-trainer/corpus/, holding what scoring needs and nothing it could re-derive: the
 * run's settings, its logged metrics (columns, 5 significant digits) and its window records (made by
 * label.ts with Nashboard's evaluator from samples the corpus does not keep). Labels are not stored:
 * they are computed from the window records by bench/scenarios/labels.ts at scoring time, so there is
 * one definition of ground truth and no stale copy of it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { DEFAULT_CONFIG } from "../../src/train/config.ts";
import type { StepMetrics } from "../../src/train/trainer.ts";
import type { LossFamily } from "../../src/types.ts";
import type { DetectorConfig } from "../scenarios/detector.ts";
import { labelRun, PRIMARY_RULES, type RunTruth } from "../scenarios/labels.ts";
import { asNumber, nanSafe, parseWindow, type WindowRecord } from "../scenarios/window-record.ts";

/** The runs' files sit beside the corpus README (a folder named runs/ would fall under .gitignore). */
export const CORPUS_DIR = "bench/cross-trainer/corpus";

/** The loss families of the PyTorch generator (grid.py's LOSSES). */
export type CrossFamily = "bce" | "bce_minimax" | "lsgan" | "hinge" | "wgan_gp" | "ragan";

/**
 * The family the monitor is told for each: the same one where Nashboard knows it; WGAN-GP is
 * Nashboard's `wasserstein`; relativistic average BCE is `ragan` (until 2026-12-07 the monitor did not
 * know it and was told `bce`, which read its G loss at 2 ln 2, twice BCE's, as D winning).
 */
export const MONITOR_FAMILY: Record<CrossFamily, LossFamily> = {
  bce: "bce",
  bce_minimax: "bce_minimax",
  lsgan: "lsgan",
  hinge: "hinge",
  wgan_gp: "wasserstein",
  ragan: "ragan",
};

/** grid.py's settings of one run, as it wrote them to config.json. */
export interface CrossConfig {
  index: number;
  seed: number;
  dataset: { kind: string; name: string; centres: [number, number][]; std: number; box_half: number };
  g_activation: string;
  d_activation: string;
  latent: number;
  loss: CrossFamily;
  optimizer: "adam" | "rmsprop" | "sgd";
  betas: [number, number] | null;
  momentum: number | null;
  lr_g: number;
  lr_d: number;
  failure: string;
  dead_nets: string | null;
  dead_bias: number | null;
  g_width: number;
  g_depth: number;
  d_width: number;
  d_depth: number;
  batch: number;
  steps: number;
  log_interval: number;
  d_steps: number;
  gp_lambda: number | null;
  eval_interval: number;
  redraws: number;
  estimated_seconds: number;
  torch: string;
  /** grid.py's STRATA: "grid" (the grid as documented) or "lean" (no failure setting, Adam, wider
   *  modes: more healthy endings). Runs 0-329 were drawn before the field existed: "grid". */
  stratum?: "grid" | "lean";
}

export interface CorpusRun {
  id: string;
  config: CrossConfig;
  /** Wall time of the run's training, evaluation dumps included. */
  seconds: number;
  windows: WindowRecord[];
  metrics: StepMetrics[];
}

/** The metric columns kept; wall_time is not (no detector reads it; it is rebuilt from `seconds`). */
export const METRIC_COLUMNS = [
  "loss_disc",
  "loss_gen",
  "d_real",
  "d_fake",
  "grad_norm_d",
  "grad_norm_g",
  "lr_d",
  "lr_g",
] as const;

/** 5 significant digits: the loss logs people share print fewer, and gzip needs fewer distinct values. */
export function round5(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(5)) : v;
}

export function encodeRun(run: CorpusRun): Buffer {
  const columns: Record<string, number[]> = { step: run.metrics.map((m) => m.step) };
  for (const c of METRIC_COLUMNS) columns[c] = run.metrics.map((m) => round5(m[c]));
  const body = {
    id: run.id,
    config: run.config,
    seconds: run.seconds,
    windows: run.windows,
    metrics: columns,
  };
  return gzipSync(`${JSON.stringify(body, nanSafe)}\n`, { level: 9 });
}

export function decodeRun(bytes: Buffer): CorpusRun {
  const o = JSON.parse(gunzipSync(bytes).toString("utf8")) as {
    id: string;
    config: CrossConfig;
    seconds: number;
    windows: unknown[];
    metrics: Record<string, unknown[]>;
  };
  const steps = o.metrics.step.map(asNumber);
  const perStep = o.seconds / o.config.steps;
  const metrics = steps.map((step, i) => {
    const m = { step, wall_time: step * perStep } as StepMetrics;
    for (const c of METRIC_COLUMNS) m[c] = asNumber(o.metrics[c][i]);
    return m;
  });
  const windows = o.windows.map((w) => parseWindow(JSON.stringify(w)));
  return { id: o.id, config: o.config, seconds: o.seconds, windows, metrics };
}

/** Every run of the corpus, in id order (= generation order). */
export function loadCorpus(dir = CORPUS_DIR): CorpusRun[] {
  return corpusIds(dir).map((id) => decodeRun(readFileSync(join(dir, `${id}.json.gz`))));
}

export function corpusIds(dir = CORPUS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json.gz"))
    .map((f) => f.slice(0, -".json.gz".length))
    .sort();
}

/** The truth of a run, from its window records alone (the losses are never read). */
export function runTruth(run: Pick<CorpusRun, "windows">, rules = PRIMARY_RULES): RunTruth {
  return labelRun(run.windows, rules);
}

/**
 * What the replayed detectors are told about a run: Nashboard's configuration shape with the family the
 * monitor knows it by and the run's length. The other fields are Nashboard's defaults and are not read
 * by any detector (the monitor reads the family; the naive rules its equilibrium).
 */
export function detectorConfig(run: CorpusRun): DetectorConfig {
  const c = run.config;
  return {
    ...DEFAULT_CONFIG,
    dataset: c.dataset.name,
    steps: c.steps,
    seed: c.seed,
    loss: MONITOR_FAMILY[c.loss],
    lrD: c.lr_d,
    lrG: c.lr_g,
    dSteps: c.d_steps,
    latent: c.latent,
    batch: c.batch,
    logInterval: c.log_interval,
    evalInterval: c.eval_interval,
  };
}

export function stratumOf(run: Pick<CorpusRun, "config">): "grid" | "lean" {
  return run.config.stratum ?? "grid";
}
