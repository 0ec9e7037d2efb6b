/**
 * bench/steer.ts's markdown: the benchmark table beside the published rows (VEEGAN Table 1, PacGAN
 * Table 1, as quoted in issue 6 and the GAN notes §4), the do-no-harm table (issue 17, item 1), and the
 * rescue tables for Nashboard's trainer and for the steered PyTorch runs (item 2). The figures come
 * from steer-rows.ts and the health rule from steer-outcomes.ts; this file only lays them out.
 * Mean ± standard error over seeds, as PacGAN reports them; shares with a Wilson 95% interval.
 */
import { budgetOf, FULL, type Outcome } from "./steer-outcomes.ts";
import { at, ceilingRows, DATASETS, harmRows, meanSe, paired, rescueCount, wilson } from "./steer-rows.ts";

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

/** One row of a markdown table. */
const row = (...cells: (string | number)[]) => `| ${cells.join(" | ")} |`;

/** A markdown table's header row ("a | b | c") and the rule under it. */
const header = (names: string) => [`| ${names} |`, `|${"---|".repeat(names.split(" | ").length)}`];

/** A fraction (0..1) as a percentage, to `digits` places. */
const percent = (hq: number, digits = 1) => (100 * hq).toFixed(digits);

/** A mean and its standard error, to `digits` places. */
const plusMinus = ({ m, se }: { m: number; se: number }, digits: number) =>
  `${m.toFixed(digits)} ± ${se.toFixed(digits)}`;

/** Mean ± standard error of `xs`, or "n/a" when there are none. */
function fmt(xs: number[], digits: number): string {
  return xs.length === 0 ? "n/a" : plusMinus(meanSe(xs), digits);
}

/** k/n (p%, [lo, hi]) */
export function share(k: number, n: number): string {
  if (n === 0) return "0/0";
  const [lo, hi] = wilson(k, n);
  const pc = (x: number) => `${percent(x, 0)}%`;
  return `${k}/${n} (${pc(k / n)}, ${pc(lo)}–${pc(hi)})`;
}

function tableRows(outcomes: Outcome[]): string[] {
  const full = outcomes.filter((o) => o.part === "table" && budgetOf(o) === FULL[o.dataset]);
  const arms = [...new Set(full.map((o) => o.arm))];
  const columns = DATASETS.map((d) => `${d} modes | ${d} HQ % | ${d} reverse KL | ${d} JSD`);
  const lines = header(`method | ${columns.join(" | ")} | seeds`);
  // The published rows have no JSD and no seed count.
  for (const p of PUBLISHED)
    lines.push(`| ${p[0]} | ${p[1]} | ${p[2]} | ${p[3]} | | ${p[4]} | ${p[5]} | ${p[6]} | | |`);
  for (const arm of arms) {
    const cells: string[] = [];
    const counts: number[] = [];
    for (const dataset of DATASETS) {
      const rs = full.filter((o) => o.arm === arm && o.dataset === dataset);
      counts.push(rs.length);
      const kl = rs.map((r) => r.reverse_kl).filter((x): x is number => x !== null && Number.isFinite(x));
      const modes = rs.map((r) => r.modes);
      const hq = rs.map((r) => 100 * r.hq);
      cells.push(
        fmt(modes, 1),
        fmt(hq, 1),
        fmt(kl, 2),
        fmt(
          rs.map((r) => r.jsd),
          3,
        ),
      );
    }
    lines.push(row(`**Nashboard: ${arm}**`, ...cells, counts.join(" / ")));
  }
  return lines;
}

function harmTable(outcomes: Outcome[]): string[] {
  const rows = harmRows(outcomes);
  if (rows.length === 0) return [];
  const lines = header(
    "healthy setting | dataset | steps | seeds | HQ % without | HQ % with | paired difference (points) | seeds that lose a mode | runs the controller moved | no harm",
  );
  for (const r of rows)
    lines.push(
      row(
        r.pair,
        r.dataset,
        r.steps,
        r.seeds.length,
        r.hqWithout.toFixed(1),
        r.hqWith.toFixed(1),
        `${r.diff.m >= 0 ? "+" : ""}${plusMinus(r.diff, 1)}`,
        r.lostModes.length === 0 ? "none" : r.lostModes.join(", "),
        `${r.moved.length}/${r.seeds.length}`,
        r.pass ? "yes" : "**no**",
      ),
    );
  return lines;
}

