/**
 * Where each loss family's two losses sit when the game is at its equilibrium (D cannot tell real from
 * generated), and what loss_disc says about the JS divergence. Plain numbers, no tfjs: the monitor,
 * the reports and the CLI read these without loading the trainer's tensor library.
 */
import type { LossFamily, TrainedFamily } from "../types.ts";

export interface Equilibrium {
  loss_disc: number;
  /** null when the family has no fixed generator value (Wasserstein). */
  loss_gen: number | null;
}

/** The families the trainer trains (`train --loss`). */
export const TRAINED_FAMILIES: readonly TrainedFamily[] = [
  "bce",
  "bce_minimax",
  "lsgan",
  "hinge",
  "wasserstein",
];

/** Every family the monitor judges (`analyze --loss`, `watch --loss`). */
export const LOSS_FAMILIES: readonly LossFamily[] = [...TRAINED_FAMILIES, "ragan", "rahinge"];

/** At D ≡ 1/2 (logit 0): -2 log(1/2) for D, -log(1/2) for the non-saturating G. */
export const BCE_EQUILIBRIUM = { loss_disc: 2 * Math.LN2, loss_gen: Math.LN2 } as const;

/** At D ≡ 1/2: the same D loss; the minimax G loss is log(1/2). */
export const BCE_MINIMAX_EQUILIBRIUM = { loss_disc: 2 * Math.LN2, loss_gen: -Math.LN2 } as const;

/**
 * A lower bound on the Jensen–Shannon divergence between data and generator, in nats, from a BCE
 * discriminator loss: max(0, ln 2 - loss_disc / 2).
 *
 * Why: for any D the expected loss_disc is at least 2 ln 2 - 2 JSD, with equality for the optimal D
 * (Goodfellow et al. 2014, Theorem 1), so JSD >= ln 2 - loss_disc / 2.
 *
 * Caveat: the bound is tight only when D is near optimal. A weak or lagging D makes it loose (it can say
 * 0 for very different distributions); a single batch's loss is noisy, and a D that overfits the
 * batches it sees has a loss below its population value, so the bound can then overstate the JSD.
 * Smooth the loss over many steps before reading it. Meaningless for non-BCE families.
 */
export function jsdLowerBound(lossDisc: number): number {
  return Math.max(0, Math.LN2 - lossDisc / 2);
}

/** At D ≡ 0 (cannot tell the two apart): relu(1) + relu(1) = 2 for D, -0 = 0 for G. */
export const HINGE_EQUILIBRIUM = { loss_disc: 2, loss_gen: 0 } as const;

/** At D ≡ 1/2 on everything: (1/2)^2 + (1/2)^2 = 0.5 for D and (1/2)^2 = 0.25 for G, per sub-discriminator. */
export const LSGAN_EQUILIBRIUM_PER_SUBDISCRIMINATOR = { loss_disc: 0.5, loss_gen: 0.25 } as const;

/**
 * The critic's loss tends to 0 at the equilibrium; G's loss has no fixed value (the critic's scores
 * may drift by any constant), hence null.
 */
export const WASSERSTEIN_EQUILIBRIUM = { loss_disc: 0, loss_gen: null } as const;

/**
 * Relativistic average BCE (Jolicoeur-Martineau 2018), the real and fake terms summed:
 * D = softplus(-(C(x) - mean C(G(z)))) + softplus(C(G(z)) - mean C(x)), G the same with the roles
 * swapped. When D cannot tell (C(x) - mean C(G(z)) = 0) each term is ln 2: 2 ln 2 for both players,
 * twice the non-saturating G's value, so a relativistic G at its equilibrium read as BCE looks beaten.
 */
export const RAGAN_EQUILIBRIUM = { loss_disc: 2 * Math.LN2, loss_gen: 2 * Math.LN2 } as const;

/** Relativistic average hinge: relu(1 -+ relative score) summed over real and fake; 2 for both at D ≡ 0. */
export const RAHINGE_EQUILIBRIUM = { loss_disc: 2, loss_gen: 2 } as const;

const EQUILIBRIUM_PER_DISCRIMINATOR: Record<LossFamily, Equilibrium> = {
  bce: BCE_EQUILIBRIUM,
  bce_minimax: BCE_MINIMAX_EQUILIBRIUM,
  lsgan: LSGAN_EQUILIBRIUM_PER_SUBDISCRIMINATOR,
  hinge: HINGE_EQUILIBRIUM,
  wasserstein: WASSERSTEIN_EQUILIBRIUM,
  ragan: RAGAN_EQUILIBRIUM,
  rahinge: RAHINGE_EQUILIBRIUM,
};

export function equilibrium(family: LossFamily, k = 1): Equilibrium {
  const one = EQUILIBRIUM_PER_DISCRIMINATOR[family];
  if (one === undefined)
    throw new Error(`unknown loss family "${family}" (known: ${LOSS_FAMILIES.join(", ")})`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`equilibrium: K must be a positive integer, got ${k}`);
  return { loss_disc: one.loss_disc * k, loss_gen: one.loss_gen === null ? null : one.loss_gen * k };
}
