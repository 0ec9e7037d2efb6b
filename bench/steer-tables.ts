/**
 * bench/steer.ts's outcomes files and markdown: the benchmark table beside the published rows (VEEGAN
 * Table 1, PacGAN Table 1, as quoted in issue 6 and the GAN notes §4), the do-no-harm table (issue 17,
 * item 1), and the rescue tables for Nashboard's trainer and for the steered PyTorch runs (item 2).
 * Mean ± standard error over seeds, as PacGAN reports them; shares with a Wilson 95% interval.
 *
 * "Healthy", from the evaluator (decided before the rescue runs were made):
 *   - strict: at least K - 1 modes covered and at least 50% high-quality samples (the anchors' rule,
 *     notes §6); the rule issue 17's goal is stated in;
 *   - lenient: at least K - 1 modes and at least 25% high quality (the labelled scenario suite's
 *     threshold for good samples, bench/scenarios/labels.ts). Never reported alone.
 * "Broken": a run that is not healthy without the controller; "rescued": a broken run whose twin (same
 * setting, dataset, seed and budget) is healthy with it, under the same rule.
 * "No harm" on a healthy setting, paired over seeds: the mean difference of high quality (controller
 * minus without) is at least -2 points, and no seed ends with fewer modes with the controller.
 */
import { readFileSync } from "node:fs";

export interface Outcome {
  part: "table" | "rescue" | "torch";
  arm: string;
  setting?: string;
  dataset: string;
  seed: number;
  flags: string[];
  /** Which trainer ran it (absent in the issue-6 files: Nashboard's). */
  trainer?: "nashboard" | "pytorch";
  /** The budget it is scored at: the step of the evaluation (absent in the issue-6 files: the run's end). */
  steps?: number;
  modes: number;
  modes_total: number;
  hq: number;
  reverse_kl: number | null;
  jsd: number;
  seconds: number;
  /** The monitor's verdict on the whole run (at the run's end only). */
  verdict?: string;
  controlEvents: number;
  r1SwitchedOn: boolean;
  /** The machine's 1-minute load average when the run ended (both cores busy: about 2). */
  load?: number;
  /** Steered PyTorch runs: watch's learning-rate decisions, how many the trainer's log shows applied,
   *  and the median training steps from a decision to the first logged step showing it. */
  decisions?: number;
  shown?: number;
  lagSteps?: number;
}

/** Published rows: [method, ring modes, ring hq %, ring rKL, grid modes, grid hq %, grid rKL]. */
const PUBLISHED: [string, string, string, string, string, string, string][] = [
  ["VEEGAN T1: GAN", "1", "99.3", "", "3.3", "0.5", ""],
  ["VEEGAN T1: Unrolled GAN", "7.6", "35.6", "", "23.6", "16", ""],
  ["VEEGAN T1: VEEGAN", "8", "52.9", "", "24.6", "40", ""],
  ["PacGAN T1: GAN", "6.3 ± 0.5", "98.2 ± 0.2", "0.45 ± 0.09", "17.3 ± 0.8", "94.8 ± 0.7", "0.70 ± 0.07"],
  ["PacGAN T1: PacGAN2", "7.9 ± 0.1", "95.6 ± 2.0", "0.07 ± 0.03", "23.8 ± 0.7", "91.3 ± 0.8", "0.13 ± 0.04"],
  ["PacGAN T1: PacGAN3", "7.8 ± 0.1", "97.7 ± 0.3", "0.10 ± 0.02", "24.6 ± 0.4", "94.2 ± 0.4", "0.06 ± 0.02"],
  ["PacGAN T1: PacGAN4", "7.8 ± 0.1", "95.9 ± 1.4", "0.07 ± 0.02", "24.8 ± 0.2", "93.6 ± 0.6", "0.04 ± 0.01"],
];

/** The table's full lengths (bench/steer.ts STEPS), for outcomes that do not say their budget. */
const FULL: Record<string, number> = { ring8: 12000, grid25: 16000 };
const RESCUE_FULL = 6000;

