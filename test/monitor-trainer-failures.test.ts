import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { BalanceMonitor } from "../src/monitor/monitor.ts";
import type { MonitorReport, StateName } from "../src/monitor/types.ts";
import { initBackend } from "../src/train/backend.ts";
import { DEFAULT_CONFIG, type TrainConfig } from "../src/train/config.ts";
import { runTraining } from "../src/train/run.ts";
import { assertHolds } from "./helpers/monitor-evidence.ts";

/**
 * The trainer's failing configurations, watched live (the trainer's onLog hook feeds the monitor as
 * the run goes). What each one does was read off the runs first: SGD at lr 3 turns the gradient
 * norms NaN within a few logged steps (and loss_gen explodes to ~4e6 before that); SGD at lr 1
 * (seed 1) kills the generator: grad_norm_g is exactly 0 from step ~100 on; least squares at the
 * default rates swings for a while after D's early lead.
 */

// The wasm configuration, deterministic bit for bit: these tests are about the monitor, so they do
// not depend on which matrix kernels the machine has (the runs read the same on native and wasm).
before(() => initBackend({ mode: "wasm" }));

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function watch(config: Partial<TrainConfig>): Promise<{ report: MonitorReport; states: StateName[] }> {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-monitor-"));
  dirs.push(dir);
  const full: TrainConfig = {
    ...DEFAULT_CONFIG,
    gHidden: [32, 32],
    dHidden: [32, 32],
    batch: 64,
    logInterval: 5,
    evalInterval: 0,
    evalSamples: 200,
    checkpointInterval: 0,
    ...config,
  };
  const monitor = new BalanceMonitor({ lossFamily: full.loss });
  await runTraining(
    full,
    { dir: join(dir, "run") },
    {
      onLog(m) {
        const { step, wall_time: _, ...values } = m;
        for (const [tag, value] of Object.entries(values)) monitor.push({ tag, sourceTag: tag, step, value });
      },
    },
  );
  monitor.flush();
  const report = monitor.report();
  return { report, states: report.timeline.map((e) => e.state) };
}

test("SGD at lr 3: diverged (NaN gradient norms), from the second logged step", async () => {
  const { report, states } = await watch({ steps: 100, optimizer: "sgd", lrD: 3, lrG: 3 });
  assert.deepEqual(states, ["warmup", "diverged"]);
  assert.equal(report.timeline[1].fromStep, 10);
  assert.equal(report.verdict.primary, "diverged");
  assert.equal(report.verdict.health, "unhealthy");
  assert.ok(report.alerts.some((a) => a.kind === "non_finite" && a.params.tag === "grad_norm_d"));
  assert.ok(report.alerts.some((a) => a.kind === "explosion"));
});

test("SGD at lr 1, seed 1: G's gradient dies and the run stalls", async () => {
  const { report, states } = await watch({ steps: 300, optimizer: "sgd", lrD: 1, lrG: 1, seed: 1 });
  assert.equal(states.at(-1), "stalled");
  const entry = report.timeline.at(-1);
  assertHolds(entry?.evidence, "grad_norm_g.zero_steps", ">=", "deadGradSteps");
  assert.equal(report.verdict.primary, "stalled");
  assert.ok(report.verdict.advice.some((a) => a.key === "stalledGrad"));
});

test("least squares at the default rates: the losses swing for a while (oscillating)", async () => {
  const { report, states } = await watch({ steps: 300, loss: "lsgan" });
  assert.ok(states.includes("oscillating"), states.join(","));
  assert.deepEqual(report.equilibrium, { loss_disc: 0.5, loss_gen: 0.25 });
  assert.equal(report.jsd, undefined, "no JSD bound outside BCE");
});
