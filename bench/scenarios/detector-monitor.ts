/**
 * The balance monitor as a suite detector, fed a chosen subset of the trainer's tags: the losses only
 * (and the learning rates, which every log has), the losses with the mean D outputs, or everything the
 * trainer logs (what it feeds its own live monitor). Its state is the monitor's state; its problem flag
 * is a problem state; its run-level health is the verdict of a report on the steps seen so far.
 */
import { BalanceMonitor } from "../../src/monitor/monitor.ts";
import type { MonitorThresholds } from "../../src/monitor/thresholds.ts";
import type { Health, StateName } from "../../src/monitor/types.ts";
import type { StepMetrics } from "../../src/train/trainer.ts";
import { type Detector, type DetectorSpec, isProblemState } from "./detector.ts";

export const LOSS_TAGS = ["loss_disc", "loss_gen", "lr_d", "lr_g"] as const;
export const D_OUTPUT_TAGS = [...LOSS_TAGS, "d_real", "d_fake"] as const;
export const ALL_TAGS = [...D_OUTPUT_TAGS, "grad_norm_d", "grad_norm_g"] as const;

export function monitorDetector(
  name: string,
  tags: readonly (keyof StepMetrics)[],
  description: string,
  thresholds: Partial<MonitorThresholds> = {},
): DetectorSpec {
  return {
    name,
    description,
    namesStates: true,
    hasWarning: true,
    create(config): Detector {
      const monitor = new BalanceMonitor({ lossFamily: config.loss, discriminators: 1, thresholds });
      let state: StateName = "warmup";
      let changed = false;
      const observe = (events: ReturnType<BalanceMonitor["push"]>) => {
        for (const e of events) {
          if (e.type === "state" && e.to) {
            state = e.to;
            changed = true;
          }
        }
        // The machine's first entry opens without an event (a run that is NaN from its first logged
        // step starts in diverged): until the first change, ask the monitor itself.
        if (!changed) state = monitor.snapshot().state;
      };
      return {
        push(m) {
          for (const tag of tags) {
            observe(monitor.push({ tag, sourceTag: tag, step: m.step, value: Number(m[tag]) }));
          }
        },
        end() {
          observe(monitor.flush());
        },
        state: () => state,
        problemNow: () => isProblemState(state),
        health: (): Health => monitor.report().verdict.health,
      };
    },
  };
}
