import type { LossPair } from "./loss-pairs.ts";

/**
 * What an RVC-family log tells about its run beyond the points, collected while reading and rendered
 * as RunHints.notes: which row layout was seen (and so K), clamped values, counted steps, resumes, and
 * the trainer's own verdict lines (training finished, Applio's best epoch and overtraining detector).
 */
export class RunNotes {
  private readonly rows = new Map<number, number>();
  private countedSteps = 0;
  private clampedMel = 0;
  private clampedKl = 0;
  private collapses = 0;
  /** Trainer messages worth showing, one per kind: the latest wins. */
  private readonly said = new Map<string, string>();

  listRow(lossCount: number): void {
    this.rows.set(lossCount, (this.rows.get(lossCount) ?? 0) + 1);
  }

  lossLine(pairs: LossPair[]): void {
    for (const p of pairs) if (p.lowerBound) this.clamped(p.tag);
  }

  /** A loss value at RVC's clamp (a lower bound) under canonical `tag`. */
  clamped(tag: string): void {
    if (tag === "loss_mel") this.clampedMel++;
    if (tag === "loss_kl") this.clampedKl++;
  }

  stepCounted(): void {
    this.countedSteps++;
  }

  applioLowest(lowest: { value: number; epoch: number; step: number }): void {
    this.said.set(
      "lowest",
      `Applio: lowest generator loss (loss_gen_all) ${lowest.value} at epoch ${lowest.epoch}, step ${lowest.step}`,
    );
  }

  /** A line no parser claimed: keep it if it is one of the trainers' verdicts. */
  otherLine(message: string): void {
    const text = message.length > 200 ? `${message.slice(0, 200)}…` : message;
    if (/^Training (?:is done|has been successfully completed|successfully completed)/i.test(message)) {
      this.said.set("finished", text);
    } else if (/^saving final ckpt/i.test(message)) {
      this.said.set("final", `final model saved: ${text}`);
    } else if (/^New best epoch/i.test(message)) {
      this.said.set("best", `Applio: ${text}`);
    } else if (/overtrain\w* detected|No improvement found after epoch/i.test(message)) {
      this.said.set("overtraining", `Applio: ${text}`);
    } else if (/Mode collapse detected/i.test(message)) {
      this.collapses++;
    }
  }

  /**
   * K from the row layout: so-vits-svc and VITS use MultiPeriodDiscriminator with periods [2,3,5,7,11]
   * plus one scale discriminator, K = 6. RVC's own text (v1 K=7, v2 K=9) does not say which it is.
   */
  discriminators(): number | undefined {
    return this.rows.has(5) || this.rows.has(6) ? 6 : undefined;
  }

  render(resumes: number): string[] {
    const notes: string[] = [];
    const rows = (n: number) => this.rows.get(n) ?? 0;
    if (rows(5) > 0) {
      notes.push(
        `${rows(5)} so-vits-svc loss rows [loss_disc, loss_gen, loss_fm, loss_mel, loss_kl, step, lr]: ` +
          "6 sub-discriminators (periods 2,3,5,7,11 and one scale)",
      );
    }
    if (rows(6) > 0) {
      notes.push(
        `${rows(6)} VITS loss rows [loss_disc, loss_gen, loss_fm, loss_mel, loss_dur, loss_kl, step, lr]: ` +
          "6 sub-discriminators",
      );
    }
    if (rows(3) > 0) {
      notes.push(
        `${rows(3)} generator-only VITS rows [loss_mel, loss_dur, loss_kl, step, lr]: no discriminator loss`,
      );
    }
    for (const [count, n] of this.rows) {
      if (count !== 3 && count !== 5 && count !== 6) {
        notes.push(`${n} rows of ${count} unnamed losses, kept as losses[0..${count - 1}]`);
      }
    }
    if (this.countedSteps > 0) {
      notes.push(
        `${this.countedSteps} loss line(s) had no [global_step, lr] before them: their steps count loss lines, ` +
          "not training steps",
      );
    }
    if (resumes > 0)
      notes.push(`the step counter went back or restarted ${resumes} time(s): segments 0..${resumes}`);
    if (this.clampedMel > 0)
      notes.push(`loss_mel at RVC's clamp 75 in ${this.clampedMel} line(s): at least 75`);
    if (this.clampedKl > 0) notes.push(`loss_kl at RVC's clamp 9 in ${this.clampedKl} line(s): at least 9`);
    if (this.collapses > 0) notes.push(`Applio: "Mode collapse detected" ${this.collapses} time(s)`);
    notes.push(...this.said.values());
    return notes;
  }
}
