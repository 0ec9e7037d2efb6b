/**
 * The cross-trainer scores as markdown (bench/RESULTS-cross-trainer.md): how the figures were made,
 * what the corpus holds according to the labels, the run-level scores with their intervals (overall,
 * per truth state, per loss family), the losses-only monitor's per-window confusion, and its
 * commonest mistakes with example runs. Hand-written findings are appended from a notes file.
 */
import { TRUTH_STATES } from "../scenarios/labels.ts";
import { int, num, pct, table } from "../scenarios/markdown-table.ts";
import type { Interval } from "./bootstrap.ts";
import type { CrossFamily } from "./corpus.ts";
import type { CorpusEvaluation, DetectorScores, RunResult, Scored } from "./score.ts";

export interface ReportContext {
  command: string;
  date: string;
  machine: string;
  provenance: string;
  analysisSeconds: number;
  resamples: number;
  /** Each run's generation wall time in seconds (the corpus keeps it). */
  generationSeconds: readonly number[];
  /** The detectors whose per-class and per-family tables are printed. */
  focus: readonly string[];
  notes?: string;
}

const FAMILIES: readonly CrossFamily[] = ["bce", "bce_minimax", "lsgan", "hinge", "wgan_gp", "ragan"];

function ci(i: Interval, asPct = false): string {
  const f = (x: number) => (asPct ? pct(x) : num(x));
  return `${f(i.value)} [${f(i.low)}, ${f(i.high)}]`;
}

function headline(ds: readonly DetectorScores[], pick: (d: DetectorScores) => Scored): string {
  return table(
    [
      "detector",
      "F1 [95% CI]",
      "balanced accuracy",
      "healthy runs flagged",
      "precision",
      "recall",
      "F1 at equal classes",
      "runs (unhealthy)",
    ],
    ds.map((d) => {
      const s = pick(d);
      return [
        d.name,
        ci(s.intervals.f1),
        ci(s.intervals.balancedAccuracy),
        ci(s.intervals.healthyFlagged, true),
        num(s.point.precision),
        num(s.point.recall),
        ci(s.intervals.f1Balanced),
        `${s.point.runs} (${s.point.tp + s.point.fn})`,
      ];
    }),
  );
}

function balanceTable(runs: readonly RunResult[]): string {
  const families = FAMILIES.filter((f) => runs.some((r) => r.family === f));
  const rows = TRUTH_STATES.filter((s) => runs.some((r) => r.truth.finalState === s)).map((state) => [
    state === "balanced" ? "balanced (healthy)" : state,
    ...families.map((f) => int(runs.filter((r) => r.family === f && r.truth.finalState === state).length)),
    int(runs.filter((r) => r.truth.finalState === state).length),
  ]);
  rows.push([
    "all",
    ...families.map((f) => int(runs.filter((r) => r.family === f).length)),
    int(runs.length),
  ]);
  return table(["truth at the end", ...families, "all"], rows);
}

function shareTable(runs: readonly RunResult[], what: string, key: (r: RunResult) => string): string {
  const values = [...new Set(runs.map(key))].sort();
  return table(
    [what, "runs", "healthy", "unhealthy", "share healthy"],
    values.map((f) => {
      const sub = runs.filter((r) => key(r) === f);
      const healthy = sub.filter((r) => r.truth.label === "healthy").length;
      return [f, int(sub.length), int(healthy), int(sub.length - healthy), pct(healthy / sub.length)];
    }),
  );
}

function perTruth(ds: readonly DetectorScores[]): string {
  const states = TRUTH_STATES.filter((s) => ds[0].byTruth[s]);
  return table(
    ["truth at the end (runs)", ...ds.map((d) => `${d.name}: flagged`)],
    states.map((s) => [
      `${s} (${ds[0].byTruth[s]?.point.runs})`,
      ...ds.map((d) => ci((d.byTruth[s] as Scored).intervals.flaggedShare, true)),
    ]),
  );
}

function perFamily(d: DetectorScores): string {
  return table(
    ["family", "runs (unhealthy)", "F1", "balanced accuracy", "healthy runs flagged"],
    FAMILIES.filter((f) => d.byFamily[f]).map((f) => {
      const s = d.byFamily[f] as Scored;
      return [
        f,
        `${s.point.runs} (${s.point.tp + s.point.fn})`,
        ci(s.intervals.f1),
        ci(s.intervals.balancedAccuracy),
        ci(s.intervals.healthyFlagged, true),
      ];
    }),
  );
}

