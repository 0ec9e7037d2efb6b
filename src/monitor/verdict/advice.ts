/**
 * Concrete advice, each item tied to the evidence it rests on and using the run's own numbers (the
 * logged learning rate, the NaN step, the checkpoint to resume from). The remedies are the standard
 * ones for each failure:
 *
 * - NaN while the reconstruction terms stay finite (RVC, VITS): fp16 overflow in the adversarial
 *   branch; RVC-Boss's answer (RVC#507): fp16_run false, resume from the last checkpoint.
 * - NaN from the first step: data or configuration, not training dynamics.
 * - explosion / other NaN: lower learning rate, clip gradients, resume.
 * - D dominant: halve lr_d (Vietnamese-RVC#12 proposes 1e-4 → 5e-5), or more G steps (TTUR,
 *   Heusel et al.); with the minimax G loss, switch to the non-saturating one (Goodfellow et al.).
 * - D dominant since the early phase (its gap never came down): fewer D steps, and look for collapse.
 * - G dominant: halve lr_g or strengthen D; when D does no better than a constant, say why that is G
 *   winning (a starved D teaches G nothing).
 * - collapse: feature matching / minibatch discrimination (Salimans et al. 2016), PacGAN; after a long
 *   D lead with loss_gen far above its equilibrium, look at the samples (collapse-reading.ts).
 * - oscillation: lower both rates, Adam beta1 0.5 (DCGAN).
 * - stalled: dead units or saturated D; restart earlier with lower rates, leaky ReLU (ganhacks).
 * - RVC family: listen to the candidate epochs; D slowly winning is the usual late drift.
 */

import { round3 } from "../round.ts";
import type { CollapseReading } from "../rules/collapse-reading.ts";
import type { Advice, Evidence, StateName } from "../types.ts";
import type { Checkpoint } from "./candidates.ts";
import type { RunFacts } from "./run-facts.ts";

const RVC_TERMS = new Set(["loss_mel", "loss_kl", "loss_fm"]);

