/**
 * Where a training step's time goes. Wraps the trainer's parts (D update, G update, optimizers, data
 * and noise sampling) with timers that count exclusive time (an optimizer's time is not also counted in
 * the update that calls it), for bench/train-speed.ts --breakdown. The parts run synchronously on the
 * wasm backend (every kernel finishes before its op returns), so wall-clock time per part is accurate
 * without any device sync.
 */
import type { Dataset } from "../src/data/index.ts";
import { Rng } from "../src/rng.ts";
import type { Trainer } from "../src/train/trainer.ts";

export const PARTS = ["d_step", "g_step", "optimizer", "data_sampling", "noise_sampling"] as const;
export type Part = (typeof PARTS)[number];

export class StepTimer {
  readonly totals = new Map<Part, number>(PARTS.map((p) => [p, 0]));
  private readonly stack: { child: number }[] = [];

  /** `f` with its exclusive time added to `part`. */
  wrap<A extends unknown[], R>(part: Part, f: (...args: A) => R): (...args: A) => R {
    return (...args: A): R => {
      const frame = { child: 0 };
      this.stack.push(frame);
      const start = performance.now();
      try {
        return f(...args);
      } finally {
        const elapsed = performance.now() - start;
        this.stack.pop();
        this.totals.set(part, (this.totals.get(part) ?? 0) + elapsed - frame.child);
        const parent = this.stack.at(-1);
        if (parent) parent.child += elapsed;
      }
    };
  }

  reset(): void {
    for (const p of PARTS) this.totals.set(p, 0);
  }
}

/** `dataset` with its sampler timed (give this one to the Trainer). */
export function timedDataset(dataset: Dataset, timer: StepTimer): Dataset {
  // Datasets are frozen: a new object inheriting from it, with its own sampler.
  const sample = timer.wrap("data_sampling", dataset.sample.bind(dataset));
  return Object.create(dataset, { sample: { value: sample } }) as Dataset;
}

/**
 * Instruments `trainer` in place (a benchmark-only measure: the wrappers replace methods on this
 * trainer's objects, and the noise draw on Rng.prototype, which only the trainer's loop calls here).
 */
export function instrument(trainer: Trainer, timer: StepTimer): void {
  const { gan } = trainer;
  gan.dStep = timer.wrap("d_step", gan.dStep.bind(gan));
  gan.gStep = timer.wrap("g_step", gan.gStep.bind(gan));
  for (const opt of [gan.optD, gan.optG]) opt.apply = timer.wrap("optimizer", opt.apply.bind(opt));
  const fillNormal = Rng.prototype.fillNormal;
  Rng.prototype.fillNormal = function (this: Rng, out: Float32Array, std?: number) {
    return timer.wrap("noise_sampling", fillNormal.bind(this))(out, std);
  };
}
