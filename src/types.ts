/**
 * The shapes every layer shares: the canonical stream of scalar points that sources produce and the
 * monitor consumes, and the problems met while reading. Nothing here knows a file format or a rule.
 */

/** The canonical tags of DESIGN.md. Sources map their own tags onto these and keep the original too. */
export const CANONICAL_TAGS = [
  "loss_disc",
  "loss_gen",
  "loss_fm",
  "loss_mel",
  "loss_kl",
  "loss_gen_total",
  "loss_disc_real",
  "loss_disc_fake",
  "d_real",
  "d_fake",
  "d_acc",
  "lr_d",
  "lr_g",
  "lr",
  "grad_norm_d",
  "grad_norm_g",
] as const;
export type CanonicalTag = (typeof CANONICAL_TAGS)[number];

/**
 * Per-sub-discriminator terms are canonical tags with an index: `d_real_k/3`, `d_fake_k/3`,
 * `loss_gen_k/3` (from tfevents `loss/d_r/3`, `loss/d_g/3`, `loss/g/3`).
 */
export type IndexedTag = `d_real_k/${number}` | `d_fake_k/${number}` | `loss_gen_k/${number}`;

/** The loss families Nashboard's trainer trains (src/losses has each on tfjs tensors). */
export type TrainedFamily = "bce" | "bce_minimax" | "lsgan" | "hinge" | "wasserstein";

/**
 * The loss families Nashboard reads and judges, each with its equilibrium values in
 * src/losses/equilibrium.ts: the trained ones and the relativistic average ones other trainers use
 * (ESRGAN / BasicSR's `ragan`, RaHinge), which the monitor judges but the trainer does not train.
 */
export type LossFamily = TrainedFamily | "ragan" | "rahinge";

/** One scalar value at one step: the unit of the canonical stream. NaN and ±Infinity are data. */
export interface ScalarPoint {
  /** Canonical tag when one applies, otherwise the source's own tag. */
  tag: string;
  /** The tag exactly as the source wrote it (equal to `tag` when the source is canonical). */
  sourceTag: string;
  step: number;
  value: number;
  /** Seconds since the Unix epoch, when the source records it. */
  wallTime?: number;
  /** Training epoch, when the source records it (RVC logs, DCGAN console). */
  epoch?: number;
  /** Increments when the step counter goes back (a resumed run); 0 for the first segment. */
  segment?: number;
  /** The logged value is a lower bound (RVC clamps loss_mel at 75 and loss_kl at 9). */
  lowerBound?: boolean;
  /**
   * The source has given every point of this step: the last point of a log line (a line is a whole
   * step), or of a step replayed from columns. The monitor then judges the step at once instead of
   * waiting for a later one, so a log's last line is judged live as it is offline.
   */
  stepEnd?: boolean;
}

/** Something met while reading a source. Reading goes on unless `fatal` says this file ended there. */
export interface ReadProblem {
  path: string;
  /** Byte offset (binary formats) or 1-based line number (text formats). */
  offset?: number;
  line?: number;
  message: string;
  /** True when the rest of this file could not be read (e.g. a bad length CRC). */
  fatal: boolean;
}
