import { DEFAULT_CONFIG, type TrainConfig } from "../../src/train/config.ts";

/** The trainer's defaults with networks small enough that a test trains in milliseconds. */
export const TINY_CONFIG: TrainConfig = {
  ...DEFAULT_CONFIG,
  gHidden: [16, 16],
  dHidden: [16, 16],
  latent: 8,
  batch: 32,
};

/** TINY_CONFIG's networks and batch as `train` flags, for tests that run the CLI in a child process. */
export const TINY_FLAGS: string[] = [
  "--g-hidden",
  TINY_CONFIG.gHidden.join(","),
  "--d-hidden",
  TINY_CONFIG.dHidden.join(","),
  "--latent",
  String(TINY_CONFIG.latent),
  "--batch",
  String(TINY_CONFIG.batch),
  "--eval-samples",
  "100",
];
