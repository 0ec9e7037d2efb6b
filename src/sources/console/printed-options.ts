/**
 * The options block pytorch-CycleGAN-and-pix2pix (and its many forks) prints when training starts,
 * one `name: value [default: ...]` per line between dashed rules. Its `gan_mode` names the GAN loss the
 * run trains with, which the loss lines themselves do not: pix2pix defaults to `vanilla` (BCE) and
 * CycleGAN to `lsgan`, and either can be switched. The printed value beats inferring the family from
 * the loss names (CycleGAN's cycle / idt terms say least squares only by default).
 */
import type { LossFamily } from "../../types.ts";

/** `                 gan_mode: lsgan                         ` or `gan_mode: vanilla  [default: lsgan]`. */
const GAN_MODE = /^\s*gan_mode:\s+([a-z]+)\s*(?:\[default:\s*[a-z]+\])?\s*$/;

/** The repository's `GANLoss` modes and the family each trains with (models/networks.py). */
const FAMILY_OF_MODE: Record<string, LossFamily> = {
  vanilla: "bce",
  lsgan: "lsgan",
  wgangp: "wasserstein",
};

export interface PrintedGanMode {
  mode: string;
  family: LossFamily;
}

/** The family a printed `gan_mode` line names, or undefined for any other line (or an unknown mode). */
export function printedGanMode(text: string): PrintedGanMode | undefined {
  const mode = GAN_MODE.exec(text)?.[1];
  if (mode === undefined || !Object.hasOwn(FAMILY_OF_MODE, mode)) return undefined;
  return { mode, family: FAMILY_OF_MODE[mode] };
}
