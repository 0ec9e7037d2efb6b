/**
 * Step <-> epoch, from the epochs the points carry (RVC and VITS logs, the DCGAN console) and the
 * checkpoints the log names (RVC's `G_680.pth` saved at epoch 5 says an epoch is 136 steps). Users
 * talk in epochs ("which epoch do I keep?") while the curves run in steps, and Applio#866 shows how
 * easily the two get mixed up.
 *
 * Anchors are (step, epoch) pairs: the first step seen in each epoch, per segment. They are kept in
 * bounded memory: past `capacity` anchors every other one is dropped (the first and last stay), which
 * keeps linear interpolation accurate because steps per epoch is constant within a run.
 */

export interface EpochAnchor {
  step: number;
  epoch: number;
}

export class EpochMap {
  private anchors: EpochAnchor[] = [];
  private lastEpoch: number | undefined;

  constructor(private readonly capacity = 256) {}

  /** Records the epoch of a completed step. Steps repeat after a resume; the latest mapping wins. */
  observe(step: number, epoch: number): void {
    if (!Number.isFinite(step) || !Number.isFinite(epoch)) return;
    if (epoch === this.lastEpoch) return;
    this.lastEpoch = epoch;
    // a resume restarts the step counter: drop anchors at or beyond this step (they are superseded)
    while (this.anchors.length > 0 && (this.anchors.at(-1) as EpochAnchor).step >= step) this.anchors.pop();
    this.anchors.push({ step, epoch });
    if (this.anchors.length > this.capacity) {
      const last = this.anchors.at(-1) as EpochAnchor;
      this.anchors = this.anchors.filter((_, i) => i % 2 === 0);
      if (this.anchors.at(-1) !== last) this.anchors.push(last);
    }
  }

  get known(): boolean {
    return this.anchors.length > 0;
  }

  /**
   * Steps per epoch: from checkpoints with both a step and an epoch (RVC saves at an epoch's end, so
   * step / epoch is exact), else from the anchors' first and last entries, else undefined.
   */
  stepsPerEpoch(checkpoints: { step?: number; epoch?: number }[] = []): number | undefined {
    const full = checkpoints.filter(
      (c): c is { step: number; epoch: number } =>
        c.step !== undefined && c.epoch !== undefined && c.epoch > 0 && c.step > 0,
    );
    if (full.length > 0) {
      const ratios = full.map((c) => c.step / c.epoch).sort((a, b) => a - b);
      return ratios[ratios.length >> 1];
    }
    if (this.anchors.length < 2) return undefined;
    const a = this.anchors[0];
    const b = this.anchors.at(-1) as EpochAnchor;
    return b.epoch > a.epoch ? (b.step - a.step) / (b.epoch - a.epoch) : undefined;
  }

  /** The epoch a step falls in: interpolated between anchors, extrapolated past the ends. */
  epochAt(step: number): number | undefined {
    const a = this.anchors;
    if (a.length === 0) return undefined;
    if (a.length === 1) return a[0].epoch;
    let i = 0;
    while (i < a.length - 2 && a[i + 1].step <= step) i++;
    const lo = a[i];
    const hi = a[i + 1];
    if (hi.step === lo.step) return lo.epoch;
    // anchors are first steps of epochs: between two, the epoch is the lower one's until the next
    if (step >= lo.step && step < hi.step)
      return lo.epoch + Math.floor(((step - lo.step) / (hi.step - lo.step)) * (hi.epoch - lo.epoch));
    const rate = (hi.epoch - lo.epoch) / (hi.step - lo.step);
    return Math.max(0, Math.round(lo.epoch + (step - lo.step) * rate));
  }

  /** The first step of an epoch (interpolated), or undefined without anchors. */
  stepOf(epoch: number): number | undefined {
    const a = this.anchors;
    if (a.length === 0) return undefined;
    if (a.length === 1) return a[0].epoch === epoch ? a[0].step : undefined;
    let i = 0;
    while (i < a.length - 2 && a[i + 1].epoch <= epoch) i++;
    const lo = a[i];
    const hi = a[i + 1];
    if (hi.epoch === lo.epoch) return lo.step;
    return Math.round(lo.step + ((epoch - lo.epoch) * (hi.step - lo.step)) / (hi.epoch - lo.epoch));
  }
}
