/**
 * The steer benchmark's plan (bench/steer.ts runs it): the arms of the do-no-harm table, the broken
 * settings of the rescue runs, the budgets each run is scored at, and the list of runs a selection
 * makes. Apart from the runners and the CLI so that what is measured reads in one place, and a
 * change to the plan is not lost among process handling.
 */
import type { SteerRun } from "./steer-outcomes.ts";

/**
 * The remedy set, chosen on seeds 100-101 (never the table's seeds 0-9; bench/RESULTS-steer.md says
 * how): R1 keeps every mode, rates twice the default with a decay over the last half settle the samples
 * on the modes, and a 2-D latent (PacGAN's z ∈ R²) lets the generator put less mass between them.
 */
export const REMEDIES = [
  "--r1",
  "0.1",
  "--lr-d",
  "2e-3",
  "--lr-g",
  "2e-3",
  "--lr-decay",
  "0.5",
  "--latent",
  "2",
];

/** Steps of the table's runs: long enough for the remedy set's samples to settle (measured on seeds 100-101). */
const STEPS: Record<string, number> = { ring8: 12000, grid25: 16000 };
/** The budgets every run is also scored at (when it is that long). */
export const BUDGETS = [3000, 6000];
/** Steps of the rescue runs: the longer budget. */
const RESCUE_STEPS = 6000;
export const DATASETS = ["ring8", "grid25"];

/** The healthy settings (arms) of the table, in pairs without and with the controller. */
export const ARMS: [string, string[]][] = [
  ["plain GAN", []],
  ["controller", ["--controller"]],
  ["remedies", REMEDIES],
  ["controller + remedies", ["--controller", ...REMEDIES]],
  // The remedy set's runs (training is the same, seed for seed) shown through D: the 5% of samples D
  // scores lowest discarded (src/train/rejection.ts; the share chosen on seeds 100-102).
  ["remedies sampled through D", [...REMEDIES, "--reject", "0.05"]],
];

/** A PyTorch run's settings beyond the defaults below (bench/cross-trainer/grid.py's names). */
type TorchChanges = Record<string, number | string>;

/**
 * A deliberately broken setting: the default run with one thing badly wrong, as Nashboard flags and
 * as the PyTorch generator's settings. One of each kind issue 17 names.
 */
export interface BrokenSetting {
  name: string;
  flags: string[];
  torch: TorchChanges;
}

export const BROKEN: BrokenSetting[] = [
  { name: "D too fast: lr_d x10", flags: ["--lr-d", "1e-2"], torch: { lr_d: 1e-2 } },
  { name: "G too fast: lr_g x10", flags: ["--lr-g", "1e-2"], torch: { lr_g: 1e-2 } },
  {
    name: "too many D steps: 3, lr_g / 10",
    flags: ["--lr-g", "1e-4", "--d-steps", "3"],
    torch: { lr_g: 1e-4, d_steps: 3 },
  },
  { name: "tiny D: one layer of 8", flags: ["--d-hidden", "8"], torch: { d_width: 8, d_depth: 1 } },
  // D 256x3 (131k weights) against G 64x2 (8k): 512x3 broke runs the same way (seeds 100-102, 1-2 modes)
  // at four times the cost, 5-9 minutes a run on the shared machine.
  {
    name: "huge D: 256x3, G 64x2, batch 128",
    flags: ["--d-hidden", "256,256,256", "--g-hidden", "64,64", "--batch", "128"],
    torch: { d_width: 256, d_depth: 3, g_width: 64, batch: 128 },
  },
  {
    name: "SGD at lr 0.1",
    flags: ["--optimizer", "sgd", "--lr-d", "0.1", "--lr-g", "0.1"],
    torch: { optimizer: "sgd", lr_d: 0.1, lr_g: 0.1 },
  },
  {
    name: "minimax G loss, lr_d x3",
    flags: ["--loss", "bce_minimax", "--lr-d", "3e-3"],
    torch: { loss: "bce_minimax", lr_d: 3e-3 },
  },
];

export const RESCUE_ARMS: [string, string[]][] = [
  ["without controller", []],
  ["with controller", ["--controller"]],
];
export const TORCH_ARMS = ["without steer", "with steer"];

export interface Job extends SteerRun {
  /** The run's length. */
  steps: number;
  /** The budgets it is scored at: its own end, and earlier ones where they equal a shorter run. */
  score: number[];
}

export interface Selection {
  parts: string[];
  seeds: number[];
  arms?: string[];
  settings?: string[];
  datasets: string[];
  /** The table's runs this long instead (tuning on a shorter budget). */
  tableSteps?: number;
  /**
   * The controller knows the run's length (it finishes a rescued run within it): its runs at each
   * budget are runs of their own, and its longer runs are scored at their end only.
   */
  budgetAware: boolean;
}

export function jobs(sel: Selection): Job[] {
  const out: Job[] = [];
  const want = (setting: string) => !sel.settings || sel.settings.some((s) => setting.startsWith(s));
  for (const seed of sel.seeds)
    for (const dataset of sel.datasets) {
      if (sel.parts.includes("table"))
        for (const [arm, flags] of ARMS) {
          const steps = sel.tableSteps ?? STEPS[dataset]!;
          out.push({ part: "table", arm, dataset, seed, flags, steps, score: scored(steps, steered(arm)) });
        }
      for (const b of BROKEN.filter((s) => want(s.name))) {
        const lengths = (arm: string) => (steered(arm) ? BUDGETS : [RESCUE_STEPS]);
        const common = { setting: b.name, dataset, seed };
        if (sel.parts.includes("rescue"))
          for (const [arm, flags] of RESCUE_ARMS)
            for (const steps of lengths(arm))
              out.push({
                ...common,
                part: "rescue",
                arm,
                flags: [...b.flags, ...flags],
                steps,
                score: scored(steps, steered(arm)),
              });
        if (sel.parts.includes("torch"))
          for (const arm of TORCH_ARMS)
            for (const steps of lengths(arm))
              out.push({
                ...common,
                part: "torch",
                arm,
                flags: b.flags,
                steps,
                score: scored(steps, steered(arm)),
              });
      }
    }
  return sel.arms ? out.filter((j) => sel.arms!.includes(j.arm)) : out;

  /** Whether an arm's runs are steered by a controller that knows their length. */
  function steered(arm: string): boolean {
    return sel.budgetAware && /controller|with steer/.test(arm) && !/without/.test(arm);
  }
  /** A run of `steps` is scored at its end and, unless its controller knows its length, at the shorter budgets. */
  function scored(steps: number, budgetAware: boolean): number[] {
    return budgetAware ? [steps] : [...BUDGETS.filter((b) => b < steps), steps];
  }
}

/** "0-4,7" -> [0, 1, 2, 3, 4, 7] */
export function seedList(spec: string): number[] {
  return spec.split(",").flatMap((part) => {
    const [a, b] = part.split("-").map(Number);
    return b === undefined ? [a!] : Array.from({ length: b - a! + 1 }, (_, i) => a! + i);
  });
}
