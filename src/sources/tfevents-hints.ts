/**
 * What an event file says about its run beyond its points: the RunHints (RVC / VITS files' `loss/d_r/i`
 * least-squares real terms name the loss family and the number of sub-discriminators; the file version;
 * how many values were neither scalars, images nor audio) and the generator loss these files never log
 * whole, derived as the sum of their per-sub-discriminator `loss/g/i` terms (LossGenSum).
 * Apart from tfevents.ts, which routes each value to its column, because this is bookkeeping over the
 * values a few tags carry, and the words said about the file.
 */
import { LossGenSum, type TimedPoint } from "./loss-gen-sum.ts";
import type { RunHints } from "./parser.ts";
import type { TagInfo } from "./tfevents-tags.ts";

export class EventFileHints {
  private readonly lossGen = new LossGenSum();
  /** 1 + the highest sub-discriminator index seen in any per-sub-D tag. */
  private subDiscriminators = 0;
  private realTerms = 0;
  /** Summary values that are neither scalars, images nor audio. */
  skippedValues = 0;
  fileVersion: string | undefined;

  /** A value of a tag that feeds the run's hints or the derived loss_gen. */
  track(info: TagInfo, value: number, wallTime: number): void {
    const term = info.term;
    if (term === undefined) {
      if (info.isLossGen) this.lossGen.logged = true;
      return;
    }
    if (term.index >= this.subDiscriminators) this.subDiscriminators = term.index + 1;
    if (term.kind === "d_real_k" && term.index >= this.realTerms) this.realTerms = term.index + 1;
    if (term.kind === "loss_gen_k") this.lossGen.add(term.index, value, wallTime);
  }

  /** The derived loss_gen's step bookkeeping for an event with scalars at `step`: a finished sum, if any. */
  atStep(step: number): TimedPoint | undefined {
    return this.lossGen.atStep(step, this.subDiscriminators);
  }

  /** The derived loss_gen of the last step, at the end of the file. */
  finish(final: boolean): TimedPoint | undefined {
    return this.lossGen.finish(this.subDiscriminators, final);
  }

  /** The run's hints; `bad`: the records skipped for a bad payload CRC. */
  meta(bad: number): RunHints {
    const hints: RunHints = {};
    // `loss/d_r/i` is the least-squares real term of sub-discriminator i (RVC, VITS, so-vits-svc).
    if (this.realTerms > 0) {
      hints.lossFamily = "lsgan";
      hints.discriminators = this.realTerms;
    }
    const notes: string[] = [];
    if (this.fileVersion !== undefined) notes.push(`event file version ${this.fileVersion}`);
    if (this.skippedValues > 0) {
      notes.push(
        `${this.skippedValues} summary values skipped: neither scalars, images nor audio (histograms, text, other tensors)`,
      );
    }
    if (bad > 0) notes.push(`${bad} record${bad === 1 ? "" : "s"} skipped for a bad payload CRC`);
    if (notes.length > 0) hints.notes = notes;
    return hints;
  }
}