function confusionTable(ev: CorpusEvaluation): string {
  const predicted = [...new Set(Object.values(ev.windowConfusion).flatMap((r) => Object.keys(r)))].sort();
  return table(
    ["truth \\ monitor", ...predicted],
    TRUTH_STATES.filter((t) => ev.windowConfusion[t]).map((t) => [
      t,
      ...predicted.map((p) => int(ev.windowConfusion[t][p] ?? 0)),
    ]),
  );
}

/** Within this much of the equilibrium (relative; absolute for Wasserstein) losses read as "at it". */
const AT_EQUILIBRIUM = 0.1;
const atEquilibrium = (r: RunResult) => Math.abs(r.discOffset) <= AT_EQUILIBRIUM;
/** Groups shown before the rest are summed into one row: singletons are not a pattern. */
const MAX_GROUPS = 8;

/** Runs grouped by a key, largest group first, each with up to four example ids. */
function groups(runs: readonly RunResult[], key: (r: RunResult) => string): string {
  const by = new Map<string, RunResult[]>();
  for (const r of runs) by.set(key(r), [...(by.get(key(r)) ?? []), r]);
  const sorted = [...by.entries()].sort((a, b) => b[1].length - a[1].length);
  const shown = sorted.slice(0, MAX_GROUPS);
  const rest = sorted.slice(MAX_GROUPS).flatMap(([, rs]) => rs);
  if (rest.length > 0) shown.push([`other (${sorted.length - MAX_GROUPS} smaller groups)`, rest]);
  return table(
    ["what", "runs", `of which losses within ${AT_EQUILIBRIUM * 100}% of equilibrium`, "examples"],
    shown.map(([k, rs]) => [
      k,
      int(rs.length),
      int(rs.filter(atEquilibrium).length),
      rs
        .slice(0, 4)
        .map((r) => `\`${r.id}\``)
        .join(", "),
    ]),
  );
}

/**
 * Each rule of the classifier scored by the runs whose verdict it decided: how many, what the verdict
 * was, and the share of them whose samples were unhealthy (for a problem rule, its precision; for
 * `no_problem`, one minus its precision).
 */
function ruleTable(runs: readonly RunResult[]): string {
  const by = new Map<string, RunResult[]>();
  for (const r of runs) by.set(r.monitor.ruleId, [...(by.get(r.monitor.ruleId) ?? []), r]);
  return table(
    ["rule (src/monitor)", "runs it decided", "unhealthy", "warning", "healthy", "truly unhealthy"],
    [...by.entries()]
      .sort((a, b) => b[1].length - a[1].length)
      .map(([rule, rs]) => {
        const n = (h: string) => int(rs.filter((r) => r.monitor.health === h).length);
        const bad = rs.filter((r) => r.truth.label === "unhealthy").length;
        return [
          `\`${rule}\``,
          int(rs.length),
          n("unhealthy"),
          n("warning"),
          n("healthy"),
          pct(bad / rs.length),
        ];
      }),
  );
}

/** What the runs whose losses end at the equilibrium turned out to be, and what the monitor said. */
function equilibriumTable(runs: readonly RunResult[], monitor: string): string {
  const at = runs.filter(atEquilibrium);
  return table(
    ["truth at the end", "runs", `${monitor}: unhealthy`, "warning", "healthy"],
    TRUTH_STATES.filter((s) => at.some((r) => r.truth.finalState === s)).map((s) => {
      const sub = at.filter((r) => r.truth.finalState === s);
      const n = (h: string) => int(sub.filter((r) => r.finals[monitor] === h).length);
      return [s, int(sub.length), n("unhealthy"), n("warning"), n("healthy")];
    }),
  );
}

