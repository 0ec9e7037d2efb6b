/**
 * The floor of D's lead since the early phase: the lowest gap (the monitor's median-of-recent gap)
 * from the `leadFloorFrom`-th judged step of the segment on. The mission's early phase is D winning
 * easily; in a game that works, G then catches up and D's gap comes down at least once (healthy ring8
 * runs in the scenario suite touch 0.02-0.10 within their first 1,000 steps, and grid25 runs start
 * near 0 before D's lead grows while G sharpens its modes). A floor that stays high means G never
 * caught up: in the suite's ring8 runs with two D steps per G step, D's gap never fell below 0.25-0.44
 * from step 300 on, and G collapsed onto 2-4 of the 8 modes.
 * It also keeps the largest fall of the gap from its highest point so far (`letGo`): a D that won
 * outright for a while and then came down far has let go, even if its gap stays above the floor mark
 * afterwards. The PyTorch DCGAN tutorial's CelebA run (test/fixtures/real-logs/dcgan) is the case:
 * D(x) - D(G(z)) was ~1.0 for its first 1,900 steps, then G caught up and the gap sat at 0.26-0.6
 * while the faces formed (a fall of 0.74). O(1) per step; a resume starts afresh.
 */
export class LeadFloor {
  private floor = Number.POSITIVE_INFINITY;
  private peak = Number.NEGATIVE_INFINITY;
  private fall = 0;

  /** Records the gap of the segment's `judged`-th step. */
  observe(judged: number, gap: number | undefined, from: number): void {
    if (judged < from || gap === undefined || !Number.isFinite(gap)) return;
    if (gap < this.floor) this.floor = gap;
    if (gap > this.peak) this.peak = gap;
    if (this.peak - gap > this.fall) this.fall = this.peak - gap;
  }

  /** The largest fall of the gap from its highest point since the early phase (0 before any). */
  letGo(): number {
    return this.fall;
  }

  /** The lowest gap since the early phase, or undefined before any. */
  value(): number | undefined {
    return Number.isFinite(this.floor) ? this.floor : undefined;
  }

  reset(): void {
    this.floor = Number.POSITIVE_INFINITY;
    this.peak = Number.NEGATIVE_INFINITY;
    this.fall = 0;
  }
}
