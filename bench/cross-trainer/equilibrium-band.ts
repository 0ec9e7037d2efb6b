/**
 * The naive rule issue 14 compares the monitor with: a run is healthy when, over the last quarter of the
 * logged steps seen so far, the mean loss_disc lies within 25% of its family's equilibrium value;
 * unhealthy otherwise, or as soon as a loss is non-finite. What a user who has read "the losses should
 * sit at the equilibrium" would check by eye. A Wasserstein critic's equilibrium is 0, where a relative
 * band is empty: there the band is |mean| <= 0.25 in the critic's own units, an arbitrary scale (said so
 * in the report, and the per-family table shows what it does).
 */
import { equilibrium } from "../../src/losses/index.ts";
import type { Health, StateName } from "../../src/monitor/types.ts";
import type { Detector, DetectorSpec } from "../scenarios/detector.ts";

export const BAND = 0.25;
export const EQUILIBRIUM_BAND = "equilibrium band (issue 14's naive rule)";

export function inBand(meanDisc: number, equilibriumDisc: number, band = BAND): boolean {
  if (equilibriumDisc === 0) return Math.abs(meanDisc) <= band;
  return Math.abs(meanDisc - equilibriumDisc) <= band * Math.abs(equilibriumDisc);
}

export function equilibriumBandDetector(band = BAND): DetectorSpec {
  return {
    name: EQUILIBRIUM_BAND,
    description: `healthy while the mean loss_disc of the last quarter of the logged steps lies within ${band * 100}% of the equilibrium (|mean| <= ${band} for Wasserstein); a non-finite loss is unhealthy for good`,
    namesStates: false,
    hasWarning: false,
    create(config): Detector {
      const target = equilibrium(config.loss).loss_disc;
      const disc: number[] = [];
      let nonFinite = false;
      const healthy = () => {
        if (nonFinite) return false;
        if (disc.length === 0) return true;
        const tail = disc.slice(Math.floor((disc.length * 3) / 4));
        return inBand(tail.reduce((a, b) => a + b, 0) / tail.length, target, band);
      };
      return {
        push(m) {
          if (!Number.isFinite(m.loss_disc) || !Number.isFinite(m.loss_gen)) nonFinite = true;
          else disc.push(m.loss_disc);
        },
        end() {},
        state: (): StateName | undefined => undefined,
        problemNow: () => !healthy(),
        health: (): Health => (healthy() ? "healthy" : "unhealthy"),
      };
    },
  };
}
