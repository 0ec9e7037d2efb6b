/**
 * What became of the runs that ended at rest at the equilibrium, measured (issue 14). The losses alone
 * cannot tell a G that matches the data from a D too weak or too slow to learn, so the report reads
 * such a run as balanced; this record tells the user how often that reading was wrong on runs whose
 * samples were scored: the cross-trainer benchmark's PyTorch runs of small 2-D GANs, truth from their
 * samples (bench/cross-trainer/, corpus plus both sealed sets). It is a record of that benchmark,
 * not a law for every GAN, and the note says which runs it comes from.
 *
 * Counted by replaying the monitor on every committed run and keeping those whose report carries the
 * `atEquilibrium` note; test/at-equilibrium-record.test.ts recounts it, so a rule change that moves
 * a run in or out fails there until these numbers are updated.
 */
export const AT_EQUILIBRIUM_RECORD = {
  /** Runs whose report ended with the note. */
  runs: 66,
  /** Of those, runs whose samples were not healthy (poor, collapsed, G or D dominant, stalled). */
  unhealthy: 49,
} as const;
