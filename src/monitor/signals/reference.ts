/**
 * What the losses are measured against: the loss family and the number of sub-discriminators K (from
 * the caller, the source's hints, the tags, or an assumption the report states), the equilibrium
 * values of DESIGN.md's table, the scales that make thresholds family-free, D's mean outputs (logged,
 * or estimated from the losses where the family allows) and, for BCE, the JS-divergence lower bound.
 */
import { type Equilibrium, equilibrium, jsdLowerBound } from "../../losses/equilibrium.ts";
import type { LossFamily } from "../../types.ts";

export type ReferenceSource = "option" | "hints" | "tags" | "assumed";

/** What an assumed family was inferred from (said in the report's note). */
export type FamilyEvidence = "negative_disc" | "negative_gen" | "rvc_terms" | "cyclegan_terms" | "default";

export interface Reference {
  family: LossFamily;
  familySource: ReferenceSource;
  /** When the family was assumed: the evidence it was inferred from. */
  familyEvidence?: FamilyEvidence;
  /** K: the number of sub-discriminators whose losses are summed in loss_disc / loss_gen. */
  discriminators: number;
  discriminatorsSource: ReferenceSource;
  /**
   * loss_disc is logged halved, 0.5·(real + fake): pytorch-CycleGAN-and-pix2pix's `loss_D = (loss_D_real
   * + loss_D_fake) * 0.5`, logged as CycleGAN's D_A / D_B. Its equilibrium is then half the family's
   * (least squares: 0.25, not 0.5), and every reading of the losses doubles it first.
   */
  discHalved?: boolean;
  equilibrium: Equilibrium;
  /** |equilibrium loss_disc|, or undefined when it is 0 (Wasserstein: the monitor uses the data's level). */
  discScale?: number;
  /** |equilibrium loss_gen|, 1 for hinge (its margin), undefined for Wasserstein (no fixed value). */
  genScale?: number;
}

export interface ReferenceInputs {
  optionFamily?: LossFamily;
  hintFamily?: LossFamily;
  optionK?: number;
  hintK?: number;
  /** K from per-sub-discriminator tags (`d_real_k/i`): the largest index + 1. */
  tagK?: number;
  /** The run logs RVC / VITS generator terms (loss_mel, loss_kl, loss_fm): a least-squares GAN. */
  rvcLike: boolean;
  /**
   * The run logs CycleGAN's cycle-consistency or identity terms (`cycle_A`, `idt_A` of
   * pytorch-CycleGAN-and-pix2pix): its default GAN loss is least squares with D's loss halved.
   */
  cycleganTerms?: boolean;
  /** A finite loss_gen below 0 was seen: the BCE generator is then the minimax (saturating) one. */
  negativeGen: boolean;
  /**
   * A finite loss_disc below 0 was seen: no BCE, least-squares or hinge D loss (nor a relativistic
   * one) can be negative, a Wasserstein critic's loss E[C(G(z))] - E[C(x)] is once the critic learns.
   */
  negativeDisc?: boolean;
}

/**
 * K = 9 is assumed for an RVC-like log that does not say: RVC v2 is the default of RVC-WebUI since
 * 2023 and Applio always trains v2 (notes/rvc-logs.md §2); v1 (K = 7) and so-vits-svc (K = 6) logs
 * are told apart by the source where they can be (the so-vits-svc row layout gives K = 6).
 */
export const ASSUMED_RVC_DISCRIMINATORS = 9;

