import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import type { TrainConfig } from "../src/train/config.ts";
import { runTraining } from "../src/train/run.ts";
import { RUN_FILES } from "../src/train/run-files.ts";
import { collect, runCli, startCli } from "./helpers/cli.ts";
import { TINY_CONFIG } from "./helpers/tiny-config.ts";

const root = mkdtempSync(join(tmpdir(), "nashboard-ckpt-"));
after(() => rmSync(root, { recursive: true, force: true }));

const small: TrainConfig = {
  ...TINY_CONFIG,
  steps: 40,
  logInterval: 2,
  evalInterval: 10,
  evalSamples: 200,
  checkpointInterval: 10,
};

/** metrics.jsonl without wall times, which differ between any two runs. */
function metricsOf(dir: string): object[] {
  return readFileSync(join(dir, RUN_FILES.metrics), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const { wall_time: _, ...rest } = JSON.parse(l);
      return rest;
    });
}

test("a run stopped and resumed writes exactly what the uninterrupted run writes", async () => {
  const whole = join(root, "whole");
  const split = join(root, "split");
  await runTraining(small, { dir: whole });
  await runTraining({ ...small, steps: 20 }, { dir: split });
  await runTraining({ ...small, steps: 40 }, { dir: split, resume: true });
  assert.deepEqual(metricsOf(split), metricsOf(whole));
  assert.equal(metricsOf(whole).length, 20);
  assert.deepEqual(
    readFileSync(join(split, RUN_FILES.evals), "utf8"),
    readFileSync(join(whole, RUN_FILES.evals), "utf8"),
  );
  // The monitor's events are the same too: a resume replays the logged metrics into a fresh monitor.
  assert.equal(
    readFileSync(join(split, RUN_FILES.monitor), "utf8"),
    readFileSync(join(whole, RUN_FILES.monitor), "utf8"),
  );
  const report = JSON.parse(readFileSync(join(whole, RUN_FILES.report), "utf8"));
  assert.deepEqual(report.equilibrium, { loss_disc: 2 * Math.LN2, loss_gen: Math.LN2 });
  assert.equal(report.lossFamily, "bce");
});

test("an abort mid-run checkpoints, and the resume cuts the metrics logged after that checkpoint", async () => {
  const dir = join(root, "abort");
  const controller = new AbortController();
  await runTraining(
    small,
    { dir },
    {
      signal: controller.signal,
      onLog: (m) => {
        if (m.step === 16) controller.abort();
      },
    },
  );
  const checkpoint = JSON.parse(readFileSync(join(dir, RUN_FILES.checkpoint), "utf8"));
  assert.equal(checkpoint.trainer.step, 16);
  // Simulate lines written after the checkpoint by a process that then died.
  writeFileSync(join(dir, RUN_FILES.metrics), '{"step": 18, "loss_disc": 1}\n', { flag: "a" });
  await runTraining(small, { dir, resume: true });
  const whole = join(root, "whole");
  assert.deepEqual(metricsOf(dir), metricsOf(whole));
});

test("a half-written temporary checkpoint left by a crash is ignored", async () => {
  const dir = join(root, "stray");
  await runTraining({ ...small, steps: 10 }, { dir });
  writeFileSync(join(dir, `${RUN_FILES.checkpoint}.tmp`), '{"version": 1, "config": {"steps"');
  const r = await runTraining({ ...small, steps: 20 }, { dir, resume: true });
  assert.equal(r.steps, 20);
});

test("a run killed at random moments (checkpointing every step) always resumes and ends as the uninterrupted run", async () => {
  const args = (dir: string) => [
    "train",
    "--steps",
    "300",
    "--g-hidden",
    "16,16",
    "--d-hidden",
    "16,16",
    "--latent",
    "8",
    "--batch",
    "32",
    "--log-interval",
    "1",
    "--eval-interval",
    "0",
    "--eval-samples",
    "200",
    "--checkpoint-interval",
    "1",
    "--out",
    dir,
  ];
  const reference = join(root, "kill-ref");
  // The plain kernels: slow enough that every kill lands mid-run however fast the machine.
  const env = { NASHBOARD_BACKEND: "wasm-plain" };
  const ref = await runCli(args(reference), env);
  assert.equal(ref.code, 0, ref.stderr);

  const dir = join(root, "kill");
  const stepsLogged = () => {
    const path = join(dir, RUN_FILES.metrics);
    return existsSync(path) ? readFileSync(path, "utf8").split("\n").length - 1 : 0;
  };
  // Kill at random points of progress, each later than the last: with a checkpoint written every step,
  // a kill lands at any instant of the step, the checkpoint write included.
  let target = 0;
  for (let attempt = 0; attempt < 4; attempt++) {
    target += 10 + Math.floor(Math.random() * 40);
    const child = startCli(attempt === 0 ? args(dir) : ["train", "--resume", dir], env);
    const done = collect(child);
    while (stepsLogged() < target && child.exitCode === null) await new Promise((r) => setTimeout(r, 1));
    assert.ok(child.kill("SIGKILL"), `the run was still going at step ${target}`);
    await done;
  }
  const stepReached = JSON.parse(readFileSync(join(dir, RUN_FILES.checkpoint), "utf8")).trainer.step;
  assert.ok(stepReached < 300, `the kills landed before the run ended (checkpoint at ${stepReached})`);
  const last = await runCli(["train", "--resume", dir], env);
  assert.equal(last.code, 0, last.stderr);
  assert.deepEqual(metricsOf(dir), metricsOf(reference));
});

test("the run's TensorBoard event file holds the same metrics as metrics.jsonl", async () => {
  const dir = join(root, "whole");
  const file = readdirSync(dir).find((f) => f.startsWith("events.out.tfevents."));
  assert.ok(file, "an event file exists");
  const parser = new TfEventsParser(join(dir, file));
  const bytes = new Uint8Array(readFileSync(join(dir, file)));
  const points = [...parser.push(bytes).points, ...parser.end(true).points];
  const lossDisc = points.filter((p) => p.tag === "loss_disc");
  const jsonl = readFileSync(join(dir, RUN_FILES.metrics), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  assert.equal(lossDisc.length, jsonl.length);
  for (const [i, p] of lossDisc.entries()) {
    assert.equal(p.step, jsonl[i].step);
    assert.equal(p.value, Math.fround(jsonl[i].loss_disc)); // simple_value is float32
  }
  assert.ok(points.some((p) => p.sourceTag === "eval/modes"));
});
