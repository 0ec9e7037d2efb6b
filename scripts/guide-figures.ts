/**
 * Makes the figures of docs/guide.md: the balance chart (loss_disc and loss_gen, the equilibrium lines,
 * the monitor's state band, alert markers) of real logs from public projects and of small trainer runs
 * that show each state. Every figure is Nashboard's own output, written as standalone SVG.
 *
 *   NASHBOARD_BACKEND=wasm node --import tsx scripts/guide-figures.ts [outDir=docs/figures]
 *
 * The trainer runs are seeded, so the figures are reproducible on the same backend.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import type { MonitorReport } from "../src/monitor/types.ts";
import { reportCharts } from "../src/report/html.ts";
import { replayPoints } from "../src/sources/replay.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { runTraining } from "../src/train/run.ts";

const out = process.argv[2] ?? fileURLToPath(new URL("../docs/figures/", import.meta.url));
const fixture = (p: string) => fileURLToPath(new URL(`../test/fixtures/real-logs/${p}`, import.meta.url));

/** Real logs: what the guide's readers will point Nashboard at. */
const LOGS: Record<string, string> = {
  "real-so-vits-svc": fixture("vits-family/wsywsy979_SVC__32k_train.log"),
  "real-so-vits-svc-resumed": fixture("vits-family/SKwths_so-vits-svc-dodo__32k_train.log"),
  "real-rvc-20-epochs": fixture("Gabrysiewicz-S8P_RVC-README-full20epochs.log"),
};

/** Small trainer runs, each known to produce one state (see test/monitor-*.test.ts). */
const small: Partial<TrainConfig> = {
  gHidden: [32, 32],
  dHidden: [32, 32],
  batch: 64,
  logInterval: 5,
  evalInterval: 0,
  checkpointInterval: 0,
  evalSamples: 500,
};
const RUNS: Record<string, Partial<TrainConfig>> = {
  "trainer-balanced": { steps: 1500 },
  "trainer-d-dominant": { steps: 1500, lrD: 1e-2, dSteps: 3 },
  "trainer-g-dominant": { steps: 1500, lrG: 1e-2, dHidden: [4] },
  "trainer-minimax": { steps: 1500, loss: "bce_minimax", lrD: 3e-3 },
  "trainer-diverged": { steps: 300, optimizer: "sgd", lrD: 3, lrG: 3 },
  "trainer-oscillating": { steps: 1500, loss: "lsgan" },
};

function save(name: string, report: MonitorReport) {
  const chart = reportCharts(report, "en", true).find((c) => c.balance);
  if (!chart) throw new Error(`${name}: no loss chart`);
  writeFileSync(join(out, `${name}.svg`), `${chart.svg}\n`);
  const states = [...new Set(report.timeline.map((e) => e.state))].join(", ");
  console.log(
    `${name}: ${report.verdict.health} (${report.verdict.primary ?? "no problem"}); states ${states}`,
  );
}

for (const [name, path] of Object.entries(LOGS)) {
  const { runs } = await readRuns(path);
  const monitor = new BalanceMonitor({ hints: runs[0].hints });
  for (const p of replayPoints(runs[0])) monitor.push(p);
  monitor.flush();
  save(name, monitor.report());
}
const scratch = mkdtempSync(join(tmpdir(), "nashboard-figures-"));
for (const [name, overrides] of Object.entries(RUNS)) {
  const result = await runTraining(
    { ...DEFAULT_CONFIG, ...small, ...overrides },
    { dir: join(scratch, name) },
  );
  if (!result.report) throw new Error(`${name}: the run did not complete`);
  save(name, result.report);
  const f = result.final;
  console.log(
    `  evaluator: ${f?.modes}/${f?.modes_total} modes, ${((f?.hq ?? 0) * 100).toFixed(1)}% high quality, JSD ${f?.jsd.toFixed(3)}`,
  );
}
rmSync(scratch, { recursive: true, force: true });
