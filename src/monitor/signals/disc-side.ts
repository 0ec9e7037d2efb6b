/**
 * Which side of its equilibrium D's loss sits on, over the last judged steps (the monitor keeps
 * 2 x `window` of them: a starved D wins for a few dozen steps at a time). The equilibrium
 * values (reference.ts) are the loss of a D that outputs the uninformative value on every input, which
 * is the best any *constant* D can do: a dead D (a constant output) or a starved one (too small or too
 * slow to tell real from fake, lagging behind a fast G) therefore sits at or above the equilibrium, on
 * either side by turns. A D that still tells real from fake, however little, does better than a
 * constant on its own batches and sits below it step after step. That is what a game resting at its
 * equilibrium looks like (the steer benchmark's remedy set: 25/25 modes at ~95% high quality, D's gap
 * 0.00-0.01, loss_disc 0.2-1% below the equilibrium on every logged step), and what tells it from a
 * starved D with the same gap (loss_disc below on 0-45% of the steps) in the scenario suite.
 *
 * O(1) per step: a ring of flags and their count.
 */
export class DiscSide {
  private readonly below: Uint8Array;
  private start = 0;
  private count = 0;
  private belowCount = 0;

  /** `margin`: how far below the equilibrium (rel units) counts as below: a constant output of exactly
   *  the uninformative value reads a hair below it in float32. */
  constructor(
    private readonly capacity: number,
    private readonly margin: number,
  ) {
    this.below = new Uint8Array(capacity);
  }

  /** Records a judged step's loss_disc level against its equilibrium (rel < -margin: below). */
  push(rel: number | undefined): void {
    if (rel === undefined || !Number.isFinite(rel)) return;
    const flag = rel < -this.margin ? 1 : 0;
    if (this.count === this.capacity) {
      this.belowCount -= this.below[this.start];
      this.below[this.start] = flag;
      this.start = (this.start + 1) % this.capacity;
    } else {
      this.below[(this.start + this.count) % this.capacity] = flag;
      this.count++;
    }
    this.belowCount += flag;
  }

  get size(): number {
    return this.count;
  }

  /** Share of the recorded steps with loss_disc below its equilibrium (undefined when none). */
  share(): number | undefined {
    return this.count === 0 ? undefined : this.belowCount / this.count;
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
    this.belowCount = 0;
  }
}
