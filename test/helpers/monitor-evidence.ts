import assert from "node:assert/strict";
import { MONITOR_THRESHOLDS, type MonitorThresholds } from "../../src/monitor/thresholds.ts";
import type { Evidence } from "../../src/monitor/types.ts";

type Op = NonNullable<Evidence["op"]>;

/**
 * Asserts that `evidence` holds `signal` compared with `op` against `threshold`. The comparison comes
 * from the test, never from the evidence it checks: a rule that flipped its comparison fails here. The
 * threshold's value is the table's (test/monitor-thresholds.test.ts pins the table itself with
 * literals, so a retune shows there, once, instead of in every test that reads a rule).
 */
export function assertHolds(
  evidence: readonly Evidence[] | undefined,
  signal: string,
  op: Op,
  threshold: keyof MonitorThresholds,
): void {
  const item = evidence?.find((e) => e.signal === signal);
  assert.ok(item, `${signal} in ${JSON.stringify(evidence)}`);
  const limit = MONITOR_THRESHOLDS[threshold];
  assert.equal(item.threshold, limit, `${signal} compared against ${threshold}`);
  assert.equal(item.op, op, `${signal}: the rule states ${item.op}, the test expects ${op}`);
  const holds: Record<Op, boolean> = {
    ">=": item.value >= limit,
    "<=": item.value <= limit,
    ">": item.value > limit,
    "<": item.value < limit,
    "=": item.value === limit,
  };
  assert.ok(holds[op], `${signal} ${item.value} ${op} ${limit}`);
}
