/**
 * The collapse reading of a long D lead. In the scenario suite every mode collapse came with D winning
 * (two D steps per G step, least squares on grid25), never with G fooling D, so the classifier's
 * collapse_suspected (loss_gen dropping fast while D's output turns uninformative) never fired there;
 * those runs read d_dominant or balanced. From the losses alone a collapsed G looks like one that is
 * still sharpening its modes (the same gap, the same levels), so this reading does not change the
 * verdict: it adds advice to look at the samples, tied to the evidence (how long D led and how far
 * loss_gen sits above its equilibrium).
 */
import type { MonitorThresholds } from "../thresholds.ts";
import type { Evidence } from "../types.ts";

export interface CollapseReading {
  evidence: Evidence[];
}

/**
 * `leadGap`: D's gap averaged over the second half of the run (undefined without a gap); `rel`: the
 * final levels against the equilibrium (undefined when the family has none).
 */
export function collapseReading(
  leadGap: number | undefined,
  rel: { disc: number; gen: number } | undefined,
  t: MonitorThresholds,
): CollapseReading | undefined {
  if (rel === undefined || leadGap === undefined) return undefined;
  if (leadGap < t.collapseLeadGap || rel.gen < t.collapseGenRel) return undefined;
  return {
    evidence: [
      { signal: "d_gap.second_half_mean", value: leadGap, threshold: t.collapseLeadGap, op: ">=" },
      { signal: "loss_gen.rel", value: rel.gen, threshold: t.collapseGenRel, op: ">=" },
    ],
  };
}
