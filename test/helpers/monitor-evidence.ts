import assert from "node:assert/strict";
import { MONITOR_THRESHOLDS, type MonitorThresholds } from "../../src/monitor/thresholds.ts";
import type { Evidence } from "../../src/monitor/types.ts";

/**
 * Asserts that `evidence` holds `signal` compared against the table's current value of `threshold`
 * (MONITOR_THRESHOLDS, never a literal, so the table can be tuned by measurement without rewriting
 * tests), and that the value satisfies the comparison the rule states.
 */
export function assertHolds(
  evidence: readonly Evidence[] | undefined,
  signal: string,
  threshold: keyof MonitorThresholds,
): void {
  const item = evidence?.find((e) => e.signal === signal);
  assert.ok(item, `${signal} in ${JSON.stringify(evidence)}`);
  const limit = MONITOR_THRESHOLDS[threshold];
  assert.equal(item.threshold, limit, `${signal} compared against ${threshold}`);
  const holds: Record<NonNullable<Evidence["op"]>, boolean> = {
    ">=": item.value >= limit,
    "<=": item.value <= limit,
    ">": item.value > limit,
    "<": item.value < limit,
    "=": item.value === limit,
  };
  assert.ok(item.op !== undefined && holds[item.op], `${signal} ${item.value} ${item.op} ${limit}`);
}