export function resolveReference(i: ReferenceInputs): Reference {
  let family: LossFamily;
  let familySource: ReferenceSource;
  let familyEvidence: FamilyEvidence | undefined;
  if (i.optionFamily) [family, familySource] = [i.optionFamily, "option"];
  else if (i.hintFamily) [family, familySource] = [i.hintFamily, "hints"];
  else {
    familySource = "assumed";
    if (i.rvcLike) [family, familyEvidence] = ["lsgan", "rvc_terms"];
    else if (i.cycleganTerms) [family, familyEvidence] = ["lsgan", "cyclegan_terms"];
    else if (i.negativeDisc) [family, familyEvidence] = ["wasserstein", "negative_disc"];
    else if (i.negativeGen) [family, familyEvidence] = ["bce_minimax", "negative_gen"];
    else [family, familyEvidence] = ["bce", "default"];
  }

  let k: number;
  let kSource: ReferenceSource;
  if (validK(i.optionK)) [k, kSource] = [i.optionK, "option"];
  else if (validK(i.tagK)) [k, kSource] = [i.tagK, "tags"];
  else if (validK(i.hintK)) [k, kSource] = [i.hintK, "hints"];
  else if (family === "lsgan" && i.rvcLike) [k, kSource] = [ASSUMED_RVC_DISCRIMINATORS, "assumed"];
  else [k, kSource] = [1, "assumed"];

  // pytorch-CycleGAN-and-pix2pix halves D's loss, 0.5·(real + fake), whatever its gan_mode, and CycleGAN
  // logs that halved loss (D_A, D_B): inferred from its cycle / idt terms, or named by the log itself
  // (its printed gan_mode), the family comes with that convention. --loss names the family as Nashboard
  // writes it, the real and fake terms summed.
  const discHalved = i.cycleganTerms === true && familySource !== "option";
  const full = equilibrium(family, k);
  const eq = discHalved ? { loss_disc: full.loss_disc / 2, loss_gen: full.loss_gen } : full;
  const ref: Reference = {
    family,
    familySource,
    ...(familyEvidence ? { familyEvidence } : {}),
    discriminators: k,
    discriminatorsSource: kSource,
    ...(discHalved ? { discHalved } : {}),
    equilibrium: eq,
  };
  if (eq.loss_disc !== 0) ref.discScale = Math.abs(eq.loss_disc);
  if (family === "hinge") ref.genScale = k;
  else if (eq.loss_gen !== null && eq.loss_gen !== 0) ref.genScale = Math.abs(eq.loss_gen);
  return ref;
}

function validK(k: number | undefined): k is number {
  return k !== undefined && Number.isInteger(k) && k >= 1;
}

export interface DOutputs {
  dReal: number;
  dFake: number;
}

/**
 * Mean D outputs estimated from the (smoothed) losses; undefined where the family gives no estimate.
 * Jensen's inequality makes each a bound rather than the mean (exp(-E[-log D]) is D's geometric mean,
 * below its arithmetic mean), which is close enough to tell "D near 0.5" from "D far apart".
 * - BCE non-saturating: loss_gen = -E log D(G(z))  →  d_fake ≈ exp(-loss_gen);
 *   loss_disc = -E log D(x) - E log(1 - D(G(z)))  →  d_real ≈ exp(-loss_disc) / (1 - d_fake).
 * - BCE minimax: loss_gen = E log(1 - D(G(z)))  →  d_fake ≈ 1 - exp(loss_gen), d_real as above.
 * - LSGAN, 0-1 targets, K summed (notes/rvc-logs.md §2): d_fake ≈ 1 - sqrt(loss_gen / K);
 *   (1 - d_real)² ≈ loss_disc / K - d_fake².
 * - hinge (scores inside the margins): d_fake = -loss_gen / K, d_real ≈ 2 - (loss_disc + loss_gen) / K.
 * - Wasserstein: d_fake = -loss_gen, d_real = d_fake - loss_disc (exact for the means).
 * - Relativistic average BCE: with Δ = mean C(x) - mean C(G(z)), D's loss ≈ 2 softplus(-Δ) and G's
 *   ≈ 2 softplus(Δ), and softplus(x) - softplus(-x) = x, so Δ ≈ (loss_gen - loss_disc) / (2K); D's
 *   relativistic probabilities are σ(Δ) on real and σ(-Δ) on generated data.
 * - Relativistic average hinge (inside the margins): D ≈ 2 - 2Δ, G ≈ 2 + 2Δ per sub-discriminator, so
 *   Δ ≈ (loss_gen - loss_disc) / (4K); the relative scores are Δ on real and -Δ on generated data.
 */
