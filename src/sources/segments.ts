/**
 * Numbers the stretches of a run whose step counter only moves forward. A resumed RVC / VITS run starts
 * again at `(epoch - 1) * steps_per_epoch`, below or at the last logged step (RVC#911's "backtracking"
 * curve): that is a new segment, not a glitch, and the monitor keeps the latest value per step.
 *
 * A restart the log announces (VITS-family trainers dump their config on every start) also starts a new
 * segment when the step merely repeats: two restarts from the same checkpoint both log step 0 or 10000.
 */
export class SegmentCounter {
  private lastStep: number | undefined;
  private restartAnnounced = false;
  private breakAnnounced = false;
  private current = 0;

  /** The log said the trainer (re)started: a repeat of the last step after this is a new segment. */
  announceRestart(): void {
    this.restartAnnounced = true;
  }

  /** Rows were left out here (a paste's `...`): the next row starts a new segment whatever its step. */
  announceBreak(): void {
    this.breakAnnounced = true;
  }

  /** The segment of a row logged at `step` (call once per row, not per point). */
  observe(step: number): number {
    const last = this.lastStep;
    if (last !== undefined) {
      const back = step < last || (this.restartAnnounced && step === last);
      if (back || this.breakAnnounced) this.current++;
    }
    this.restartAnnounced = false;
    this.breakAnnounced = false;
    this.lastStep = step;
    return this.current;
  }

  /** How many times the step counter went back (or repeated after a restart). */
  get resumes(): number {
    return this.current;
  }
}
