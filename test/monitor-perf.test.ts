import assert from "node:assert/strict";
import { test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { MONITOR_THRESHOLDS } from "../src/monitor/thresholds.ts";

/**
 * O(1) work per point and bounded memory: the time per point must not grow with the stream's length,
 * and what the monitor keeps (curves, timeline, alerts) must not grow with it either.
 */

const TAGS = ["loss_disc", "loss_gen", "d_real", "d_fake", "grad_norm_d", "grad_norm_g", "lr_d", "lr_g"];

/** Pushes n points of a noisy BCE run whose balance changes every 5,000 steps; returns ms and monitor. */
function stream(n: number): { ms: number; monitor: BalanceMonitor } {
  const m = new BalanceMonitor({ lossFamily: "bce" });
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648 - 0.5;
  };
  const started = performance.now();
  let i = 0;
  for (let step = 1; i < n; step++) {
    const dLeads = Math.floor(step / 5000) % 2 === 1;
    const values: Record<string, number> = {
      loss_disc: (dLeads ? 0.5 : 1.35) + 0.1 * rnd(),
      loss_gen: (dLeads ? 2.5 : 0.72) + 0.1 * rnd(),
      d_real: (dLeads ? 0.85 : 0.52) + 0.05 * rnd(),
      d_fake: (dLeads ? 0.15 : 0.48) + 0.05 * rnd(),
      grad_norm_d: 1 + 0.2 * rnd(),
      grad_norm_g: 1 + 0.2 * rnd(),
      lr_d: 1e-3,
      lr_g: 1e-3,
    };
    for (const tag of TAGS) {
      if (i++ >= n) break;
      m.push({ tag, sourceTag: tag, step, value: values[tag] });
    }
  }
  m.flush();
  return { ms: performance.now() - started, monitor: m };
}

test("pushing points costs the same per point at 100k and 200k points, and memory stays bounded", () => {
  stream(20_000); // warm the JIT
  const small = stream(100_000);
  const large = stream(200_000);
  const ratio = large.ms / small.ms;
  assert.ok(
    ratio < 2.6,
    `time(200k) / time(100k) = ${ratio.toFixed(2)} (${small.ms.toFixed(0)} ms, ${large.ms.toFixed(0)} ms)`,
  );

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
