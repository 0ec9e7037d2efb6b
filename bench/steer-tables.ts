/**
 * bench/steer.ts's outcomes files and markdown: the benchmark table beside the published rows (VEEGAN Table 1, PacGAN
 * Table 1, as quoted in issue 6 and the GAN notes §4), and the rescue table. Mean ± standard error over
 * seeds, as PacGAN reports them.
 *
 * "Healthy" in the rescue table, from the evaluator (decided before the rescue runs were made):
 *   - primary: at least K - 1 modes covered and at least 25% high-quality samples: no collapse, and
 *     samples with structure (the labelled scenario suite's threshold for good samples, bench/scenarios/
 *     labels.ts: the default GAN reaches 25-80% at this budget, a generator without structure < 2%);
 *   - strict: at least K - 1 modes and at least 50% high quality (the anchors' rule, notes §6);
 *   - and, beside them, the share of runs whose monitor verdict was "healthy" (the losses' reading).
 */
import { readFileSync } from "node:fs";

export interface Outcome {
  part: "table" | "rescue";
  arm: string;
  setting?: string;
  dataset: string;
  seed: number;
  flags: string[];
  modes: number;
  modes_total: number;
  hq: number;
  reverse_kl: number | null;
  jsd: number;
  seconds: number;
  verdict: string;
  controlEvents: number;
  r1SwitchedOn: boolean;
  /** The machine's 1-minute load average when the run ended (both cores busy: about 2). */
  load?: number;
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

export function meanSe(xs: number[]): { m: number; se: number } {
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, xs.length - 1));
  return { m, se: sd / Math.sqrt(xs.length) };
}

function fmt(xs: number[], digits: number): string {
  if (xs.length === 0) return "n/a";
  const { m, se } = meanSe(xs);
  return `${m.toFixed(digits)} ± ${se.toFixed(digits)}`;
}

/** The evaluator's primary and strict health, and the monitor's. */
export function healthy(o: Outcome, strict = false): boolean {
  return o.modes >= o.modes_total - 1 && o.hq >= (strict ? 0.5 : 0.25);
}

function tableRows(outcomes: Outcome[]): string[] {
  const arms = [...new Set(outcomes.filter((o) => o.part === "table").map((o) => o.arm))];
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
      const rs = outcomes.filter((o) => o.part === "table" && o.arm === arm && o.dataset === dataset);
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

function perSeedRows(outcomes: Outcome[]): string[] {
  const lines = ["| arm | dataset | modes per seed | HQ % per seed |", "|---|---|---|---|"];
  const arms = [...new Set(outcomes.filter((o) => o.part === "table").map((o) => o.arm))];
  for (const arm of arms)
    for (const dataset of ["ring8", "grid25"]) {
      const rs = outcomes
        .filter((o) => o.part === "table" && o.arm === arm && o.dataset === dataset)
        .sort((a, b) => a.seed - b.seed);
      if (rs.length === 0) continue;
      lines.push(
        `| ${arm} | ${dataset} | ${rs.map((r) => r.modes).join(", ")} | ${rs.map((r) => (100 * r.hq).toFixed(1)).join(", ")} |`,
      );
    }
  return lines;
}

function rescueRows(outcomes: Outcome[]): string[] {
  const rescue = outcomes.filter((o) => o.part === "rescue");
  const settings = [...new Set(rescue.map((o) => o.setting!))];
  const share = (xs: boolean[]) => `${xs.filter(Boolean).length}/${xs.length}`;
  const lines = [
    "| broken setting (ring8) | arm | healthy (≥ K−1 modes, ≥ 25% HQ) | strict (≥ 50% HQ) | monitor verdict healthy | modes | HQ % | R1 switched on |",
    "|---|---|---|---|---|---|---|---|",
  ];
  for (const setting of settings)
    for (const arm of [...new Set(rescue.filter((o) => o.setting === setting).map((o) => o.arm))]) {
      const rs = rescue.filter((o) => o.setting === setting && o.arm === arm);
      lines.push(
        `| ${setting} | ${arm} | ${share(rs.map((r) => healthy(r)))} | ${share(rs.map((r) => healthy(r, true)))} | ${share(rs.map((r) => r.verdict === "healthy"))} | ${fmt(
          rs.map((r) => r.modes),
          1,
        )} | ${fmt(
          rs.map((r) => 100 * r.hq),
          1,
        )} | ${share(rs.map((r) => r.r1SwitchedOn))} |`,
      );
    }
  // Rescued: of the seeds unhealthy without the controller, the share healthy with it (same seed).
  const without = rescue.filter((o) => o.arm === "without controller" && !healthy(o));
  const rescued = without.filter((o) =>
    rescue.some(
      (w) => w.arm === "with controller" && w.setting === o.setting && w.seed === o.seed && healthy(w),
    ),
  );
  const paired = without.filter((o) =>
    rescue.some((w) => w.arm === "with controller" && w.setting === o.setting && w.seed === o.seed),
  );
  lines.push(
    "",
    `Rescued (primary rule): ${rescued.length} of the ${paired.length} broken runs that ended unhealthy without the controller ended healthy with it (same setting and seed).`,
  );
  return lines;
}

export function renderTables(outcomes: Outcome[]): string {
  const minutes = outcomes.reduce((a, o) => a + o.seconds, 0) / 60;
  const loads = outcomes.map((o) => o.load).filter((x): x is number => x !== undefined);
  const load =
    loads.length > 0
      ? `; 1-minute load average at the end of each run: mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(2)}, max ${Math.max(...loads).toFixed(2)}`
      : "";
  return [
    "### Benchmark (mean ± standard error over seeds)",
    "",
    ...tableRows(outcomes),
    "",
    "Per seed:",
    "",
    ...perSeedRows(outcomes),
    "",
    "### Rescue",
    "",
    ...rescueRows(outcomes),
    "",
    `(${outcomes.length} runs, ${minutes.toFixed(0)} training-minutes summed over runs${load})`,
  ].join("\n");
}

/** The outcomes of one or more files (comma-separated); a later file's run replaces an earlier one's. */
export function readOutcomes(paths: string): Outcome[] {
  const byRun = new Map<string, Outcome>();
  for (const path of paths.split(","))
    for (const line of readFileSync(path, "utf8").split("\n").filter(Boolean)) {
      const o = JSON.parse(line) as Outcome;
      byRun.set(JSON.stringify([o.part, o.arm, o.setting, o.dataset, o.seed]), o);
    }
  return [...byRun.values()];
}