function ceilingTable(outcomes: Outcome[]): string[] {
  const rows = ceilingRows(outcomes);
  if (rows.length === 0) return [];
  const lines = header(
    "healthy setting, without the controller | dataset | steps | strict (≥ K−1 modes, ≥ 50% HQ) | lenient (≥ 25% HQ) | seeds",
  );
  for (const r of rows)
    lines.push(
      row(
        r.arm,
        r.dataset,
        r.steps,
        share(r.strict, r.seeds.length),
        share(r.lenient, r.seeds.length),
        r.seeds.join(", "),
      ),
    );
  return lines;
}

function rescueTables(outcomes: Outcome[]): string[] {
  const lines: string[] = [];
  const mean = (xs: number[]) => meanSe(xs).m;
  for (const p of RESCUE_PARTS) {
    const mine = outcomes.filter((o) => o.part === p.part);
    if (mine.length === 0) continue;
    const budgets = [...new Set(mine.map(budgetOf))].sort((a, b) => a - b);
    const settings = [...new Set(mine.map((o) => o.setting!))];
    // The pairs of each broken setting, dataset and budget that has any: both tables below list them.
    const made = settings
      .flatMap((setting) =>
        DATASETS.flatMap((dataset) =>
          budgets.map((steps) => ({
            setting,
            dataset,
            steps,
            pairs: paired(
              outcomes,
              p.part,
              p.without,
              p.with,
              (o) => o.setting === setting && o.dataset === dataset && budgetOf(o) === steps,
            ),
          })),
        ),
      )
      .filter((g) => g.pairs.length > 0);
    lines.push(`#### ${p.trainer}`, "");
    lines.push(
      ...header(
        "steps | rescued, strict (≥ K−1 modes, ≥ 50% HQ) | rescued, lenient (≥ 25% HQ) | healthy runs the steering cost (strict / lenient) | runs",
      ),
    );
    for (const steps of budgets) {
      const pairs = paired(outcomes, p.part, p.without, p.with, (o) => budgetOf(o) === steps);
      const s = rescueCount(pairs, false);
      const l = rescueCount(pairs, true);
      lines.push(
        row(
          steps,
          share(s.rescued, s.broken),
          share(l.rescued, l.broken),
          `${s.harmed} / ${l.harmed}`,
          `${pairs.length} pairs`,
        ),
      );
    }
    lines.push(
      "",
      ...header(
        "broken setting | dataset | steps | broken (strict) | rescued (strict) | broken (lenient) | rescued (lenient) | modes without → with | HQ % without → with",
      ),
    );
    for (const { setting, dataset, steps, pairs } of made) {
      const s = rescueCount(pairs, false);
      const l = rescueCount(pairs, true);
      /** The mean of a figure without → with, over the pairs. */
      const change = (f: (o: Outcome) => number) =>
        `${mean(pairs.map(([w]) => f(w))).toFixed(1)} → ${mean(pairs.map(([, c]) => f(c))).toFixed(1)}`;
      lines.push(
        row(
          setting,
          dataset,
          steps,
          `${s.broken}/${pairs.length}`,
          `${s.rescued}/${s.broken}`,
          `${l.broken}/${pairs.length}`,
          `${l.rescued}/${l.broken}`,
          change((o) => o.modes),
          change((o) => 100 * o.hq),
        ),
      );
    }
    lines.push(
      "",
      "Per seed, modes / HQ % without → with:",
      "",
      ...header("broken setting | dataset | steps | seeds"),
    );
    for (const { setting, dataset, steps, pairs } of made) {
      const one = (o: Outcome) => `${o.modes} / ${percent(o.hq, 0)}`;
      lines.push(
        row(setting, dataset, steps, pairs.map(([w, c]) => `s${w.seed} ${one(w)} → ${one(c)}`).join("; ")),
      );
    }
    lines.push("");
  }
  return lines;
}

function perSeedRows(outcomes: Outcome[]): string[] {
  const lines = header("arm | dataset | steps | modes per seed | HQ % per seed");
  const table = outcomes.filter((o) => o.part === "table");
  for (const arm of [...new Set(table.map((o) => o.arm))])
    for (const dataset of DATASETS) {
      const rs = at(table, (o) => o.arm === arm && o.dataset === dataset && budgetOf(o) === FULL[dataset]);
      if (rs.length === 0) continue;
      lines.push(
        row(
          arm,
          dataset,
          FULL[dataset]!,
          rs.map((r) => r.modes).join(", "),
          rs.map((r) => percent(r.hq)).join(", "),
        ),
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