export function adviseFor(
  f: RunFacts,
  primary: StateName | null,
  extra: { drift?: "d" | "g"; fromDrift?: boolean; enough: boolean; collapse?: CollapseReading },
): Advice[] {
  const out: Advice[] = [];
  const add = (
    key: string,
    params: Record<string, string | number | boolean | undefined>,
    evidence: Evidence[] = [],
  ) => out.push({ key, params: clean(params), evidence });

  if (!extra.enough) {
    add("notEnoughData", { needed: f.warmupSteps });
    if (f.klClamp) add("klClamped", { step: f.klClamp.step, value: f.klClamp.value });
    return out;
  }

  if (f.diverged) {
    const d = f.diverged;
    const evidence = [{ signal: `non_finite:${d.tag}`, value: d.value }];
    const checkpoint = lastCheckpointBefore(f.checkpoints, d.step);
    const finiteTerms = d.finiteTags.filter((t) => RVC_TERMS.has(t));
    if (d.fromStart) add("nanFromStart", { step: d.step }, evidence);
    else if (f.rvcLike || finiteTerms.length > 0) {
      add("fp16Nan", { tag: d.tag, step: d.step, finiteTags: d.finiteTags.join(", "), checkpoint }, evidence);
    } else {
      const lrNow = f.lr.lrD ?? f.lr.lrG;
      add(
        "nanGeneric",
        { tag: d.tag, step: d.step, value: String(d.value), checkpoint, lrNow, lr: half(lrNow) },
        evidence,
      );
    }
  } else if (f.explosion) {
    const e = f.explosion;
    const lrNow = f.lr.lrD ?? f.lr.lrG;
    add("explosion", { tag: e.tag, step: e.step, lrNow, lr: half(lrNow) }, [
      { signal: `explosion:${e.tag}`, value: e.value },
    ]);
  } else {
    const evidence = f.finalEvidence;
    // A voice model whose D only drifts ahead gets the drift's advice below, not a learning-rate cut.
    const driftOnly = extra.fromDrift === true && f.rvcLike;
    switch (driftOnly ? null : primary) {
      case "d_dominant": {
        if (f.ref.family === "bce_minimax") add("minimaxSwitch", {}, evidence);
        add("lowerLrD", { from: f.lr.lrD, to: half(f.lr.lrD) }, evidence);
        break;
      }
      case "g_dominant": {
        // D no better than a constant (rules-lead.ts): explain why that is G winning
        const below = evidence.find((e) => e.signal === "loss_disc.below_equilibrium_share");
        if (below && below.op === "<=")
          add("dNoBetterThanConstant", { share: round3(below.value) }, evidence);
        add("lowerLrG", { from: f.lr.lrG, to: half(f.lr.lrG) }, evidence);
        break;
      }
      case "collapse_suspected":
        add("featureMatching", {}, evidence);
        break;
      case "oscillating":
        add("oscillation", { lrD: f.lr.lrD, lrG: f.lr.lrG }, evidence);
        break;
      case "stalled":
        add(
          evidence.some((e) => e.signal.startsWith("grad_norm_g")) ? "stalledGrad" : "stalledFlat",
          {},
          evidence,
        );
        break;
      default:
        break;
    }
    // D's long lead with loss_gen far above its equilibrium is how collapse showed in the suite.
    if (extra.collapse) add("checkCollapse", {}, extra.collapse.evidence);
    if (extra.drift === "d" && f.rvcLike && f.drift) {
      add("rvcDWinning", {}, [
        { signal: "loss_disc.drift", value: f.drift.loss_disc.change },
        { signal: "loss_gen.drift", value: f.drift.loss_gen.change },
      ]);
    }
  }
  if (f.klClamp) add("klClamped", { step: f.klClamp.step, value: f.klClamp.value });
  // "Is it overtrained?" is what voice-model users ask. The log cannot hear it (the lowest loss is not
  // necessarily the best epoch: notes/rvc-logs.md, AI Hub's guide), so say what it does show and send
  // the user to the candidates, first.
  // First when nothing is wrong (it is then the user's question); after the problem's own advice
  // otherwise; not for a diverged run, whose weights are NaN whatever the ear says.
  if (f.rvcLike && primary !== "diverged") {
    const item: Advice = {
      key: "rvcOvertrained",
      params: clean({
        dWinning: extra.drift === "d" || primary === "d_dominant",
        mel: f.melTrend,
        resumes: f.resumes,
      }),
      evidence: [],
    };
    if (primary === null) out.unshift(item);
    else out.push(item);
  }
  if (f.rvcLike && f.candidates.length > 0) {
    // each candidate named once: by its epoch, or by its step too where two fall in the same epoch
    const byEpoch = (c: (typeof f.candidates)[number]) =>
      c.epoch !== undefined ? `e${c.epoch}` : `step ${c.step}`;
    const labels = f.candidates.map(byEpoch);
    const epochs = f.candidates
      .map((c, i) =>
        labels.indexOf(labels[i]) !== labels.lastIndexOf(labels[i])
          ? `${labels[i]} step ${c.step}`
          : labels[i],
      )
      .join(", ");
    add("rvcListen", { epochs });
  }
  if (out.length === 0 && primary === null) add("keepGoing", {});
  return out;
}

function half(lr: number | undefined): number | undefined {
  return lr === undefined ? undefined : lr / 2;
}

function lastCheckpointBefore(checkpoints: Checkpoint[], step: number): string | undefined {
  let best: Checkpoint | undefined;
  for (const c of checkpoints) {
    if (c.step === undefined || c.step >= step) continue;
    if (best === undefined || (best.step as number) < c.step) best = c;
  }
  if (!best) return undefined;
  return best.file ?? (best.epoch !== undefined ? `epoch ${best.epoch}` : `step ${best.step}`);
}

/** Drops undefined parameters (JSON has no undefined; renderers test for absence). */
function clean(params: Record<string, string | number | boolean | undefined>): Advice["params"] {
  const out: Advice["params"] = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") out[k] = v;
  return out;
}
