import assert from "node:assert/strict";
import { test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";
import { streamPoints } from "./helpers/monitor-load.ts";

/**
 * Bounded memory: what the monitor keeps (curves, timeline, alerts) must not grow with the stream's
 * length. That the time per point does not grow either is bench/monitor-scaling.ts's figure (a ratio
 * of two timings is a wall-clock limit, and npm test has none: a loaded machine fails them with
 * nothing wrong).
 */

test("what the monitor keeps of 200k points is bounded: curves, timeline, alerts, report size", () => {
  const small = streamPoints(100_000);
  const large = streamPoints(200_000);

  const r = large.monitor.report();
  assert.equal(r.completedSteps, 25_000);
  // the balance changed every 5,000 steps: the timeline follows it with a handful of entries
  assert.ok(r.timeline.length >= 5 && r.timeline.length <= 12, `${r.timeline.length} entries`);
  assert.ok(r.timeline.some((e) => e.state === "d_dominant"));
  // bounded: every curve holds at most runBuckets buckets, the alerts at most their cap per kind
  for (const [tag, buckets] of Object.entries(r.curves)) {
    assert.ok(buckets.length <= MONITOR_THRESHOLDS.runBuckets, `${tag}: ${buckets.length}`);
  }
  const perKind = new Map<string, number>();
  for (const a of r.alerts) perKind.set(a.kind, (perKind.get(a.kind) ?? 0) + 1);
  for (const n of perKind.values()) assert.ok(n <= MONITOR_THRESHOLDS.maxAlertsPerKind);
  // the report of a 200k-point run is no bigger than that of a 100k-point one, give or take
  const size = (x: unknown) => JSON.stringify(x).length;
  assert.ok(size(r) < 1.5 * size(small.monitor.report()), `${size(r)} vs ${size(small.monitor.report())}`);
});

test("a run that changes state forever keeps a bounded timeline: the first and latest entries", () => {
  const m = new BalanceMonitor({ lossFamily: "bce" });
  for (let step = 1; step <= 30_000; step++) {
    const dLeads = Math.floor(step / 12) % 2 === 0;
    const values = dLeads
      ? { loss_disc: 0.2, loss_gen: 3, d_real: 0.95, d_fake: 0.05 }
      : { loss_disc: 3, loss_gen: 0.2, d_real: 0.05, d_fake: 0.95 };
    for (const [tag, value] of Object.entries(values)) m.push({ tag, sourceTag: tag, step, value });
  }
  m.flush();
  const r = m.report();
  assert.ok(r.timelineOmitted > 1000, `${r.timelineOmitted} omitted`);
  assert.ok(r.timeline.length <= 401, `${r.timeline.length} kept`);
  assert.equal(r.timeline[0].fromStep, 1);
  assert.equal(r.timeline.at(-1)?.toStep, 30_000);
});
