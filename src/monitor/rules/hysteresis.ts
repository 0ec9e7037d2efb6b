/**
 * States over time without flapping. Each judged step casts its candidate state as a vote; the last
 * `hysteresisWindow` votes are kept. The state changes only when a candidate holds at least
 * `enterVotes` of them and more than the current state holds, so one noisy batch (one vote) never
 * changes it, and two states with similar support do not alternate.
 *
 * Exceptions, each for a reason:
 * - diverged enters on its first vote: a NaN loss is not noise, and the user must hear at once;
 * - warmup is left on two agreeing votes: the first judgement replaces no earlier one;
 * - diverged is left only once no vote in the window says diverged (a run that recovers from an
 *   fp16 overflow skipped by the gradient scaler comes back; one whose weights are NaN never does);
 * - a new segment (a resume) starts again from warmup with an empty window: the windows of the
 *   signals restart too, and the resume is not a glitch to carry over.
 *
 * The timeline keeps the first and the latest `maxTimeline / 2` entries, counting the ones between,
 * so its memory is bounded on a run that changes state forever.
 */

import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence, RuleId, StateName, TimelineEntry } from "../types.ts";
import type { Candidate } from "./classifier.ts";

export interface StateChange {
  step: number;
  from: StateName;
  to: StateName;
  rule: RuleId;
  confidence: number;
  evidence: Evidence[];
}

interface OpenEntry extends TimelineEntry {
  confidenceSum: number;
}

export class StateMachine {
  private votes: StateName[] = [];
  private voteConfidence: number[] = [];
  private current: OpenEntry | undefined;
  private readonly head: TimelineEntry[] = [];
  private readonly tail: TimelineEntry[] = [];
  private omitted = 0;
  private latestEvidence: Evidence[] = [];

  constructor(
    private readonly t: MonitorThresholds,
    private readonly maxTimeline = 400,
  ) {}

  get state(): StateName {
    return this.current?.state ?? "warmup";
  }

  /** The current entry's confidence so far (0 before the first step). */
  get confidence(): number {
    return this.current ? this.current.confidenceSum / this.current.steps : 0;
  }

  /** The evidence of the latest vote for the current state. */
  get evidence(): Evidence[] {
    return this.latestEvidence;
  }

  /** A resume: close the open entry; the next step opens a warmup entry of the new segment. */
  newSegment(): void {
    this.close();
    this.votes = [];
    this.voteConfidence = [];
  }

  /** Feeds one judged step's candidate; returns the change it caused, if any. */
  observe(step: number, segment: number, c: Candidate): StateChange | undefined {
    this.votes.push(c.state);
    this.voteConfidence.push(c.confidence);
    if (this.votes.length > this.t.hysteresisWindow) {
      this.votes.shift();
      this.voteConfidence.shift();
    }
    const from = this.state;
    let change: StateChange | undefined;
    if (this.current === undefined) {
      this.open(step, segment, c);
    } else if (c.state !== from && this.shouldSwitch(c.state, from)) {
      change = { step, from, to: c.state, rule: c.rule, confidence: 0, evidence: c.evidence };
      this.close();
      this.open(step, segment, c);
    }
    const entry = this.current as OpenEntry;
    entry.toStep = step;
    entry.steps++;
    // diverged is entered on one vote because it is certain, so its votes need no agreement
    const agreement = entry.state === "diverged" ? 1 : this.count(entry.state) / this.votes.length;
    const rawConfidence = c.state === entry.state ? c.confidence : 0.5;
    entry.confidenceSum += agreement * rawConfidence;
    entry.confidence = entry.confidenceSum / entry.steps;
    if (c.state === entry.state) this.latestEvidence = c.evidence;
    if (change) change.confidence = entry.confidence;
    return change;
  }

  private shouldSwitch(to: StateName, from: StateName): boolean {
    if (to === "diverged") return true;
    if (from === "diverged" && this.count("diverged") > 0) return false;
    const support = this.count(to);
    // Leaving warmup is not a change of opinion: two agreeing votes are enough.
    if (from === "warmup") return support >= Math.min(2, this.t.enterVotes);
    return support >= Math.min(this.t.enterVotes, this.t.hysteresisWindow) && support > this.count(from);
  }

  private count(state: StateName): number {
    let n = 0;
    for (const v of this.votes) if (v === state) n++;
    return n;
  }

  private open(step: number, segment: number, c: Candidate): void {
    this.current = {
      fromStep: step,
      toStep: step,
      segment,
      state: c.state,
      rule: c.rule,
      confidence: 0,
      evidence: c.evidence,
      steps: 0,
      confidenceSum: 0,
    };
    this.latestEvidence = c.evidence;
  }

  private close(): void {
    if (!this.current) return;
    const { confidenceSum: _, ...entry } = this.current;
    this.current = undefined;
    if (this.head.length < this.maxTimeline / 2) {
      this.head.push(entry);
      return;
    }
    this.tail.push(entry);
    if (this.tail.length > this.maxTimeline / 2) {
      this.tail.shift();
      this.omitted++;
    }
  }

  /** The timeline so far, the open entry included. */
  timeline(): { entries: TimelineEntry[]; omitted: number } {
    const entries = [...this.head, ...this.tail].map((e) => ({ ...e }));
    if (this.current) {
      const { confidenceSum: _, ...open } = this.current;
      entries.push({ ...open });
    }
    return { entries, omitted: this.omitted };
  }
}
