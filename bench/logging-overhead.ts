/**
 * What metric logging costs a training run, as a share of step time, on the ring8-mlp128 benchmark at
 * the default log interval (20). A logged step does, on top of a plain step, what src/train/run.ts does:
 *   metrics    the step's metrics gathered into one tensor (trainStep(true)) and read back (readMetrics)
 *   jsonl      one JSON line appended to metrics.jsonl
 *   events     one Event for TensorBoard (EventFileWriter.addScalars, flushed as the writer decides)
 *   monitor    the live balance monitor fed the step's points, and the snapshot the controller reads
 * Each part is timed directly around its own code, over many logged steps, and divided by the time of
 * the log interval's steps. The budget (issue 5) is 2% for logging and monitor together.
 *
 *   npm run bench:logging -- [--steps 2000] [--json]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getDataset } from "../src/data/index.ts";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import { EventFileWriter } from "../src/sources/tfevents-writer.ts";
import { initBackend } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { metricPoints } from "../src/train/run.ts";
import { type StepMetrics, Trainer } from "../src/train/trainer.ts";

/**
 * The monitor's work on a logged step, exactly as src/train/run.ts does it: every metric pushed as a
 * canonical point, then the snapshot a `--controller` run steers from. Its time counts toward the budget.
 */
const monitor = new BalanceMonitor({ lossFamily: "bce", discriminators: 1 });
const monitorHook = (m: StepMetrics): void => {
  for (const point of metricPoints(m)) monitor.push(point);
  monitor.snapshot();
};

const args = process.argv.slice(2);
const stepsArg = args.indexOf("--steps");
const steps = stepsArg >= 0 ? Number(args[stepsArg + 1]) : 2000;
const json = args.includes("--json");
const logInterval = DEFAULT_CONFIG.logInterval;

const benchmark: TrainConfig = { ...DEFAULT_CONFIG, lrD: 1e-4, lrG: 1e-4 };
const backend = await initBackend();
const trainer = new Trainer(benchmark, getDataset("ring8"));
const dir = mkdtempSync(join(tmpdir(), "nashboard-logging-"));
const jsonl = openSync(join(dir, "metrics.jsonl"), "a");
const events = new EventFileWriter(dir);

const spent = { plain_step: 0, logged_step: 0, metrics_read: 0, jsonl: 0, events: 0, monitor: 0 };
let plainSteps = 0;
let loggedSteps = 0;
const timed = <T>(part: keyof typeof spent, f: () => T): T => {
  const t0 = performance.now();
  const result = f();
  spent[part] += performance.now() - t0;
  return result;
};

for (let i = 0; i < 30; i++) trainer.trainStep(false); // warm-up
for (let step = 1; step <= steps; step++) {
  if (step % logInterval !== 0) {
    timed("plain_step", () => trainer.trainStep(false));
    plainSteps++;
    continue;
  }
  const t = timed("logged_step", () => trainer.trainStep(true)!);
  const t0 = performance.now();
  const m = await trainer.readMetrics(t, step);
  spent.metrics_read += performance.now() - t0;
  timed("jsonl", () => writeSync(jsonl, `${JSON.stringify(m, nanSafe)}\n`));
  const { step: _, wall_time, ...scalars } = m;
  timed("events", () => events.addScalars(step, scalars, wall_time));
  timed("monitor", () => monitorHook(m));
  loggedSteps++;
}
events.close();
closeSync(jsonl);
rmSync(dir, { recursive: true, force: true });

// The metrics tensor is built inside trainStep(true); a logged step's extra time over a plain one is it.
const plainMs = spent.plain_step / plainSteps;
const gatherMs = Math.max(0, spent.logged_step / loggedSteps - plainMs);
const perLogged = {
  metrics_gather: gatherMs,
  metrics_read: spent.metrics_read / loggedSteps,
  jsonl: spent.jsonl / loggedSteps,
  events: spent.events / loggedSteps,
  monitor: spent.monitor / loggedSteps,
};
const loggingMs = Object.values(perLogged).reduce((a, b) => a + b, 0);
const share = loggingMs / (logInterval * plainMs);
const result = {
  backend: backend.mode,
  log_interval: logInterval,
  step_ms: Number(plainMs.toFixed(4)),
  per_logged_step_ms: Object.fromEntries(
    Object.entries(perLogged).map(([k, v]) => [k, Number(v.toFixed(4))]),
  ),
  share_of_step_time_percent: Number((100 * share).toFixed(3)),
};
if (json) console.log(JSON.stringify(result));
else {
  console.log(`step ${plainMs.toFixed(3)} ms on ${backend.mode}; per logged step (every ${logInterval}):`);
  for (const [k, v] of Object.entries(perLogged))
    console.log(`  ${k.padEnd(15)} ${(v * 1000).toFixed(1)} µs`);
  console.log(`logging + monitor: ${(100 * share).toFixed(2)}% of step time (budget 2%)`);
}
trainer.dispose();

/** As run.ts writes them: JSON has no NaN or Infinity, so non-finite numbers become strings. */
function nanSafe(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return value;
}
