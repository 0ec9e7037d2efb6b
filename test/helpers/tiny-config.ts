import { DEFAULT_CONFIG, type TrainConfig } from "../../src/train/config.ts";

/** The trainer's defaults with networks small enough that a test trains in milliseconds. */
export const TINY_CONFIG: TrainConfig = {
  ...DEFAULT_CONFIG,
  gHidden: [16, 16],
  dHidden: [16, 16],
  latent: 8,
  batch: 32,
};
