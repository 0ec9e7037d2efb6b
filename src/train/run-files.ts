/**
 * The files of a run directory (src/train/run.ts writes them; the report, the dashboard and the demo
 * read them), named in one place that does not load TensorFlow.js.
 */
export const RUN_FILES = {
  config: "config.json",
  metrics: "metrics.jsonl",
  evals: "evals.jsonl",
  checkpoint: "checkpoint.json",
  result: "result.json",
  monitor: "monitor.jsonl",
  control: "control.jsonl",
  report: "report.json",
  /** Held while a process trains into the directory (src/train/run-lock.ts). */
  lock: "train.lock",
} as const;
