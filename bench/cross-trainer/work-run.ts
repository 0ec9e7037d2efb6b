/**
 * One finished run of the PyTorch generator (generate.py) read back from its uncommitted work folder:
 * settings, logged metrics, and per evaluation the samples and D outputs the labels are made from.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { StepMetrics } from "../../src/train/trainer.ts";
import { parseMetricsLine } from "../scenarios/run-data.ts";
import type { CrossConfig } from "./corpus.ts";

/** generate.py's EVAL_SAMPLES and PROBE: the layout of one evaluation block in evals.bin. */
export const EVAL_SAMPLES = 2500;
export const PROBE = 1000;
const BLOCK = 2 * EVAL_SAMPLES + 2 * PROBE;

export interface EvalDump {
  step: number;
  weightsNonFinite: boolean;
  /** 2,500 generated points, interleaved x, y. */
  samples: Float32Array;
  /** D's raw outputs on 1,000 fresh real points. */
  realOut: Float32Array;
  /** D's raw outputs on the first 1,000 generated points. */
  fakeOut: Float32Array;
}

export interface WorkRun {
  id: string;
  config: CrossConfig;
  seconds: number;
  metrics: StepMetrics[];
  evals: EvalDump[];
}

const lines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");

export function readWorkRun(dir: string, id: string): WorkRun {
  const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8")) as CrossConfig;
  const done = JSON.parse(readFileSync(join(dir, "done.json"), "utf8")) as { seconds: number };
  const index = lines(join(dir, "evals.jsonl")).map(
    (l) => JSON.parse(l) as { step: number; weights_non_finite: boolean },
  );
  const bin = readFileSync(join(dir, "evals.bin"));
  if (bin.byteLength !== index.length * BLOCK * 4) {
    throw new Error(`${id}: evals.bin holds ${bin.byteLength} bytes for ${index.length} evaluations`);
  }
  // Copy out of the Buffer's pool so every view is aligned for Float32Array.
  const all = new Float32Array(new Uint8Array(bin).buffer);
  const evals = index.map((e, i) => {
    const at = i * BLOCK;
    return {
      step: e.step,
      weightsNonFinite: e.weights_non_finite,
      samples: all.subarray(at, at + 2 * EVAL_SAMPLES),
      realOut: all.subarray(at + 2 * EVAL_SAMPLES, at + 2 * EVAL_SAMPLES + PROBE),
      fakeOut: all.subarray(at + 2 * EVAL_SAMPLES + PROBE, at + BLOCK),
    };
  });
  return {
    id,
    config,
    seconds: done.seconds,
    metrics: lines(join(dir, "metrics.jsonl")).map(parseMetricsLine),
    evals,
  };
}

/** The finished runs (those with done.json) directly under `root`, in id order. */
export function finishedRunIds(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => !name.endsWith(".partial") && existsSync(join(root, name, "done.json")))
    .sort();
}
