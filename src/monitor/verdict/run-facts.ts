/**
 * What the verdict and the advice are decided from: a plain summary of the run that the monitor
 * compiles from its state (bounded: timeline, first divergence, latest levels and learning rates, the
 * long drift, the candidate epochs). Keeping it a plain object lets the verdict rules be tested on
 * hand-made facts.
 */

import type { Reference } from "../signals/reference.ts";
import type { CandidateEpoch, Evidence, StateName, TimelineEntry, TrendSummary } from "../types.ts";
import type { Checkpoint } from "./candidates.ts";

export interface RunFacts {
  points: number;
  /** Steps judged (both losses present) over the run. */
  judged: number;
  warmupSteps: number;
  /** Tags seen (bounded). */
  seenTags: string[];
  timeline: TimelineEntry[];
  finalState: StateName;
  finalEvidence: Evidence[];
  diverged?: { step: number; tag: string; value: number; finiteTags: string[]; fromStart: boolean };
  explosion?: { step: number; tag: string; value: number };
  ref: Reference;
  smoothed: { disc: number; gen: number };
  drift?: { loss_disc: TrendSummary; loss_gen: TrendSummary };
  /** D's gap averaged over the second half of its whole-run curve (bucket means), when known. */
  leadGap?: number;
  /** Latest finite learning rates: lr_d / lr_g, or one shared `lr` (RVC trains both at the same rate). */
  lr: { lrD?: number; lrG?: number };
  rvcLike: boolean;
  /** Voice models: loss_mel's whole-run trend (rvc-facts.ts), when it has enough points. */
  melTrend?: "rising" | "falling" | "flat";
  /** How many times the run resumed from a checkpoint. */
  resumes?: number;
  candidates: CandidateEpoch[];
  checkpoints: Checkpoint[];
  /** loss_kl at its clamp at its latest point, and since when (not only at step 0, where it is usual). */
  klClamp?: { step: number; value: number };
}

/**
 * Long-drift verdict: D slowly winning (disc falling and gen rising, both significant) or G (the
 * mirror), when the two moved together by at least `total` equilibrium units and the run ends on the
 * winner's side of the equilibrium (`rel`: the final levels). A drift back towards the equilibrium
 * (G catching up after D's easy start) is the game settling, not a player winning.
 */
export function driftWinner(
  drift: RunFacts["drift"],
  rel: { disc: number; gen: number } | undefined,
  minZ: number,
  total: number,
): "d" | "g" | undefined {
  if (!drift || !rel) return undefined;
  const d = drift.loss_disc;
  const g = drift.loss_gen;
  if (Math.abs(d.z) < minZ || Math.abs(g.z) < minZ) return undefined;
  if (Math.abs(d.change) + Math.abs(g.change) < total) return undefined;
  if (d.change < 0 && g.change > 0 && rel.disc < 0 && rel.gen > 0) return "d";
  if (d.change > 0 && g.change < 0 && rel.disc > 0 && rel.gen < 0) return "g";
  return undefined;
}

/** The final levels relative to the equilibrium, when the family has one for both losses. */
export function finalRel(f: Pick<RunFacts, "ref" | "smoothed">): { disc: number; gen: number } | undefined {
  const { ref, smoothed } = f;
  const eq = ref.equilibrium;
  if (eq.loss_gen === null || ref.discScale === undefined || ref.genScale === undefined) return undefined;
  const disc = (smoothed.disc - eq.loss_disc) / ref.discScale;
  const gen = (smoothed.gen - eq.loss_gen) / ref.genScale;
  return Number.isFinite(disc) && Number.isFinite(gen) ? { disc, gen } : undefined;
}
