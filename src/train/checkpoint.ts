/**
 * Checkpoints as one JSON file, written atomically: the bytes go to a temporary file in the same
 * directory, are flushed to disk, and only then renamed over the previous checkpoint. A process killed
 * at any instant leaves either the old checkpoint or the new one, never a half-written file under the
 * checkpoint's name. Each write has its own temporary name (pid and a random part), so two writers can
 * never write into one temporary file; a stray one a killed process left is ignored (the run removes
 * them when it next takes the directory's lock, src/train/run.ts).
 *
 * Float32 arrays are stored as base64 of their little-endian bytes, so a resumed run continues from
 * bit-identical weights and optimizer moments.
 */
import { existsSync, readFileSync } from "node:fs";
import type { ControllerState } from "../control/controller.ts";
import { NashboardError } from "../errors.ts";
import { writeFileAtomic } from "../files/atomic.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "./config.ts";
import type { TrainerState } from "./trainer.ts";

export const CHECKPOINT_VERSION = 1;

export interface Checkpoint {
  version: number;
  config: TrainConfig;
  trainer: TrainerState;
  /** Byte lengths of the run's append-only files at this step, so a resume can cut what came after. */
  files: Record<string, number>;
  /** The learning-rate controller's own state, when the run has one. */
  control?: ControllerState;
}

export function saveCheckpoint(path: string, checkpoint: Checkpoint): void {
  const text = JSON.stringify(checkpoint, (_key, value) =>
    value instanceof Float32Array
      ? { f32: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") }
      : value,
  );
  writeFileAtomic(path, text);
}

export function loadCheckpoint(path: string): Checkpoint {
  if (!existsSync(path))
    throw new NashboardError("usage", {
      en: `no checkpoint at ${path}: is this a run directory?`,
      zh: `${path} 处没有检查点：这是一个运行目录吗？`,
    });
  let parsed: Checkpoint;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"), (_key, value) => {
      if (value && typeof value === "object" && typeof value.f32 === "string") {
        const bytes = Buffer.from(value.f32, "base64");
        // copy into a fresh, aligned buffer: Buffer slices may start at any offset
        return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
      }
      return value;
    });
  } catch (e) {
    throw new NashboardError("data", {
      en: `the checkpoint ${path} cannot be read: ${(e as Error).message}`,
      zh: `无法读取检查点 ${path}：${(e as Error).message}`,
    });
  }
  if (parsed.version !== CHECKPOINT_VERSION) {
    throw new NashboardError(
      "data",
      `the checkpoint ${path} has version ${parsed.version}, expected ${CHECKPOINT_VERSION}`,
    );
  }
  // A checkpoint from before a config field existed takes that field's default (the run never used it).
  return { ...parsed, config: { ...DEFAULT_CONFIG, ...parsed.config } };
}
