/**
 * The sample panel of a trainer run that `watch` did not start: the generator and discriminator are
 * restored from the run's checkpoint.json and sampled once per checkpoint. Chosen because it is cheap:
 * the networks are small MLPs, the checkpoint is one JSON file, and tfjs is imported only when a page
 * asks for a panel (a `watch` of RVC logs never loads it). A run trained by another process shows a
 * panel that moves at each checkpoint; `train --serve` sends live panels instead.
 */
import { existsSync, readFileSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import type { Dataset } from "../data/dataset.ts";
import { getDataset, isDatasetName, loadPointsCsv } from "../data/index.ts";
import type { SamplePanel } from "./provider.ts";

export class CheckpointPanel {
  private cached: { mtimeMs: number; panel: SamplePanel | undefined } | undefined;
  private pending: Promise<SamplePanel | undefined> | undefined;

  constructor(readonly dir: string) {}

  /** True when the directory looks like a 2D trainer run (its config names a dataset and a loss). */
  static isTrainerRun(dir: string): boolean {
    const config = readConfig(join(dir, "config.json"));
    return config !== undefined && datasetOf(config.dataset) !== undefined;
  }

  /** The panel of the current checkpoint; undefined when there is none or it cannot be restored. */
  async panel(): Promise<SamplePanel | undefined> {
    const path = join(this.dir, "checkpoint.json");
    const mtimeMs = (await stat(path).catch(() => undefined))?.mtimeMs;
    if (mtimeMs === undefined) return undefined;
    if (this.cached?.mtimeMs === mtimeMs) return this.cached.panel;
    // One restore at a time, whatever the number of pages asking.
    this.pending ??= this.restore(path, mtimeMs).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async restore(path: string, mtimeMs: number): Promise<SamplePanel | undefined> {
    let panel: SamplePanel | undefined;
    try {
      // tfjs only now: a watch without a trainer run never pays for it.
      const [{ loadCheckpoint }, { initBackend }, { Trainer }, { samplePanel }] = await Promise.all([
        import("../train/checkpoint.ts"),
        import("../train/backend.ts"),
        import("../train/trainer.ts"),
        import("./sample-panel.ts"),
      ]);
      const checkpoint = loadCheckpoint(path);
      const dataset = datasetOf(checkpoint.config.dataset);
      if (dataset) {
        await initBackend();
        const trainer = new Trainer(checkpoint.config, dataset);
        try {
          trainer.restore(checkpoint.trainer);
          panel = await samplePanel(trainer, { source: "checkpoint" });
        } finally {
          trainer.dispose();
        }
      }
    } catch {
      // A checkpoint being replaced or from another version: no panel, the curves still show.
      panel = undefined;
    }
    this.cached = { mtimeMs, panel };
    return panel;
  }
}

function readConfig(path: string): { dataset?: unknown; loss?: unknown } | undefined {
  try {
    const c = JSON.parse(readFileSync(path, "utf8")) as unknown;
    return c !== null && typeof c === "object" && "loss" in c ? (c as { dataset?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

/** A built-in dataset by name, or the user's CSV when it is still where the run read it. */
function datasetOf(name: unknown): Dataset | undefined {
  if (typeof name !== "string") return undefined;
  if (isDatasetName(name)) return getDataset(name);
  if (!/\.(csv|tsv|txt)$/i.test(name) || !existsSync(name)) return undefined;
  try {
    return loadPointsCsv(readFileSync(name, "utf8"), { name });
  } catch {
    return undefined;
  }
}
