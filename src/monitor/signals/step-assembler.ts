/**
 * Points arrive one tag at a time: in step order within a tag, interleaved between tags (a TensorBoard
 * file writes each step's tags together; a CSV row is a step; a live trainer pushes a step's metrics one
 * by one). The rules need whole steps, so this assembles them: a step is complete once every tag it
 * holds, and loss_disc and loss_gen, has been seen at a later step (that tag has moved on), or when
 * its source says it is whole (`stepEnd`: a log line's last point, a replayed step's) and it holds
 * both losses (or every loss the stream gives), or at flush. Waiting for the two losses lets one of them lag the other by a few steps; a log that lacks
 * one of them only delays its steps by `maxPending`. At most `maxPending` steps
 * wait; beyond that the oldest is completed as it stands, so memory stays bounded even when a tag is
 * logged rarely.
 *
 * Resumes. A point whose `segment` is higher than the current one starts a new segment: the steps
 * waiting are completed first. A point without a segment whose step goes back for its own tag is an
 * unannounced restart, counted and treated the same way (RVC's step counter goes back on resume; the
 * sources mark that as a segment, a user's own loop may not). A step repeated for the same tag
 * replaces the waiting value (the latest entry per step wins). Points for a step already completed
 * arrive too late to change it: they are counted, not used.
 */
import type { ScalarPoint } from "../../types.ts";

/** The two losses a GAN log has at every logged step: a step waits for both. */
const WAIT_FOR = ["loss_disc", "loss_gen"];

export interface StepValue {
  value: number;
  lowerBound: boolean;
}

export interface StepRecord {
  step: number;
  segment: number;
  epoch?: number;
  wallTime?: number;
  values: Map<string, StepValue>;
}

export interface AssemblerCounts {
  /** Points that arrived after their step was complete. */
  late: number;
  /** Points whose step went back for their tag with no segment given (treated as restarts). */
  backward: number;
  /** Points that repeated a step already waiting for the same tag (the latest value was kept). */
  repeated: number;
  /** Points from a segment older than the current one. */
  staleSegment: number;
}

export interface AssemblerOutput {
  completed: StepRecord[];
  /** Set when this point started a new segment (its first step). */
  newSegment?: { segment: number; step: number; announced: boolean };
}

export class StepAssembler {
  private readonly pending: StepRecord[] = [];
  private readonly lastStepByTag = new Map<string, number>();
  private segment = 0;
  private lastCompleted = Number.NEGATIVE_INFINITY;
  readonly counts: AssemblerCounts = { late: 0, backward: 0, repeated: 0, staleSegment: 0 };

  constructor(private readonly maxPending = 8) {}

  get currentSegment(): number {
    return this.segment;
  }

  push(p: ScalarPoint): AssemblerOutput {
    const out: AssemblerOutput = { completed: [] };
    const last = this.lastStepByTag.get(p.tag);
    if (p.segment !== undefined && p.segment < this.segment) {
      this.counts.staleSegment++;
      return out;
    }
    const announced = p.segment !== undefined && p.segment > this.segment;
    const unannounced = p.segment === undefined && last !== undefined && p.step < last;
    if (announced || unannounced) {
      if (unannounced) this.counts.backward++;
      out.completed.push(...this.drain());
      this.segment = announced ? (p.segment as number) : this.segment + 1;
      this.lastStepByTag.clear();
      this.lastCompleted = Number.NEGATIVE_INFINITY;
      out.newSegment = { segment: this.segment, step: p.step, announced };
    }

    let record = this.findPending(p.step);
    if (record === undefined) {
      if (p.step <= this.lastCompleted) {
        this.counts.late++;
        return out;
      }
      record = { step: p.step, segment: this.segment, values: new Map() };
      this.insert(record);
    }
    if (record.values.has(p.tag)) this.counts.repeated++;
    record.values.set(p.tag, { value: p.value, lowerBound: p.lowerBound === true });
    if (p.epoch !== undefined) record.epoch = p.epoch;
    if (p.wallTime !== undefined) record.wallTime = p.wallTime;
    if (last === undefined || p.step > last) this.lastStepByTag.set(p.tag, p.step);

    // A whole step with both losses: it and every step before it can be judged now (a later line
    // cannot add to them), which is what makes a log's last line count live as it does offline.
    // (A loss this stream has never given is not waited for: a critic-only log has no G loss.)
    // A step with no loss at all (RVC's `[step, lr]` row, whose loss line comes next) is never whole.
    const whole =
      p.stepEnd === true &&
      WAIT_FOR.some((tag) => record.values.has(tag)) &&
      WAIT_FOR.every((tag) => record.values.has(tag) || !this.lastStepByTag.has(tag));
    while (
      this.pending.length > 0 &&
      (whole || this.isComplete(this.pending[0]) || this.pending.length > this.maxPending)
    ) {
      const done = this.take();
      out.completed.push(done);
      if (whole && done === record) break;
    }
    return out;
  }

  /** End of the stream (or of what exists so far, for a replay): every waiting step is complete. */
  flush(): StepRecord[] {
    return this.drain();
  }

  private drain(): StepRecord[] {
    const done: StepRecord[] = [];
    while (this.pending.length > 0) done.push(this.take());
    return done;
  }

  private take(): StepRecord {
    const record = this.pending.shift() as StepRecord;
    this.lastCompleted = record.step;
    return record;
  }

  private isComplete(r: StepRecord): boolean {
    for (const tag of r.values.keys()) if (!this.movedPast(tag, r.step)) return false;
    for (const tag of WAIT_FOR) if (!this.movedPast(tag, r.step)) return false;
    return true;
  }

  private movedPast(tag: string, step: number): boolean {
    const seen = this.lastStepByTag.get(tag);
    return seen !== undefined && seen > step;
  }

  private findPending(step: number): StepRecord | undefined {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      if (this.pending[i].step === step) return this.pending[i];
      if (this.pending[i].step < step) return undefined;
    }
    return undefined;
  }

  /** Keeps `pending` sorted by step (a lagging tag may open an earlier step than the last one). */
  private insert(r: StepRecord): void {
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].step > r.step) i--;
    this.pending.splice(i, 0, r);
  }
}
