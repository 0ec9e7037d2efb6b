/**
 * Nashboard's library surface: the one public door. Everything a TypeScript user needs to train a GAN,
 * evaluate it, read other trainers' logs and (later) feed the monitor is exported here by name.
 */

export {
  balancePolicy,
  type ControlEvent,
  type ControllerConfig,
  DEFAULT_CONTROLLER,
  LrController,
} from "./control/index.ts";
export type { Dataset, Modes } from "./data/index.ts";
export { datasetNames, getDataset, grid25, loadPointsCsv, ring8 } from "./data/index.ts";
export { EXIT_CODES, NashboardError } from "./errors.ts";
export type { EvalResult } from "./eval/index.ts";
export { EVAL_SAMPLES, evaluate, gridJsd, modeCoverage } from "./eval/index.ts";
export type { Lang } from "./i18n/index.ts";
export type { AdversarialLoss, Equilibrium } from "./losses/index.ts";
export * as losses from "./losses/index.ts";
export { equilibrium, jsdLowerBound, LOSS_FAMILIES, lossFor } from "./losses/index.ts";
export {
  BalanceMonitor,
  MONITOR_THRESHOLDS,
  type MonitorEvent,
  type MonitorOptions,
  type MonitorReport,
  renderReportText,
  type Snapshot,
  type StateName,
} from "./monitor/index.ts";
export { renderHtmlReport } from "./report/html.ts";
export { Rng, type RngState } from "./rng.ts";
export { startDashboardServer } from "./server/dashboard-server.ts";
export { createFollowProvider } from "./server/follow-provider.ts";
export type { DashboardProvider } from "./server/provider.ts";
export { type Discovery, discoverRuns, type RunFile, type RunPlan } from "./sources/discover.ts";
export { type FollowEvent, type FollowOptions, followRuns, RunFollower } from "./sources/follow.ts";
export type { ParseOutput, RunHints, StreamParser } from "./sources/parser.ts";
export { replayPoints } from "./sources/replay.ts";
export type { Run } from "./sources/run-builder.ts";
export { type ReadOptions, type ReadResult, readRuns } from "./sources/run-source.ts";
export type { Series } from "./sources/series.ts";
export { canonicalTag } from "./sources/tag-map.ts";
export { TfEventsParser } from "./sources/tfevents.ts";
export { EventFileWriter } from "./sources/tfevents-writer.ts";
export { initBackend } from "./train/backend.ts";
export { type Checkpoint, loadCheckpoint, saveCheckpoint } from "./train/checkpoint.ts";
export { DEFAULT_CONFIG, type TrainConfig, validateConfig } from "./train/config.ts";
export { Gan } from "./train/gan.ts";
export { Mlp, type MlpSpec } from "./train/mlp.ts";
export { type EvalRecord, type RunHooks, type RunOptions, type RunResult, runTraining } from "./train/run.ts";
export { RUN_FILES } from "./train/run-files.ts";
export { type StepMetrics, Trainer, type TrainerState } from "./train/trainer.ts";
export type { CanonicalTag, LossFamily, ReadProblem, ScalarPoint } from "./types.ts";
