/**
 * The reference every run-level score should be read against: a "detector" that calls every run
 * unhealthy from its first step. Its precision is the share of unhealthy runs in the suite, its recall
 * 1, so its F1 (2p / (1 + p)) is what a detector scores by flagging everything.
 */
import type { DetectorSpec } from "./detector.ts";

export const ALWAYS_UNHEALTHY = "always unhealthy (reference)";

export function alwaysUnhealthy(): DetectorSpec {
  return {
    name: ALWAYS_UNHEALTHY,
    description: "flags every run from its first step: the F1 of flagging everything",
    namesStates: false,
    hasWarning: false,
    create: () => ({
      push() {},
      end() {},
      state: () => undefined,
      problemNow: () => true,
      health: () => "unhealthy",
    }),
  };
}
