/**
 * The detectors the suite compares: the balance monitor fed three subsets of the trainer's tags,
 * Applio's last overtraining detector (at its default threshold and at one scaled to these short
 * runs), the naive threshold rule, and flagging every run (the reference F1).
 */
import type { MonitorThresholds } from "../../src/monitor/thresholds.ts";
import type { DetectorSpec } from "./detector.ts";
import { alwaysUnhealthy } from "./detector-always.ts";
import { applioDetector } from "./detector-applio.ts";
import { ALL_TAGS, D_OUTPUT_TAGS, LOSS_TAGS, monitorDetector } from "./detector-monitor.ts";
import { naiveDetector } from "./detector-naive.ts";

export const MONITOR_LOSSES_ONLY = "monitor, losses only";

export function suiteDetectors(thresholds: Partial<MonitorThresholds> = {}): DetectorSpec[] {
  return [
    monitorDetector(
      MONITOR_LOSSES_ONLY,
      LOSS_TAGS,
      "the balance monitor fed loss_disc, loss_gen, lr_d, lr_g; unhealthy = its verdict's health",
      thresholds,
    ),
    monitorDetector(
      "monitor + d_real/d_fake",
      D_OUTPUT_TAGS,
      "the same plus the mean D outputs on the training batches",
      thresholds,
    ),
    monitorDetector(
      "monitor, all tags",
      ALL_TAGS,
      "the same plus the gradient norms: what the trainer feeds its live monitor",
      thresholds,
    ),
    applioDetector(),
    applioDetector(10),
    naiveDetector(),
    alwaysUnhealthy(),
  ];
}
