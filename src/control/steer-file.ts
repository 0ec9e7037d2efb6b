/**
 * The steering protocol's file: how the controller's decisions reach a trainer Nashboard does not own.
 * `nashboard watch RUN --steer` follows the run's log, runs the same controller the trainer's
 * `--controller` runs, and after each decision replaces `steer.json` in the run folder (written to a
 * temporary file and renamed, so a reader sees the old decision or the new one, never half of one):
 *
 *   {"format": "nashboard-steer", "version": 1, "seq": 3, "step": 240, "written_at": 1765000000.25,
 *    "lr_d_mult": 0.5, "lr_g_mult": 1, "d_steps": 2, "r1": 0.1, "reason": "d_ahead", "urgent": true,
 *    "reading": {"state": "warmup", "confidence": 0, "rule": 3, "gap": 0.84, "evidence": []}}
 *
 * - `seq` grows by one per decision (and goes on from the file's own when watch restarts), so a trainer
 *   applies a decision once;
 * - `step` is the training step, as the log numbers it, at which the decision was made; `written_at`
 *   is Unix time in seconds: a file written before the trainer started is a previous run's, stale;
 * - `lr_d_mult` / `lr_g_mult` multiply each optimiser's own base learning rate (the rate it started
 *   with), `d_steps` is the number of D updates per G update, `r1` the weight of an R1 penalty on D's
 *   gradient at real data that the controller asks for (0: none; a trainer without one may ignore it);
 * - `reason` and `reading` say why: the controller's reason key, and the monitor's state, confidence,
 *   evidence and D gap it acted on, with the balance policy's numbered rule (src/control/balance-policy.ts).
 * A trainer ignores a file whose `format` or `version` it does not know, or whose numbers are not
 * positive (examples/nashboard_steer.py is the reference reader). A later version adds fields only;
 * a change a version-1 reader would misapply gets a new version.
 */
import type { Evidence, StateName } from "../monitor/types.ts";
import type { ControlKnobs } from "./controller.ts";

export const STEER_FILE = "steer.json";
export const STEER_FORMAT = "nashboard-steer";
export const STEER_VERSION = 1;

/** The monitor's reading a decision acted on. */
export interface SteerReading {
  state: StateName;
  confidence: number;
  /** The balance policy's numbered step that decided (9: settling). */
  rule: number;
  gap?: number;
  evidence: Evidence[];
}

export interface SteerRecord {
  format: typeof STEER_FORMAT;
  version: typeof STEER_VERSION;
  seq: number;
  step: number;
  written_at: number;
  lr_d_mult: number;
  lr_g_mult: number;
  d_steps: number;
  r1: number;
  reason: string;
  urgent: boolean;
  reading: SteerReading;
}

/** The record of one decision: the knobs as multipliers of the trainer's own base rates. */
export function steerRecord(
  seq: number,
  step: number,
  writtenAt: number,
  knobs: ControlKnobs,
  why: { reason: string; urgent: boolean; reading: SteerReading },
): SteerRecord {
  return {
    format: STEER_FORMAT,
    version: STEER_VERSION,
    seq,
    step,
    written_at: writtenAt,
    lr_d_mult: knobs.lrD,
    lr_g_mult: knobs.lrG,
    d_steps: knobs.dSteps,
    r1: knobs.r1,
    reason: why.reason,
    urgent: why.urgent,
    reading: why.reading,
  };
}

/**
 * A steer file's text as a record, or the reason it is not one: what a careful reader (the Python
 * helper does the same) checks before applying anything.
 */
export function parseSteerFile(text: string): SteerRecord | { problem: string } {
  let o: unknown;
  try {
    o = JSON.parse(text);
  } catch {
    return { problem: "not JSON" };
  }
  if (o === null || typeof o !== "object" || Array.isArray(o)) return { problem: "not a JSON object" };
  const r = o as Record<string, unknown>;
  if (r.format !== STEER_FORMAT) return { problem: `format is not "${STEER_FORMAT}"` };
  if (r.version !== STEER_VERSION) return { problem: `version ${String(r.version)} is not ${STEER_VERSION}` };
  const positive = (k: string) => typeof r[k] === "number" && Number.isFinite(r[k]) && (r[k] as number) > 0;
  for (const k of ["lr_d_mult", "lr_g_mult", "written_at"])
    if (!positive(k)) return { problem: `${k} is not a positive number` };
  for (const k of ["seq", "d_steps"])
    if (!positive(k) || !Number.isInteger(r[k])) return { problem: `${k} is not a positive integer` };
  if (typeof r.step !== "number" || !Number.isFinite(r.step)) return { problem: "step is not a number" };
  if (typeof r.r1 !== "number" || !(r.r1 >= 0)) return { problem: "r1 is not a number >= 0" };
  return r as unknown as SteerRecord;
}
