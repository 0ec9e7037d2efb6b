/**
 * Synthetic metric streams for the monitor's tests: a step's values become points tag by tag, the way
 * a trainer or a log reader delivers them, and the monitor's events are collected.
 */
import { BalanceMonitor, type MonitorOptions } from "../../src/monitor/monitor.ts";
import type { MonitorEvent, MonitorReport, StateName } from "../../src/monitor/types.ts";
import { Rng } from "../../src/rng.ts";
import type { ScalarPoint } from "../../src/types.ts";

export type StepValues = Record<string, number>;

export function pointsOf(step: number, values: StepValues, extra: Partial<ScalarPoint> = {}): ScalarPoint[] {
  return Object.entries(values).map(([tag, value]) => ({ tag, sourceTag: tag, step, value, ...extra }));
}

export interface Fed {
  monitor: BalanceMonitor;
  events: MonitorEvent[];
  report: MonitorReport;
  /** States entered, in order (warmup first). */
  states: StateName[];
}

/** Feeds `steps` (step i + 1 gets steps[i]), flushes, and reports. */
export function feed(steps: StepValues[], options: MonitorOptions = {}, stepSize = 1): Fed {
  const monitor = new BalanceMonitor(options);
  const events: MonitorEvent[] = [];
  steps.forEach((values, i) => {
    for (const p of pointsOf((i + 1) * stepSize, values)) events.push(...monitor.push(p));
  });
  events.push(...monitor.flush());
  const report = monitor.report();
  return { monitor, events, report, states: report.timeline.map((e) => e.state) };
}

/** n steps of a stationary BCE game: losses and D outputs around the given levels with batch noise. */
export function bceSteps(
  n: number,
  level: { disc: number; gen: number; dReal?: number; dFake?: number },
  noise = 0.03,
  seed = 1,
): StepValues[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => {
    const v: StepValues = {
      loss_disc: level.disc + noise * rng.normal(),
      loss_gen: level.gen + noise * rng.normal(),
    };
    if (level.dReal !== undefined) v.d_real = level.dReal + (noise / 3) * rng.normal();
    if (level.dFake !== undefined) v.d_fake = level.dFake + (noise / 3) * rng.normal();
    return v;
  });
}

export const LN2 = Math.LN2;

/**
 * The BCE levels of a game whose D has these mean outputs: loss_disc = -ln D(x) - ln(1 - D(G(z))),
 * loss_gen = -ln D(G(z)). A D a little ahead (0.52 / 0.48) sits a little below the equilibrium, as
 * every working D does; a stream with the losses exactly at ln 4 / ln 2 and symmetric noise is what a
 * D that outputs a constant produces (src/monitor/signals/disc-side.ts).
 */
export function bceLevels(dReal: number, dFake: number) {
  return { disc: -Math.log(dReal) - Math.log(1 - dFake), gen: -Math.log(dFake), dReal, dFake };
}
