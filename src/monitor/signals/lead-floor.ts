/**
 * The floor of D's lead since the early phase: the lowest gap (the monitor's median-of-recent gap)
 * from the `leadFloorFrom`-th judged step of the segment on. The mission's early phase is D winning
 * easily; in a game that works, G then catches up and D's gap comes down at least once (healthy ring8
 * runs in the scenario suite touch 0.02-0.10 within their first 1,000 steps, and grid25 runs start
 * near 0 before D's lead grows while G sharpens its modes). A floor that stays high means G never
 * caught up: in the suite's ring8 runs with two D steps per G step, D's gap never fell below 0.25-0.44
 * from step 300 on, and G collapsed onto 2-4 of the 8 modes.
 * The frozen-game stall (rules-stall-oscillation.ts) reads it: a dead G leaves D's lead where it was.
 * O(1) per step; a resume starts afresh.
 */
export class LeadFloor {
  private floor = Number.POSITIVE_INFINITY;

  /** Records the gap of the segment's `judged`-th step. */
  observe(judged: number, gap: number | undefined, from: number): void {
    if (judged < from || gap === undefined || !Number.isFinite(gap)) return;
    if (gap < this.floor) this.floor = gap;
  }

  /** The lowest gap since the early phase, or undefined before any. */
  value(): number | undefined {
    return Number.isFinite(this.floor) ? this.floor : undefined;
  }

  reset(): void {
    this.floor = Number.POSITIVE_INFINITY;
  }
}
