import { NUMBER_PATTERN, parseLogNumber } from "../number-text.ts";

/**
 * The lines that frame epochs. RVC `main` translates them (`训练轮次：N [p%]`, `Training epoch: N [p%]`,
 * `====> 轮次：N`, `====> Época: N`, ...) and the Paddle port writes `训练回合：1 [0%]`, so they are
 * matched by structure, never by English words:
 *
 * - epoch start: `<words> N [p%]`, a colon (ASCII or full-width) optional: `Train Epoch: 5 [41%]`;
 * - epoch end: `====> <word>[:：] N ...`: `====> Epoch: 2 [2023-06-11 10:25:02] | (1:32:56.852602)`, the
 *   old bare `====> Epoch: 13`, vits-vae's `====> Epoch: 3, Step: 600`, and Applio 2023's
 *   `====> Epoch: 7 Step: 280 Learning Rate: 9.9925e-05 [...]`; Applio 2023 without its detector
 *   prints the same without the arrow: `Epoch: 7 [2023-10-21 12:00:00] | (0:00:27)`.
 */

export interface EpochEnd {
  epoch: number;
  /** Applio 2023 and vits-vae print the global step after the epoch. */
  step?: number;
  /** Applio 2023 prints the learning rate of the epoch. */
  lr?: number;
}

const EPOCH_START = /^[^\d[\]=]+?[:：]?\s*(\d+)\s*\[\s*\d+(?:\.\d+)?\s*%\s*\]$/;
const EPOCH_END = /^(?:====>\s*\S+?[:：]?|Epoch[:：])\s*(\d+)(?![\d.])(.*)$/;
const STEP_AFTER = /\bStep[:：]\s*(\d+)/;
const LR_AFTER = new RegExp(`\\bLearning Rate[:：]\\s*(${NUMBER_PATTERN})`, "i");

/** The epoch a `Train Epoch: N [p%]` line starts (or continues), or undefined. */
export function parseEpochStart(message: string): number | undefined {
  // (Quick tests of what the patterns require rule most lines out before they run.)
  if (!message.endsWith("]")) return undefined;
  const m = EPOCH_START.exec(message);
  return m ? Number(m[1]) : undefined;
}

export function parseEpochEnd(message: string): EpochEnd | undefined {
  if (!message.startsWith("====>") && !message.startsWith("Epoch")) return undefined;
  const m = EPOCH_END.exec(message);
  if (!m) return undefined;
  const end: EpochEnd = { epoch: Number(m[1]) };
  const step = STEP_AFTER.exec(m[2]);
  if (step) end.step = Number(step[1]);
  const lr = LR_AFTER.exec(m[2]);
  if (lr) end.lr = parseLogNumber(lr[1]);
  return end;
}

/**
 * VITS-family trainers (and RVC) log their hyper-parameters as a dict on every start:
 * `{'train': {'log_interval': 200, ...}, 'data': ..., 'model': ...}`.
 */
export function isConfigDump(message: string): boolean {
  return message.startsWith("{") && message.includes("'train'");
}
