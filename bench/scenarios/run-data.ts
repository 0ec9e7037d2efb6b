/**
 * A saved suite run read back: its configuration, its logged steps (the trainer writes a non-finite
 * number as the string "NaN" / "Infinity"), its evaluation windows and which scenario it is.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TrainConfig } from "../../src/train/config.ts";
import { RUN_FILES } from "../../src/train/run-files.ts";
import type { StepMetrics } from "../../src/train/trainer.ts";
import {
  asNumber,
  parseWindow,
  SCENARIO_FILE,
  type ScenarioMeta,
  WINDOWS_FILE,
  type WindowRecord,
} from "./window-record.ts";

export interface SavedRun {
  id: string;
  dir: string;
  meta: ScenarioMeta;
  config: TrainConfig;
  metrics: StepMetrics[];
  windows: WindowRecord[];
}

const METRIC_FIELDS = [
  "loss_disc",
  "loss_gen",
  "d_real",
  "d_fake",
  "lr_d",
  "lr_g",
  "grad_norm_d",
  "grad_norm_g",
] as const;

export function parseMetricsLine(line: string): StepMetrics {
  const o = JSON.parse(line) as Record<string, unknown>;
  const m = { step: asNumber(o.step), wall_time: asNumber(o.wall_time) } as StepMetrics;
  for (const f of METRIC_FIELDS) m[f] = asNumber(o[f]);
  return m;
}

export function loadRun(dir: string, id: string): SavedRun {
  const lines = (file: string) =>
    readFileSync(join(dir, file), "utf8")
      .split("\n")
      .filter((l) => l.trim() !== "");
  return {
    id,
    dir,
    meta: JSON.parse(readFileSync(join(dir, SCENARIO_FILE), "utf8")) as ScenarioMeta,
    config: JSON.parse(readFileSync(join(dir, RUN_FILES.config), "utf8")) as TrainConfig,
    metrics: lines(RUN_FILES.metrics).map(parseMetricsLine),
    windows: lines(WINDOWS_FILE).map(parseWindow),
  };
}

/** Every finished run (one with scenario.json) directly under `root`, in name order. */
export function loadRuns(root: string): SavedRun[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => existsSync(join(root, name, SCENARIO_FILE)))
    .sort()
    .map((name) => loadRun(join(root, name), name));
}
