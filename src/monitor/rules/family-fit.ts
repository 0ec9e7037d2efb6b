/**
 * Whether the two losses can come from the family and K the monitor assumes. Each family's two losses
 * are tied by an inequality that holds for any D and any G (per sub-discriminator, on the means; the
 * inequalities use only relu(1 + x) >= 1 + x, softplus(x) + softplus(-x) >= 2 ln 2 and Jensen):
 *
 * - BCE, non-saturating G: loss_disc >= -ln(1 - D̄f) and loss_gen >= -ln D̄f (D̄f: D's mean output on
 *   generated data), so loss_gen >= -ln(1 - exp(-loss_disc)). A D loss of 0.012 needs a G loss >= 4.4.
 * - BCE, minimax G: -loss_gen = -E ln(1 - D(G(z))) is one of loss_disc's two terms: -loss_gen <= loss_disc.
 * - least squares (0-1 targets): sqrt(loss_disc) >= D̄f and sqrt(loss_gen) >= 1 - D̄f, so
 *   sqrt(loss_disc / K) + sqrt(loss_gen / K) >= 1 (summed over K, by concavity).
 * - hinge: loss_disc >= 1 + mean D(G(z)) = 1 - loss_gen per sub-discriminator: loss_disc + loss_gen >= K.
 * - relativistic average BCE: loss_disc + loss_gen >= 4 ln 2 · K; relativistic hinge: >= 4 K.
 * - Wasserstein: no bound.
 *
 * Logged losses are batch means taken a moment apart (D's before G's update), so a level is judged
 * impossible only when it misses its bound by `FIT_SLACK` of the bound. A miss means the numbers are
 * not this family with this K (another family, another K, halved or weighted terms), and no balance
 * reading made against the wrong equilibrium can be trusted: the report then says so (issue 14, item 4).
 */
import { fullDiscLoss, type Reference } from "../signals/reference.ts";

/** The share of a bound a level may fall short of it by before the pair is called impossible. */
export const FIT_SLACK = 0.1;

export interface FamilyMisfit {
  /** The quantity the family bounds, as computed from the final levels. */
  value: number;
  /** Its lower bound for the family and K. */
  bound: number;
  /** Which inequality (a message key suffix): bce, bce_minimax, lsgan, hinge, ragan, rahinge. */
  rule: string;
}

export function familyMisfit(ref: Reference, lossDisc: number, lossGen: number): FamilyMisfit | undefined {
  if (!Number.isFinite(lossDisc) || !Number.isFinite(lossGen)) return undefined;
  const k = ref.discriminators;
  const d = fullDiscLoss(ref, lossDisc) / k;
  const g = lossGen / k;
  const check = (value: number, bound: number): FamilyMisfit | undefined =>
    value < bound - FIT_SLACK * Math.abs(bound) ? { value, bound, rule: ref.family } : undefined;
  switch (ref.family) {
    case "bce":
      // the bound only bites below ln 2 (above it, -ln(1 - e^-d) < ln 2 and any G loss near it fits)
      return d > 0 ? check(g, -Math.log(-Math.expm1(-d))) : { value: d, bound: 0, rule: "bce" };
    case "bce_minimax":
      return check(d, -g);
    case "lsgan":
      return d < 0 || g < 0
        ? { value: Math.min(d, g), bound: 0, rule: "lsgan" }
        : check(Math.sqrt(d) + Math.sqrt(g), 1);
    case "hinge":
      return check(d + g, 1);
    case "ragan":
      return check(d + g, 4 * Math.LN2);
    case "rahinge":
      return check(d + g, 4);
    case "wasserstein":
      return undefined;
  }
}
