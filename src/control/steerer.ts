/**
 * Steering a run Nashboard does not train: the controller `train --controller` runs, fed the monitor's
 * reading of a followed log. steer.json speaks in multipliers of the trainer's own base rates (1 at the
 * start); the controller itself reasons in rates, because on a clear failure it speeds the player behind
 * only while that player is the slower one (controller.ts), which multipliers of 1 and 1 cannot tell.
 * So the rates the log gives at the first judged step (its `lr_d` / `lr_g`) are the base; a log
 * without them is steered in multipliers alone, both players then counting as equally fast. Each decision replaces the run folder's steer.json (steer-file.ts, atomically) and
 * appends its changes to the folder's control.jsonl, the log the dashboard and `train --controller`
 * share. The trainer applies the file between steps (examples/nashboard_steer.py).
 */
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomic } from "../files/atomic.ts";
import type { Snapshot } from "../monitor/types.ts";
import { type ControlEvent, type ControlKnobs, LrController } from "./controller.ts";
import { parseSteerFile, STEER_FILE, type SteerRecord, steerRecord } from "./steer-file.ts";

/** The controller's log in a run folder (the trainer's RUN_FILES.control; this layer cannot import train). */
export const CONTROL_LOG = "control.jsonl";

export interface SteererOptions {
  /** D updates per G update the trainer was started with (default 1): the D-update knob starts there. */
  dSteps?: number;
  /** The run's planned length in training steps, when known: a rescued run is finished within it. */
  steps?: number;
  /** Unix time in seconds (a test's clock). */
  now?: () => number;
}

export class Steerer {
  readonly path: string;
  readonly controlPath: string;
  private controller!: LrController;
  private knobs!: ControlKnobs;
  /** The trainer's base rates in the controller's units; undefined until the first judged step. */
  private base: { lrD: number; lrG: number } | undefined;
  private seq: number;
  private readonly dSteps: number;
  private readonly steps: number | undefined;
  private readonly now: () => number;

  constructor(
    readonly dir: string,
    options: SteererOptions = {},
  ) {
    this.path = join(dir, STEER_FILE);
    this.controlPath = join(dir, CONTROL_LOG);
    this.dSteps = options.dSteps ?? 1;
    this.steps = options.steps;
    this.now = options.now ?? (() => Date.now() / 1000);
    // A restarted watch goes on from the file's sequence number: a trainer that applied decision 40
    // would take a new decision 1 for one it has seen.
    this.seq = previousSeq(this.path);
    this.reset();
  }

  /** The run's log was rewritten (a new run in the folder): steering starts again from the base knobs. */
  reset(): void {
    this.base = undefined;
  }

  /** The controller, started at the first judged step from the rates the log gives then (or 1 and 1). */
  private start(s: Snapshot): void {
    const logged = (x: number | undefined) =>
      x !== undefined && Number.isFinite(x) && x > 0 ? x : undefined;
    const [lrD, lrG] = [logged(s.signals.lr_d), logged(s.signals.lr_g)];
    this.base = lrD !== undefined && lrG !== undefined ? { lrD, lrG } : { lrD: 1, lrG: 1 };
    this.controller = new LrController({
      ...this.base,
      dSteps: this.dSteps,
      r1: 0,
      ...(this.steps !== undefined ? { steps: this.steps } : {}),
    });
    this.knobs = { ...this.base, dSteps: this.dSteps, r1: 0 };
  }

  /**
   * After a judged step: asks the controller; on a decision writes steer.json and appends the changes
   * to control.jsonl, and returns the record and the changes. Throws what the file system throws (a
   * read-only or vanished folder); nothing is half written.
   */
  observe(s: Snapshot): { record: SteerRecord; events: ControlEvent[] } | undefined {
    if (this.base === undefined) this.start(s);
    const base = this.base!;
    const change = this.controller.observe(s, this.knobs, s.step);
    if (!change) return undefined;
    const { events, decision, ...knobs } = change;
    const first = events[0]!;
    const multipliers = { ...knobs, lrD: knobs.lrD / base.lrD, lrG: knobs.lrG / base.lrG };
    const record = steerRecord(this.seq + 1, s.step, this.now(), multipliers, {
      reason: events.some((e) => e.reason !== "settle") ? decision.reason : "settle",
      urgent: decision.urgent,
      reading: {
        state: first.state,
        confidence: first.confidence,
        rule: events.some((e) => e.rule !== 9) ? decision.rule : 9,
        ...(first.gap !== undefined ? { gap: first.gap } : {}),
        evidence: first.evidence,
      },
    });
    writeFileAtomic(this.path, `${JSON.stringify(record)}\n`);
    this.seq = record.seq;
    this.knobs = knobs;
    appendFileSync(
      this.controlPath,
      events.map((e) => `${JSON.stringify({ ...e, seq: record.seq })}\n`).join(""),
    );
    return { record, events };
  }
}

/** The sequence number of a readable steer file already in the folder, else 0. */
function previousSeq(path: string): number {
  if (!existsSync(path)) return 0;
  try {
    const r = parseSteerFile(readFileSync(path, "utf8"));
    return "problem" in r ? 0 : r.seq;
  } catch {
    return 0;
  }
}
