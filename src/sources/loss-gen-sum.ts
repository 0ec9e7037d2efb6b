import type { ScalarPoint } from "../types.ts";

/** A derived point: always timed, by its last term. */
export type TimedPoint = ScalarPoint & { wallTime: number };

/**
 * Derives `loss_gen` = Σ_i `loss/g/i` for each step, as RVC's train.log computes it.
 *
 * K is 1 + the highest index of any per-sub-discriminator tag (`loss/g/i`, `loss/d_r/i`, `loss/d_g/i`)
 * seen in the file so far. A step's sum is emitted when the step is complete: when an event with scalars
 * at another step arrives, or at end(final). Reading a growing file (end(false)), a step is also emitted
 * once it holds all K terms, but only if an earlier step confirmed K, because within the first step the
 * indices seen so far may not yet reach K. A step missing any of its K terms gets no sum. Nothing is
 * derived when the file logs a loss_gen of its own (Applio's `loss/g/adv`).
 */
export class LossGenSum {
  /** The file has its own loss_gen tag: do not derive one. */
  logged = false;
  private step = Number.NaN;
  private readonly terms = new Map<number, number>();
  private wallTime = 0;
  private emitted = false;
  private confirmedK = 0;

  /** An event with scalars at `step`: returns the previous step's sum when that step just ended. */
  atStep(step: number, k: number): TimedPoint | undefined {
    if (step === this.step) return undefined;
    const done = this.complete(k);
    this.step = step;
    if (this.terms.size > 0) this.terms.clear(); // clear() reallocates the table: only when needed
    this.wallTime = 0;
    this.emitted = false;
    return done;
  }

  add(index: number, value: number, wallTime: number): void {
    this.terms.set(index, value);
    // The sum exists once its last term does.
    if (wallTime > this.wallTime) this.wallTime = wallTime;
  }

  finish(k: number, final: boolean): TimedPoint | undefined {
    if (!final && (this.confirmedK === 0 || k !== this.confirmedK)) return undefined;
    const done = this.complete(k);
    if (done) this.emitted = true;
    return done;
  }

  private complete(k: number): TimedPoint | undefined {
    if (this.logged || this.emitted || k === 0 || this.terms.size !== k) return undefined;
    let sum = 0;
    for (let i = 0; i < k; i++) sum += this.terms.get(i) ?? Number.NaN;
    this.confirmedK = k;
    return {
      tag: "loss_gen",
      sourceTag: `sum(loss/g/0..${k - 1})`,
      step: this.step,
      value: sum,
      wallTime: this.wallTime,
    };
  }
}
