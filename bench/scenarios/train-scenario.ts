/**
 * The suite's trainer driver: one (scenario, dataset, seed) trained with the project's trainer into a
 * run directory (config.json, metrics.jsonl, evals.jsonl, ... as any run), plus `windows.jsonl`, one
 * WindowRecord per evaluation window, and `scenario.json`. Training is the only expensive stage; the
 * detectors and the scores are computed later from these files, so they can be changed and re-run
 * without training again.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getDataset } from "../../src/data/index.ts";
import { type BackendMode, initBackend } from "../../src/train/backend.ts";
import type { TrainConfig } from "../../src/train/config.ts";
import { runTraining } from "../../src/train/run.ts";
import type { Trainer } from "../../src/train/trainer.ts";
import { probeNetworks } from "./network-probe.ts";
import { findScenario, type SuiteDataset, type SuiteSizes, scenarioConfig } from "./scenario-table.ts";
import {
  nanSafe,
  SCENARIO_FILE,
  type ScenarioMeta,
  WINDOWS_FILE,
  type WindowRecord,
} from "./window-record.ts";

export interface TrainJob {
  scenario: string;
  dataset: SuiteDataset;
  seed: number;
  sizes: SuiteSizes;
  /** The trainer's backend: "wasm" (default) is deterministic and independent of the native addon. */
  backend?: BackendMode;
  /** Changes to the suite's base configuration (before the scenario's overrides): smaller networks. */
  base?: Partial<TrainConfig>;
}

/** Points in each fresh batch D's accuracy is measured on. */
export const PROBE_BATCH = 1000;

/** Trains the job into `dir` (which must not hold a run yet) and returns what scenario.json records. */
export async function trainScenario(job: TrainJob, dir: string): Promise<ScenarioMeta> {
  await initBackend({ mode: job.backend ?? "wasm" });
  const scenario = findScenario(job.scenario);
  const config = scenarioConfig(scenario, job.dataset, job.seed, job.sizes, job.base);
  const dataset = getDataset(config.dataset);
  let trainer: Trainer | undefined;
  let lossNonFinite = false;
  const started = performance.now();
  await runTraining(
    config,
    { dir },
    {
      onLog(m, t) {
        trainer = t;
        if (!Number.isFinite(m.loss_disc) || !Number.isFinite(m.loss_gen)) lossNonFinite = true;
      },
      onEval(e) {
        if (!trainer) throw new Error("the evaluation came before the first logged step");
        // Its own stream per (seed, step), apart from the trainer's and the evaluator's.
        const probe = probeNetworks(
          trainer.gan,
          dataset,
          config.loss,
          config.latent,
          PROBE_BATCH,
          (config.seed + 1) * 7_919_993 + e.step,
        );
        const record: WindowRecord = {
          step: e.step,
          modes: e.modes ?? Number.NaN,
          modes_total: e.modes_total ?? Number.NaN,
          hq: e.hq ?? Number.NaN,
          reverse_kl: e.reverse_kl ?? Number.NaN,
          jsd: e.jsd,
          ...probe,
          lossNonFinite,
        };
        lossNonFinite = false;
        appendFileSync(join(dir, WINDOWS_FILE), `${JSON.stringify(record, nanSafe)}\n`);
      },
    },
  );
  const meta: ScenarioMeta = {
    scenario: job.scenario,
    dataset: job.dataset,
    seed: job.seed,
    steps: config.steps,
    evalInterval: config.evalInterval,
    seconds: (performance.now() - started) / 1000,
  };
  writeFileSync(join(dir, SCENARIO_FILE), `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}