/** The healthy settings of the table: each arm without the controller and its twin with it. */
export const HARM_PAIRS: [string, string][] = [
  ["plain GAN", "controller"],
  ["remedies", "controller + remedies"],
];

/** The rescue parts: which arms are the runs without and with steering. */
const RESCUE_PARTS = [
  {
    part: "rescue",
    trainer: "Nashboard's trainer, --controller",
    without: "without controller",
    with: "with controller",
  },
  { part: "torch", trainer: "PyTorch, watch --steer", without: "without steer", with: "with steer" },
] as const;

export function budgetOf(o: Outcome): number {
  return o.steps ?? (o.part === "table" ? FULL[o.dataset]! : RESCUE_FULL);
}

export function meanSe(xs: number[]): { m: number; se: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
}

/** Wilson's 95% interval of k successes in n. */
export function wilson(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.96;
  const p = k / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = ((z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) as number;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

function fmt(xs: number[], digits: number): string {
  if (xs.length === 0) return "n/a";
  const { m, se } = meanSe(xs);
  return `${m.toFixed(digits)} ± ${se.toFixed(digits)}`;
}

/** k/n (p%, [lo, hi]) */
export function share(k: number, n: number): string {
  if (n === 0) return "0/0";
  const [lo, hi] = wilson(k, n);
  const pc = (x: number) => `${Math.round(100 * x)}%`;
  return `${k}/${n} (${pc(k / n)}, ${pc(lo)}–${pc(hi)})`;
}

/** Strict (the default) or lenient health. */
export function healthy(o: Outcome, lenient = false): boolean {
  return o.modes >= o.modes_total - 1 && o.hq >= (lenient ? 0.25 : 0.5);
}

const at = (outcomes: Outcome[], f: (o: Outcome) => boolean) =>
  outcomes.filter(f).sort((a, b) => a.seed - b.seed);

function tableRows(outcomes: Outcome[]): string[] {
  const full = outcomes.filter((o) => o.part === "table" && budgetOf(o) === FULL[o.dataset]);
  const arms = [...new Set(full.map((o) => o.arm))];
  const lines = [
    "| method | ring8 modes | ring8 HQ % | ring8 reverse KL | ring8 JSD | grid25 modes | grid25 HQ % | grid25 reverse KL | grid25 JSD | seeds |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const p of PUBLISHED)
    lines.push(`| ${p[0]} | ${p[1]} | ${p[2]} | ${p[3]} | | ${p[4]} | ${p[5]} | ${p[6]} | | |`);
  for (const arm of arms) {
    const cells: string[] = [];
    const counts: number[] = [];
    for (const dataset of ["ring8", "grid25"]) {
      const rs = full.filter((o) => o.arm === arm && o.dataset === dataset);
      counts.push(rs.length);
      const kl = rs.map((r) => r.reverse_kl).filter((x): x is number => x !== null && Number.isFinite(x));
      cells.push(
        fmt(
          rs.map((r) => r.modes),
          1,
        ),
        fmt(
          rs.map((r) => 100 * r.hq),
          1,
        ),
        fmt(kl, 2),
        fmt(
          rs.map((r) => r.jsd),
          3,
        ),
      );
    }
    lines.push(`| **Nashboard: ${arm}** | ${cells.join(" | ")} | ${counts.join(" / ")} |`);
  }
  return lines;
}

/** Runs both arms of a pair made: [without, with], the same setting, dataset, seed and budget. */
function paired(
  outcomes: Outcome[],
  part: string,
  without: string,
  withArm: string,
  f: (o: Outcome) => boolean,
) {
  const a = at(outcomes, (o) => o.part === part && o.arm === without && f(o));
  return a
    .map(
      (w) =>
        [
          w,
          outcomes.find(
            (o) =>
              o.part === part &&
              o.arm === withArm &&
              f(o) &&
              o.seed === w.seed &&
              o.setting === w.setting &&
              o.dataset === w.dataset &&
              budgetOf(o) === budgetOf(w),
          ),
        ] as const,
    )
    .filter((p): p is readonly [Outcome, Outcome] => p[1] !== undefined);
}

export interface HarmRow {
  pair: string;
  dataset: string;
  steps: number;
  seeds: number[];
  hqWithout: number;
  hqWith: number;
  diff: { m: number; se: number };
  /** Seeds that end with fewer modes with the controller. */
  lostModes: number[];
  /** Seeds whose run the controller moved at all (any event up to this budget). */
  moved: number[];
  pass: boolean;
}

/** The do-no-harm rows: per healthy setting, dataset and budget, the paired difference over seeds. */
export function harmRows(outcomes: Outcome[]): HarmRow[] {
  const rows: HarmRow[] = [];
  for (const [without, withArm] of HARM_PAIRS)
    for (const dataset of ["ring8", "grid25"])
      for (const steps of [
        ...new Set(outcomes.filter((o) => o.part === "table" && o.dataset === dataset).map(budgetOf)),
      ].sort((a, b) => a - b)) {
        const pairs = paired(
          outcomes,
          "table",
          without,
          withArm,
          (o) => o.dataset === dataset && budgetOf(o) === steps,
        );
        if (pairs.length === 0) continue;
        const diff = meanSe(pairs.map(([w, c]) => 100 * (c.hq - w.hq)));
        const lostModes = pairs.filter(([w, c]) => c.modes < w.modes).map(([w]) => w.seed);
        const moved = pairs.filter(([, c]) => c.controlEvents > 0).map(([w]) => w.seed);
        rows.push({
          pair: `${without} → ${withArm}`,
          dataset,
          steps,
          seeds: pairs.map(([w]) => w.seed),
          hqWithout: meanSe(pairs.map(([w]) => 100 * w.hq)).m,
          hqWith: meanSe(pairs.map(([, c]) => 100 * c.hq)).m,
          diff,
          lostModes,
          moved,
          pass: diff.m >= -2 && lostModes.length === 0,
        });
      }
  return rows;
}

function harmTable(outcomes: Outcome[]): string[] {
  const rows = harmRows(outcomes);
  if (rows.length === 0) return [];
  const lines = [
    "| healthy setting | dataset | steps | seeds | HQ % without | HQ % with | paired difference (points) | seeds that lose a mode | runs the controller moved | no harm |",
    "|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.pair} | ${r.dataset} | ${r.steps} | ${r.seeds.length} | ${r.hqWithout.toFixed(1)} | ${r.hqWith.toFixed(1)} | ${r.diff.m >= 0 ? "+" : ""}${r.diff.m.toFixed(1)} ± ${r.diff.se.toFixed(1)} | ${r.lostModes.length === 0 ? "none" : r.lostModes.join(", ")} | ${r.moved.length}/${r.seeds.length} | ${r.pass ? "yes" : "**no**"} |`,
    );
  return lines;
}

export interface CeilingRow {
  arm: string;
  dataset: string;
  steps: number;
  seeds: number[];
  strict: number;
  lenient: number;
}

/**
 * The ceiling of a rescue (issue 17): how often a healthy setting's run without the controller passes
 * the rescue's rules at each budget. A broken run cannot be expected to do better once rescued than a
 * run that was never broken, so a setting's rescue rate is read against this.
 */
export function ceilingRows(outcomes: Outcome[]): CeilingRow[] {
  const rows: CeilingRow[] = [];
  for (const [arm] of HARM_PAIRS)
    for (const dataset of ["ring8", "grid25"]) {
      const mine = outcomes.filter((o) => o.part === "table" && o.arm === arm && o.dataset === dataset);
      for (const steps of [...new Set(mine.map(budgetOf))].sort((a, b) => a - b)) {
        const rs = at(mine, (o) => budgetOf(o) === steps);
        rows.push({
          arm,
          dataset,
          steps,
          seeds: rs.map((o) => o.seed),
          strict: rs.filter((o) => healthy(o)).length,
          lenient: rs.filter((o) => healthy(o, true)).length,
        });
      }
    }
  return rows;
}

function ceilingTable(outcomes: Outcome[]): string[] {
  const rows = ceilingRows(outcomes);
  if (rows.length === 0) return [];
  const lines = [
    "| healthy setting, without the controller | dataset | steps | strict (≥ K−1 modes, ≥ 50% HQ) | lenient (≥ 25% HQ) | seeds |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of rows)
    lines.push(
      `| ${r.arm} | ${r.dataset} | ${r.steps} | ${share(r.strict, r.seeds.length)} | ${share(r.lenient, r.seeds.length)} | ${r.seeds.join(", ")} |`,
    );
  return lines;
}

export interface RescueCount {
  broken: number;
  rescued: number;
  /** Healthy without and not with: runs the steering cost. */
  harmed: number;
}

/** Broken, rescued and harmed runs among the pairs `f` selects, under one rule. */
export function rescueCount(pairs: (readonly [Outcome, Outcome])[], lenient: boolean): RescueCount {
  const broken = pairs.filter(([w]) => !healthy(w, lenient));
  return {
    broken: broken.length,
    rescued: broken.filter(([, c]) => healthy(c, lenient)).length,
    harmed: pairs.filter(([w, c]) => healthy(w, lenient) && !healthy(c, lenient)).length,
  };
}

function rescueTables(outcomes: Outcome[]): string[] {
  const lines: string[] = [];
  for (const p of RESCUE_PARTS) {
    const mine = outcomes.filter((o) => o.part === p.part);
    if (mine.length === 0) continue;
    const budgets = [...new Set(mine.map(budgetOf))].sort((a, b) => a - b);
    const settings = [...new Set(mine.map((o) => o.setting!))];
    lines.push(`#### ${p.trainer}`, "");
    lines.push(
      "| steps | rescued, strict (≥ K−1 modes, ≥ 50% HQ) | rescued, lenient (≥ 25% HQ) | healthy runs the steering cost (strict / lenient) | runs |",
      "|---|---|---|---|---|",
    );
    for (const steps of budgets) {
      const pairs = paired(outcomes, p.part, p.without, p.with, (o) => budgetOf(o) === steps);
      const s = rescueCount(pairs, false);
      const l = rescueCount(pairs, true);
      lines.push(
        `| ${steps} | ${share(s.rescued, s.broken)} | ${share(l.rescued, l.broken)} | ${s.harmed} / ${l.harmed} | ${pairs.length} pairs |`,
      );
    }
    lines.push(
      "",
      "| broken setting | dataset | steps | broken (strict) | rescued (strict) | broken (lenient) | rescued (lenient) | modes without → with | HQ % without → with |",
      "|---|---|---|---|---|---|---|---|---|",
    );
    for (const setting of settings)
      for (const dataset of ["ring8", "grid25"])
        for (const steps of budgets) {
          const pairs = paired(
            outcomes,
            p.part,
            p.without,
            p.with,
            (o) => o.setting === setting && o.dataset === dataset && budgetOf(o) === steps,
          );
          if (pairs.length === 0) continue;
          const s = rescueCount(pairs, false);
          const l = rescueCount(pairs, true);
          const mean = (xs: number[]) => meanSe(xs).m;
          lines.push(
            `| ${setting} | ${dataset} | ${steps} | ${s.broken}/${pairs.length} | ${s.rescued}/${s.broken} | ${l.broken}/${pairs.length} | ${l.rescued}/${l.broken} | ${mean(pairs.map(([w]) => w.modes)).toFixed(1)} → ${mean(pairs.map(([, c]) => c.modes)).toFixed(1)} | ${mean(pairs.map(([w]) => 100 * w.hq)).toFixed(1)} → ${mean(pairs.map(([, c]) => 100 * c.hq)).toFixed(1)} |`,
          );
        }
    lines.push(
      "",
      "Per seed, modes / HQ % without → with:",
      "",
      "| broken setting | dataset | steps | seeds |",
      "|---|---|---|---|",
    );
    for (const setting of settings)
      for (const dataset of ["ring8", "grid25"])
        for (const steps of budgets) {
          const pairs = paired(
            outcomes,
            p.part,
            p.without,
            p.with,
            (o) => o.setting === setting && o.dataset === dataset && budgetOf(o) === steps,
          );
          if (pairs.length === 0) continue;
          const one = (o: Outcome) => `${o.modes} / ${(100 * o.hq).toFixed(0)}`;
          lines.push(
            `| ${setting} | ${dataset} | ${steps} | ${pairs.map(([w, c]) => `s${w.seed} ${one(w)} → ${one(c)}`).join("; ")} |`,
          );
        }
    lines.push("");
  }
  return lines;
}

function perSeedRows(outcomes: Outcome[]): string[] {
  const lines = ["| arm | dataset | steps | modes per seed | HQ % per seed |", "|---|---|---|---|---|"];
  const table = outcomes.filter((o) => o.part === "table");
  for (const arm of [...new Set(table.map((o) => o.arm))])
    for (const dataset of ["ring8", "grid25"]) {
      const rs = at(table, (o) => o.arm === arm && o.dataset === dataset && budgetOf(o) === FULL[dataset]);
      if (rs.length === 0) continue;
      lines.push(
        `| ${arm} | ${dataset} | ${FULL[dataset]} | ${rs.map((r) => r.modes).join(", ")} | ${rs.map((r) => (100 * r.hq).toFixed(1)).join(", ")} |`,
      );
    }
  return lines;
}

export function renderTables(outcomes: Outcome[]): string {
  // Each run is counted once, at its longest budget, in the minutes.
  const runs = new Map<string, number>();
  for (const o of outcomes) {
    const key = JSON.stringify([o.part, o.arm, o.setting, o.dataset, o.seed]);
    runs.set(key, Math.max(runs.get(key) ?? 0, o.seconds));
  }
  const minutes = [...runs.values()].reduce((a, s) => a + s, 0) / 60;
  const loads = outcomes.map((o) => o.load).filter((x): x is number => x !== undefined);
  const load =
    loads.length > 0
      ? `; 1-minute load average at the end of each run: mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`
      : "";
  const harm = harmTable(outcomes);
  const ceiling = ceilingTable(outcomes);
  return [
    "### Benchmark (mean ± standard error over seeds)",
    "",
    ...tableRows(outcomes),
    "",
    "Per seed:",
    "",
    ...perSeedRows(outcomes),
    "",
    ...(harm.length > 0 ? ["### Do no harm (paired over seeds)", "", ...harm, ""] : []),
    ...(ceiling.length > 0
      ? ["### The ceiling: healthy runs under the rescue's rules", "", ...ceiling, ""]
      : []),
    "### Rescue",
    "",
    ...rescueTables(outcomes),
    `(${outcomes.length} outcomes of ${runs.size} runs, ${minutes.toFixed(0)} training-minutes summed over runs${load})`,
  ].join("\n");
}

/** One outcome's identity: a later file's outcome with the same key replaces an earlier one's. */
export function outcomeKey(
  o: Pick<Outcome, "part" | "arm" | "setting" | "dataset" | "seed" | "steps">,
): string {
  // An issue-6 outcome says no budget: it is the run's end, the same outcome as one that says so.
  return JSON.stringify([o.part, o.arm, o.setting, o.dataset, o.seed, budgetOf(o as Outcome)]);
}

/** The outcomes of one or more files (comma-separated); a later file's outcome replaces an earlier one's. */
export function readOutcomes(paths: string): Outcome[] {
  const byRun = new Map<string, Outcome>();
  for (const path of paths.split(","))
    for (const line of readFileSync(path, "utf8").split("\n").filter(Boolean)) {
      const o = JSON.parse(line) as Outcome;
      byRun.set(outcomeKey(o), o);
    }
  return [...byRun.values()];
}
