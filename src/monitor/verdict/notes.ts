/**
 * The report's notes: the fixed one against the most common misunderstanding (the two losses are not
 * meant to both go to zero), the assumptions made (family, K, estimated D outputs), the JSD caveat,
 * a slow drift, clamped values, resumes and the epoch length.
 */
import { round3 } from "../round.ts";
import type { MessageRef, MonitorReport } from "../types.ts";
import type { MonitorView } from "../view.ts";
import { AT_EQUILIBRIUM_RECORD } from "./at-equilibrium-record.ts";
import { driftWinner, type finalRel } from "./run-facts.ts";
import { clampValue } from "./rvc-facts.ts";

export function notesOf(
  v: MonitorView,
  drift: MonitorReport["drift"],
  rel: ReturnType<typeof finalRel>,
): MessageRef[] {
  const { ref } = v;
  const notes: MessageRef[] = [];
  const eq = ref.equilibrium;
  notes.push(
    eq.loss_gen === null
      ? { key: "notBothZeroWasserstein", params: {} }
      : { key: "notBothZero", params: { eqDisc: round3(eq.loss_disc), eqGen: round3(eq.loss_gen) } },
  );
  // A log with one player's loss only (a vocoder's console printing G's total, a D-only stats dict):
  // whatever the verdict says is about that loss alone, never about the balance; say so and how to
  // name the other one if it is there under a name the reader does not know.
  const hasDisc = v.seenTags.has("loss_disc");
  const hasGen = v.seenTags.has("loss_gen");
  if (v.points > 0 && hasDisc !== hasGen)
    notes.push({ key: "oneLossOnly", params: { present: hasDisc ? "loss_disc" : "loss_gen" } });
  if (ref.familySource === "assumed")
    notes.push({
      key: "familyAssumed",
      params: { family: ref.family, ...(ref.familyEvidence ? { evidence: ref.familyEvidence } : {}) },
    });
  // Inferred from the cycle / idt terms, the assumed-family note already says D's loss is halved.
  if (ref.discHalved && ref.familySource !== "assumed")
    notes.push({
      key: "discHalved",
      params: { family: ref.family, eqDisc: round3(ref.equilibrium.loss_disc) },
    });
  if (ref.discriminatorsSource === "assumed" && ref.discriminators > 1)
    notes.push({ key: "kAssumed", params: { k: ref.discriminators } });
  else if (ref.discriminators > 1)
    notes.push({ key: "kFrom", params: { k: ref.discriminators, source: ref.discriminatorsSource } });
  if (v.gap.source === "estimated") notes.push({ key: "dOutputsEstimated", params: {} });
  if (v.gap.source === "accuracy") notes.push({ key: "gapFromAccuracy", params: {} });
  if (ref.family === "bce" || ref.family === "bce_minimax") notes.push({ key: "jsdCaveat", params: {} });
  // At the equilibrium the losses say D cannot tell real from generated, and no more: G matching the
  // data and a D too weak or too slow to learn write the same numbers (issue 14). Say so, and what
  // would tell them apart, instead of a verdict the losses cannot support.
  const band = v.t.equilibriumBand;
  if (v.machine.state === "balanced" && rel && Math.abs(rel.disc) <= band && Math.abs(rel.gen) <= band) {
    const gradD = v.trackers.get("grad_norm_d");
    notes.push({
      key: "atEquilibrium",
      params: {
        band,
        dOutputs: v.gap.source === "logged",
        recordRuns: AT_EQUILIBRIUM_RECORD.runs,
        recordUnhealthy: AT_EQUILIBRIUM_RECORD.unhealthy,
        ...(gradD && Number.isFinite(gradD.ema.value) ? { gradD: round3(gradD.ema.value) } : {}),
      },
    });
  }
  const winner = driftWinner(drift, rel, v.t.trendZ, v.t.driftChange);
  if (winner && drift) {
    notes.push({
      key: winner === "d" ? "dGraduallyWinning" : "gGraduallyWinning",
      params: { discChange: drift.loss_disc.change, genChange: drift.loss_gen.change },
    });
  }
  for (const tr of v.trackers.values()) {
    if (tr.lowerBound > 0)
      notes.push({
        key: "clampedValues",
        params: { tag: tr.tag, value: clampValue(tr), count: tr.lowerBound },
      });
  }
  if (v.earlierDivergence) {
    const e = v.earlierDivergence;
    notes.push({
      key: "divergedBeforeResume",
      params: { tag: e.tag, step: e.step, resumeStep: e.resumeStep },
    });
  }
  if (v.skipped.steps > 0 && v.skipped.first) {
    const f = v.skipped.first;
    notes.push({ key: "skippedSteps", params: { count: v.skipped.steps, tag: f.tag, step: f.step } });
  }
  if (v.resumes.length > 0) {
    notes.push({
      key: "resumes",
      params: { count: v.resumes.length, steps: v.resumes.map((r) => r.step).join(", ") },
    });
  }
  const spe = v.epochs.stepsPerEpoch(v.hints.checkpoints ?? []);
  if (spe !== undefined) notes.push({ key: "stepsPerEpoch", params: { steps: round3(spe) } });
  return notes;
}
