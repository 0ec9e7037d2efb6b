/**
 * The step of a console line, from whatever position it printed, and what the step was taken from (the
 * report says so). In order of trust:
 *
 * 1. an explicit global counter (`step`, `iteration`, `iter`, `global_step`, or the user's `--step-tag`);
 * 2. epoch and batch with the batch total (`[Epoch 3/200] [Batch 120/938]`, Keras' `938/938` under an
 *    `Epoch 3/200` line): epoch × total + batch, the PyTorch tutorials' `iters`;
 * 3. epoch and a counter without a total (pix2pix's `(epoch: 3, iters: 400, ...)`): the counter is per
 *    epoch when it falls back as the epoch moves on, and the epoch's length is then learned from that
 *    first turn (its last counter plus one stride), so later epochs, gaps included, land where they
 *    belong; a counter that keeps rising across epochs is global and taken as it is;
 * 4. the epoch alone: the epoch when each epoch has one line; when an epoch repeats (several lines per
 *    epoch and no batch index, as Udacity's notebooks print), the line order from the first line on;
 * 5. the line order, when the log prints no position at all: one past the last step given.
 *
 * A position printed on a line of its own carries over to the loss lines after it: an epoch (Keras'
 * `Epoch 3/200`, a tqdm description) until the next one; a step or batch (`t = 246 / 4200` above one line
 * per loss, pix2pix-tensorflow's `progress epoch 44 step 258`) until the next position, or until a loss
 * repeats under it (the parser drops it then: a stale step must not gather every later line).
 */

export interface Position {
  step?: number;
  epoch?: number;
  batch?: number;
  batchTotal?: number;
  /** A counter that may be global or per epoch (pix2pix `iters`, a `step` printed beside an epoch). */
  counter?: number;
}

export type StepSource = "step" | "epoch-batch" | "epoch-counter" | "epoch" | "epoch-lines" | "line-order";

export interface ResolvedStep {
  step: number;
  epoch?: number;
  source: StepSource;
}

export class StepClock {
  private carriedEpoch: number | undefined;
  private carried: Position | undefined;
  private lastStep: number | undefined;
  private lastSource: StepSource | undefined;
  /** The quantities given at the current line-order step. */
  private lineTags = new Set<string>();
  private lineOrder = 0;
  /** Per-epoch counter state (rule 3). */
  private firstEpoch: number | undefined;
  private lastEpoch: number | undefined;
  private lastCounter: number | undefined;
  private lastStride = 0;
  private lastEpochOnly: number | undefined;
  private severalPerEpoch = false;
  /** In rule 4's line order, the first epoch-only line keeps its step: offset = that epoch - its line. */
  private epochLineOffset = 0;
  private counterKind: "unknown" | "global" | "per-epoch" = "unknown";
  private epochSpan = 0;
  /** How many lines took their step from each source. */
  readonly sources = new Map<StepSource, number>();

  /** A position printed on a line without losses: the loss lines after it belong to it. */
  carry(p: Position): void {
    if (p.epoch !== undefined) this.carriedEpoch = p.epoch;
    const { epoch: _, ...rest } = p;
    this.carried = Object.keys(rest).length > 0 ? rest : undefined;
  }

  /** Whether a step or batch printed above is being carried. */
  get carrying(): boolean {
    return this.carried !== undefined;
  }

  dropCarried(): void {
    this.carried = undefined;
  }

  /** The step of a loss line with this position; `tags`, the quantities it prints (line order only). */
  resolve(own: Position, tags: string[] = []): ResolvedStep {
    const ownsStep = own.step !== undefined || own.batch !== undefined || own.counter !== undefined;
    const p = ownsStep || !this.carried ? own : { ...this.carried, ...own };
    const epoch = p.epoch ?? this.carriedEpoch;
    if (p.epoch !== undefined) this.carriedEpoch = p.epoch;
    const r = this.pick(p, epoch, tags);
    this.lastStep = r.step;
    this.lastSource = r.source;
    this.sources.set(r.source, (this.sources.get(r.source) ?? 0) + 1);
    this.lineOrder++;
    return r;
  }

  /** The source most lines took their step from. */
  mainSource(): StepSource | undefined {
    let best: StepSource | undefined;
    for (const [s, n] of this.sources) if (best === undefined || n > this.sources.get(best)!) best = s;
    return best;
  }

  private pick(p: Position, epoch: number | undefined, tags: string[]): ResolvedStep {
    if (p.step !== undefined && epoch === undefined) return { step: p.step, source: "step" };
    if (p.batch !== undefined && p.batchTotal !== undefined && p.batchTotal > 0 && epoch !== undefined)
      return { step: epoch * p.batchTotal + p.batch, epoch, source: "epoch-batch" };
    const counter = p.step ?? p.counter ?? p.batch;
    if (counter !== undefined && epoch !== undefined)
      return {
        step: this.counterStep(epoch, counter),
        epoch,
        source: p.step !== undefined ? "step" : "epoch-counter",
      };
    if (counter !== undefined) return { step: counter, source: "step" };
    if (epoch !== undefined) return this.epochStep(epoch);
    // One record printed over several lines (D's loss on one, G's on the next, no position on either) is
    // one step: the line order moves on only when a quantity repeats.
    if (this.lastSource === "line-order" && !tags.some((t) => this.lineTags.has(t))) {
      for (const t of tags) this.lineTags.add(t);
      return { step: this.lastStep as number, source: "line-order" };
    }
    this.lineTags = new Set(tags);
    // One past the last step: a log that stopped printing positions goes on from where it was.
    return { step: this.lastStep === undefined ? 0 : this.lastStep + 1, source: "line-order" };
  }

  /** Rule 4: one line per epoch, or several (then the line order, continuing from the first epoch). */
  private epochStep(epoch: number): ResolvedStep {
    if (!this.severalPerEpoch && epoch === this.lastEpochOnly) this.severalPerEpoch = true;
    this.lastEpochOnly = epoch;
    if (this.severalPerEpoch)
      return { step: this.epochLineOffset + this.lineOrder, epoch, source: "epoch-lines" };
    this.epochLineOffset = epoch - this.lineOrder;
    return { step: epoch, epoch, source: "epoch" };
  }

  /** Rule 3: a counter beside an epoch, global or per epoch as its first turn of epoch shows. */
  private counterStep(epoch: number, counter: number): number {
    this.firstEpoch ??= epoch;
    const last = this.lastCounter;
    if (
      this.counterKind === "unknown" &&
      this.lastEpoch !== undefined &&
      last !== undefined &&
      epoch > this.lastEpoch
    ) {
      if (counter < last) {
        this.counterKind = "per-epoch";
        this.epochSpan = Math.max(1, last + this.lastStride);
      } else this.counterKind = "global";
    }
    if (last !== undefined && epoch === this.lastEpoch && counter > last) this.lastStride = counter - last;
    this.lastEpoch = epoch;
    this.lastCounter = counter;
    if (this.counterKind !== "per-epoch") return counter;
    return Math.round((epoch - this.firstEpoch) * this.epochSpan) + counter;
  }
}