export function estimateDOutputs(ref: Reference, logged: number, lossGen: number): DOutputs | undefined {
  if (!Number.isFinite(logged) || !Number.isFinite(lossGen)) return undefined;
  const lossDisc = fullDiscLoss(ref, logged);
  const k = ref.discriminators;
  switch (ref.family) {
    case "bce":
    case "bce_minimax": {
      const dFake = ref.family === "bce" ? Math.exp(-lossGen) : 1 - Math.exp(Math.min(0, lossGen));
      const dReal = clamp01(Math.exp(-lossDisc) / Math.max(1e-12, 1 - dFake));
      return { dReal, dFake: clamp01(dFake) };
    }
    case "lsgan": {
      const dFake = 1 - Math.sqrt(clamp01(lossGen / k));
      const dReal = 1 - Math.sqrt(Math.max(0, lossDisc / k - dFake * dFake));
      return { dReal, dFake };
    }
    case "hinge": {
      const dFake = -lossGen / k;
      return { dReal: 2 - (lossDisc + lossGen) / k, dFake };
    }
    case "wasserstein":
      return { dReal: -lossGen - lossDisc, dFake: -lossGen };
    case "ragan": {
      const delta = (lossGen - lossDisc) / (2 * k);
      return { dReal: sigmoid(delta), dFake: sigmoid(-delta) };
    }
    case "rahinge": {
      const delta = (lossGen - lossDisc) / (4 * k);
      return { dReal: delta, dFake: -delta };
    }
  }
}

/**
 * D's gap, mean D(real) - mean D(fake), on the 0..1 scale where 0 is the equilibrium and 1 a perfect
 * D: probabilities (BCE) and 0-1 targets (LSGAN) as they are; hinge scores halved (its margins ±1
 * put a confident D at a gap of 2, as relative scores of ±1 do for the relativistic hinge); the
 * relativistic BCE's probabilities as they are. Undefined for Wasserstein, whose scores have no scale.
 */
export function gapOf(ref: Reference, d: DOutputs): number | undefined {
  if (!Number.isFinite(d.dReal) || !Number.isFinite(d.dFake)) return undefined;
  if (ref.family === "wasserstein") return undefined;
  const gap = d.dReal - d.dFake;
  return ref.family === "hinge" || ref.family === "rahinge" ? gap / 2 : gap;
}

/**
 * The gap from LSGAN's per-sub-discriminator terms (tfevents `loss/d_r/k` = mean (1 - D_k(x))²,
 * `loss/d_g/k` = mean D_k(G(z))²): D_k(x) ≈ 1 - sqrt(r_k), D_k(G(z)) ≈ sqrt(g_k), averaged over k.
 * Closer to the truth than the estimate from the summed losses, which mixes all K.
 */
export function gapFromTerms(realTerms: number[], fakeTerms: number[]): number | undefined {
  const n = Math.min(realTerms.length, fakeTerms.length);
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const r = realTerms[i];
    const g = fakeTerms[i];
    if (!Number.isFinite(r) || !Number.isFinite(g) || r < 0 || g < 0) return undefined;
    sum += 1 - Math.sqrt(r) - Math.sqrt(g);
  }
  return sum / n;
}

/**
 * For BCE families only: the JS-divergence lower bound max(0, ln 2 - loss_disc / 2), in nats, from a
 * smoothed loss_disc. Tight only when D is near optimal (see jsdLowerBound for the caveat).
 */
export function jsdBoundFor(ref: Reference, smoothedDisc: number): number | undefined {
  if (ref.family !== "bce" && ref.family !== "bce_minimax") return undefined;
  if (!Number.isFinite(smoothedDisc)) return undefined;
  return jsdLowerBound(smoothedDisc);
}

/** loss_disc as the family's formula writes it: the real and fake terms summed (a halved log doubled). */
export function fullDiscLoss(ref: Reference, logged: number): number {
  return ref.discHalved ? 2 * logged : logged;
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}