export function renderReport(ev: CorpusEvaluation, ctx: ReportContext): string {
  const out: string[] = [];
  const focus = ev.detectors.filter((d) => ctx.focus.includes(d.name));
  const monitor = focus[0];
  const healthy = ev.runs.filter((r) => r.truth.label === "healthy");
  out.push("# Cross-trainer corpus: the balance monitor on GAN runs from another trainer (PyTorch)", "");
  out.push(`Generated ${ctx.date} on ${ctx.machine} by:`, "", "```sh", ctx.command, "```", "");
  out.push(
    `${ctx.provenance} ${ev.runs.length} runs (${healthy.length} healthy, ${ev.runs.length - healthy.length} unhealthy by the labels of bench/scenarios/labels.ts, primary rules). ` +
      `Analysis (labels, ${new Set(ev.detectors.map((d) => d.description)).size} detectors replayed, ${ev.detectors.length} readings scored, ${ctx.resamples} bootstrap resamples per figure): ${ctx.analysisSeconds.toFixed(0)} s. ` +
      "Brackets are 95% percentile bootstrap intervals over runs. Run level, unhealthy = positive; a run is flagged when the detector's verdict at its end is `unhealthy`.",
    "",
  );
  const secs = [...ctx.generationSeconds].sort((a, b) => a - b);
  const total = secs.reduce((a, b) => a + b, 0);
  out.push(
    `Generation (PyTorch, one thread, not rerun here): ${num(total / 3600, 1)} h for ${secs.length} runs, median ${num(secs[secs.length >> 1], 0)} s per run (${num(secs[0], 0)}-${num(secs[secs.length - 1], 0)} s).`,
    "",
  );
  if (ctx.notes) out.push(ctx.notes.trim(), "");
  out.push(
    "## Run-level scores, all runs",
    "",
    headline(ev.detectors, (d) => d.overall),
    "",
  );
  out.push(
    "## Run-level scores, the five families Nashboard knows (relativistic left out)",
    "",
    headline(focus, (d) => d.knownFamilies),
    "",
  );
  out.push(
    "## Run-level scores, the grid stratum alone (without the healthier second stratum)",
    "",
    headline(focus, (d) => d.gridStratum),
    "",
  );
  out.push(
    "## Run-level scores against the strict labels (modes >= K-1, hq >= 50%)",
    "",
    headline(focus, (d) => d.strictLabels),
    "",
  );
  out.push(
    "## What the corpus holds (truth at each run's end, per loss family)",
    "",
    balanceTable(ev.runs),
    "",
  );
  out.push("Per setting of the grid (the failure settings are meant to break a run; the labels decide):", "");
  out.push(
    shareTable(ev.runs, "setting", (r) => r.failure),
    "",
  );
  out.push(
    "Per stratum (grid.py's STRATA):",
    "",
    shareTable(ev.runs, "stratum", (r) => r.stratum),
    "",
  );
  out.push("## Share of runs flagged, per truth state", "", perTruth(focus), "");
  for (const d of focus) out.push(`## Per loss family: ${d.name}`, "", perFamily(d), "");
  out.push(
    `## Per window: ${monitor.name}`,
    "",
    "The monitor's state at each evaluation window's end (columns) against the window's truth (rows).",
    "",
    confusionTable(ev),
    "",
  );
  out.push(
    "## Each rule, scored by the runs whose verdict it decided (monitor, losses only)",
    "",
    ruleTable(ev.runs),
    "",
  );
  out.push(`## What the monitor gets wrong (${monitor.name})`, "");
  const flaggedHealthy = healthy.filter((r) => r.finals[monitor.name] === "unhealthy");
  out.push(
    `Healthy runs it calls unhealthy (${flaggedHealthy.length} of ${healthy.length}), by the verdict's main problem and the signals its rule compared with a threshold:`,
    "",
    groups(
      flaggedHealthy,
      (r) => `${r.monitor.primary ?? "none"} (${r.monitor.rule || r.monitor.summaryKey})`,
    ),
    "",
  );
  const unhealthy = ev.runs.filter((r) => r.truth.label === "unhealthy");
  const missed = unhealthy.filter((r) => r.finals[monitor.name] !== "unhealthy");
  out.push(
    `Unhealthy runs it does not call unhealthy (${missed.length} of ${unhealthy.length}), by the truth and the verdict (with the problem it saw, if any):`,
    "",
    groups(
      missed,
      (r) =>
        `${r.truth.finalState} read as ${r.monitor.health}${r.monitor.primary ? ` (${r.monitor.primary})` : ""}`,
    ),
    "",
  );
  out.push(
    `Runs whose loss_disc ends within ${AT_EQUILIBRIUM * 100}% of its equilibrium (mean of the last quarter of the logged steps; within ${AT_EQUILIBRIUM} for Wasserstein), by the truth:`,
    "",
    equilibriumTable(ev.runs, monitor.name),
    "",
  );
  out.push("## Every run", "", runTable(ev, focus), "");
  return `${out.join("\n").trimEnd()}\n`;
}

/** One row per run: its truth and what each focus detector said at its end (U = unhealthy, W = warning). */
function runTable(ev: CorpusEvaluation, focus: readonly DetectorScores[]): string {
  const mark = (h: string) => (h === "unhealthy" ? "U" : h === "warning" ? "W" : "-");
  return table(
    ["run", "truth (final window)", "monitor's verdict (losses only)", ...focus.slice(1).map((d) => d.name)],
    ev.runs.map((r) => [
      r.id,
      `${r.truth.label} (${r.truth.finalState})`,
      `${mark(r.monitor.health)} ${r.monitor.primary ?? ""} ${r.monitor.rule}`.replace(/\s+/g, " ").trim(),
      ...focus.slice(1).map((d) => mark(r.finals[d.name])),
    ]),
  );
}
