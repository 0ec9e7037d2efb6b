/**
 * A long noisy BCE run for the monitor, whose balance changes every 5,000 steps: test/monitor-perf.test.ts
 * holds what the monitor keeps of it bounded, bench/monitor-scaling.ts times it.
 */
import { BalanceMonitor } from "../../src/monitor/monitor.ts";

const TAGS = ["loss_disc", "loss_gen", "d_real", "d_fake", "grad_norm_d", "grad_norm_g", "lr_d", "lr_g"];

/** Pushes n points into a fresh monitor; returns the ms it took and the monitor. */
export function streamPoints(n: number): { ms: number; monitor: BalanceMonitor } {
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
