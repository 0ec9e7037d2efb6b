/**
 * The learning-rate controller: every `interval` judged steps it asks the balance policy which way to
 * move and changes the two learning rates by one fixed step (a factor of `step`), inside bounds around
 * the rates the run started with. Every change is an event (step, rate, old -> new, reason) that the
 * run records in control.jsonl and the report and dashboard show.
 *
 * Defaults and why:
 *  - interval 5 judged steps (100 training steps at the trainer's log interval of 20): the monitor's
 *    gap is a median of the last 8 steps, so acting more often would act on the same evidence twice.
 *  - step 0.8: five moves the same way change a rate by 3x, 10 by ~9x; fast enough to rescue a rate
 *    ten times off within ~1,000 training steps, slow enough that one misread changes little.
 *  - bounds [base / 20, base * 5]: room to undo a learning rate ten times too high, never so far that a
 *    player stops learning altogether.
 *  - slowing one player also speeds the other by the square root of the step, so the ratio moves by
 *    step^1.5 while the overall pace stays near the user's choice.
 */
import type { Snapshot } from "../monitor/types.ts";
import { balancePolicy, DEFAULT_POLICY, type Decision, type PolicyConfig } from "./balance-policy.ts";

export interface ControllerConfig extends PolicyConfig {
  interval: number;
  step: number;
  minFactor: number;
  maxFactor: number;
}

export const DEFAULT_CONTROLLER: Readonly<ControllerConfig> = Object.freeze({
  ...DEFAULT_POLICY,
  interval: 5,
  step: 0.8,
  minFactor: 1 / 20,
  maxFactor: 5,
});

/** One change of one learning rate: what the run records and the dashboard marks on the curves. */
export interface ControlEvent {
  step: number;
  kind: "lr_change";
  param: "lr_d" | "lr_g";
  from: number;
  to: number;
  reason: Decision["reason"];
  state: Decision["state"];
  gap?: number;
}

export interface ControllerState {
  /** Judged steps seen at the last decision. */
  lastDecisionAt: number;
}

export class LrController {
  private lastDecisionAt = 0;

  constructor(
    readonly base: { lrD: number; lrG: number },
    readonly config: ControllerConfig = DEFAULT_CONTROLLER,
  ) {}

  /**
   * Called after each logged training step `step` with the monitor's snapshot and the current rates;
   * returns the new rates (in force from the next update) and the events, or nothing when they stay.
   */
  observe(
    s: Snapshot,
    lrD: number,
    lrG: number,
    step = s.step,
  ): { lrD: number; lrG: number; events: ControlEvent[] } | undefined {
    if (s.completedSteps - this.lastDecisionAt < this.config.interval) return undefined;
    this.lastDecisionAt = s.completedSteps;
    const d = balancePolicy(s, this.config);
    const k = this.config.step;
    const [fd, fg] =
      d.direction === "slow_d"
        ? [k, 1 / Math.sqrt(k)]
        : d.direction === "slow_g"
          ? [1 / Math.sqrt(k), k]
          : d.direction === "slow_both"
            ? [k, k]
            : [1, 1];
    const next = { lrD: this.bound(lrD * fd, this.base.lrD), lrG: this.bound(lrG * fg, this.base.lrG) };
    const events: ControlEvent[] = [];
    const common = {
      step,
      kind: "lr_change" as const,
      reason: d.reason,
      state: d.state,
      ...(d.gap !== undefined ? { gap: d.gap } : {}),
    };
    if (next.lrD !== lrD) events.push({ ...common, param: "lr_d", from: lrD, to: next.lrD });
    if (next.lrG !== lrG) events.push({ ...common, param: "lr_g", from: lrG, to: next.lrG });
    return events.length > 0 ? { ...next, events } : undefined;
  }

  state(): ControllerState {
    return { lastDecisionAt: this.lastDecisionAt };
  }

  restore(s: ControllerState): void {
    this.lastDecisionAt = s.lastDecisionAt;
  }

  private bound(lr: number, base: number): number {
    return Math.min(base * this.config.maxFactor, Math.max(base * this.config.minFactor, lr));
  }
}
