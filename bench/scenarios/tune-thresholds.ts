/**
 * Tunes the monitor's threshold values by measurement on the tuning seeds only: replays the saved runs
 * of those seeds through the monitor fed the losses only, for every combination of the candidate
 * values given, and prints the combinations by run-level F1 (reading "unhealthy"), then by the share
 * of unhealthy runs caught in their first half. The held-out seeds are never read here. The grid is
 * either candidate values per threshold (every combination is tried) or a list of override objects.
 *
 *   node --import tsx bench/scenarios/tune-thresholds.ts RUNS_DIR '{"gapDominant":[0.4,0.5],"stallSpread":[0.005,0.01]}' [--train-seeds 0,1] [--top 15]
 *   node --import tsx bench/scenarios/tune-thresholds.ts RUNS_DIR --one-at-a-time 0.5,0.75,1.5,2
 */

import type { MonitorThresholds } from "../../src/monitor/thresholds.ts";
import { MONITOR_THRESHOLDS } from "../../src/monitor/thresholds.ts";
import { replay } from "./detector.ts";
import { LOSS_TAGS, monitorDetector } from "./detector-monitor.ts";
import { labelRun } from "./labels.ts";
import { loadRuns } from "./run-data.ts";
import { runLevelScores, type ScoredRun } from "./scoring.ts";

const [root, gridText] = process.argv.slice(2);
if (!root || !gridText) {
  console.error("usage: tune-thresholds.ts RUNS_DIR GRID_JSON [--train-seeds 0,1] [--top 15]");
  process.exit(2);
}
const opt = (name: string, fallback: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const trainSeeds = opt("--train-seeds", "0,1").split(",").map(Number);
const top = Number(opt("--top", "15"));

/** Each threshold alone scaled by each factor (integers rounded, at least 1), the table as it is first. */
function oneAtATime(factors: number[]): Partial<MonitorThresholds>[] {
  const out: Partial<MonitorThresholds>[] = [{}];
  for (const [name, value] of Object.entries(MONITOR_THRESHOLDS)) {
    for (const f of factors) {
      const v =
        Number.isInteger(value) && name !== "gapBeaten" ? Math.max(1, Math.round(value * f)) : value * f;
      if (v !== value) out.push({ [name]: v });
    }
  }
  return out;
}

const runs = loadRuns(root).filter((r) => trainSeeds.includes(r.meta.seed));
const truths = new Map(runs.map((r) => [r.id, labelRun(r.windows)]));

/** Every combination of the grid's values. */
function combinations(g: Record<string, number[]>): Partial<MonitorThresholds>[] {
  let out: Record<string, number>[] = [{}];
  for (const [name, values] of Object.entries(g)) {
    out = out.flatMap((c) => values.map((v) => ({ ...c, [name]: v })));
  }
  return out as Partial<MonitorThresholds>[];
}

const candidates =
  gridText === "--one-at-a-time"
    ? oneAtATime(process.argv[4].split(",").map(Number))
    : (() => {
        const g = JSON.parse(gridText) as Record<string, number[]> | Partial<MonitorThresholds>[];
        return Array.isArray(g) ? g : combinations(g);
      })();
const results = candidates.flatMap((thresholds) => {
  try {
    return [score(thresholds)];
  } catch {
    return []; // a combination the table rejects (e.g. a window too small)
  }
});

function score(thresholds: Partial<MonitorThresholds>) {
  const spec = monitorDetector("tuned", LOSS_TAGS, "", thresholds);
  const scored: ScoredRun[] = runs.map((r) => ({
    id: r.id,
    steps: r.config.steps,
    truth: truths.get(r.id) as ReturnType<typeof labelRun>,
    trace: replay(
      spec,
      r.config,
      r.metrics,
      r.windows.map((w) => w.step),
      100,
    ),
  }));
  return { thresholds, s: runLevelScores(scored, "unhealthy") };
}
results.sort((a, b) => b.s.f1 - a.s.f1 || b.s.firstHalfRate - a.s.firstHalfRate);
console.log(`${runs.length} runs of seeds ${trainSeeds.join(", ")}; ${results.length} combinations`);
for (const { thresholds, s } of results.slice(0, top)) {
  console.log(
    `F1 ${s.f1.toFixed(3)} P ${s.precision.toFixed(2)} R ${s.recall.toFixed(2)} first-half ${s.firstHalfRate.toFixed(2)} (tp ${s.tp} fp ${s.fp} fn ${s.fn} tn ${s.tn})  ${JSON.stringify(thresholds)}`,
  );
}
