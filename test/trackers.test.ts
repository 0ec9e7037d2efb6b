import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { readRuns } from "../src/sources/run-source.ts";

// The experiment trackers' own files, as users have them on disk (issue 13, item 4). Real folders are in
// test/fixtures/real-world/committed (test/real-world-logs.test.ts); these are the shapes' edges, written
// from the trackers' documented formats.
const root = mkdtempSync(join(tmpdir(), "nashboard-trackers-"));
after(() => rmSync(root, { recursive: true, force: true }));

const seriesOf = async (path: string) =>
  (await readRuns(path)).runs.map((r) => ({
    id: r.id,
    series: r.series.map((s) => `${s.tag}<-${s.sourceTag}:${[...s.steps].join(",")}`),
    notes: r.hints.notes ?? [],
  }));

test("an MLflow file store: each run with metrics is a run, named from meta.yaml; keys with / are folders", async () => {
  const run = join(root, "mlruns", "1", "abc123");
  mkdirSync(join(run, "metrics", "loss"), { recursive: true });
  mkdirSync(join(root, "mlruns", "1", "empty-run", "params"), { recursive: true });
  writeFileSync(join(root, "mlruns", "1", "meta.yaml"), "name: gan\n");
  writeFileSync(join(root, "mlruns", "1", "empty-run", "meta.yaml"), "run_name: nothing-logged\n");
  writeFileSync(join(run, "meta.yaml"), "run_id: abc123\nrun_name: brave-gan-7\n");
  writeFileSync(join(run, "metrics", "loss", "D"), "1719899564197 1.38 0\n1719899565197 1.2 10\n");
  writeFileSync(join(run, "metrics", "g_loss"), "1719899564197 0.7 0\n1719899565197 nan 10\n");
  // MLflow before 1.0 wrote no step: the line order is the step.
  writeFileSync(join(run, "metrics", "lr"), "1719899564197 0.0002\n1719899565197 0.0001\n");
  const runs = await seriesOf(join(root, "mlruns"));
  assert.deepEqual(
    runs.map((r) => r.id),
    ["1/abc123"],
  );
  assert.deepEqual(runs[0].series.sort(), ["loss_disc<-loss/D:0,10", "loss_gen<-g_loss:0,10", "lr<-lr:0,1"]);
  assert.ok(runs[0].notes.includes("MLflow run brave-gan-7"));
  const read = await readRuns(join(root, "mlruns"));
  const g = read.runs[0].series.find((s) => s.tag === "loss_gen")!;
  assert.ok(Number.isNaN(g.values[1]));
  // The timestamp is in milliseconds: seconds in the canonical stream.
  assert.deepEqual([...(g.wallTimes ?? [])], [1719899564.197, 1719899565.197]);
});

test("PyTorch Lightning's CSVLogger: the version folder is the run; _step is the quantity, _epoch its mean", async () => {
  const dir = join(root, "lightning_logs", "version_3");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "hparams.yaml"), "lr: 0.0002\n");
  writeFileSync(
    join(dir, "metrics.csv"),
    "d_loss_step,epoch,g_loss_step,step,d_loss_epoch,g_loss_epoch\n1.3,0,0.7,49,,\n1.2,0,0.8,99,,\n,0,,99,1.25,0.75\n",
  );
  const [run] = await seriesOf(join(root, "lightning_logs"));
  assert.equal(run.id, "version_3");
  assert.deepEqual(run.series.sort(), [
    "d_loss_epoch<-d_loss_epoch:99",
    "g_loss_epoch<-g_loss_epoch:99",
    "loss_disc<-d_loss_step:49,99",
    "loss_gen<-g_loss_step:49,99",
  ]);
});

test("Keras' CSVLogger: the epoch is the step", async () => {
  const path = join(root, "training.log.csv");
  writeFileSync(path, "epoch,d_loss,g_loss\n0,1.31,0.72\n1,1.25,0.80\n");
  const [run] = await seriesOf(path);
  assert.deepEqual(run.series, ["loss_disc<-d_loss:0,1", "loss_gen<-g_loss:0,1"]);
  assert.ok(run.notes.includes("no step column: the epoch is the step"));
});

test("a W&B chart export: __MIN/__MAX left out; one run is the run, several are a game each", async () => {
  const one = join(root, "wandb-one.csv");
  writeFileSync(
    one,
    '"Step","gan-7 - d_loss","gan-7 - d_loss__MIN","gan-7 - d_loss__MAX","gan-7 - g_loss","gan-7 - g_loss__MIN","gan-7 - g_loss__MAX"\n' +
      '"0","1.38","1.38","1.38","0.70","0.70","0.70"\n"50","1.2","1.2","1.2","0.9","0.9","0.9"\n',
  );
  const [run] = await seriesOf(one);
  assert.deepEqual(run.series, ["loss_disc<-gan-7 - d_loss:0,50", "loss_gen<-gan-7 - g_loss:0,50"]);
  const two = join(root, "wandb-two.csv");
  writeFileSync(
    two,
    "Step,run-a - d_loss,run-a - d_loss__MIN,run-a - d_loss__MAX,run-b - d_loss,run-b - d_loss__MIN,run-b - d_loss__MAX,run-a - g_loss,run-b - g_loss\n" +
      "0,1.3,1.3,1.3,1.1,1.1,1.1,0.7,0.9\n10,,,,1.0,1.0,1.0,,0.95\n",
  );
  const games = await seriesOf(two);
  assert.deepEqual(
    games.map((g) => [g.id, g.series]),
    [
      ["wandb-two.csv#run-a", ["loss_disc<-run-a - d_loss:0", "loss_gen<-run-a - g_loss:0"]],
      ["wandb-two.csv#run-b", ["loss_disc<-run-b - d_loss:0,10", "loss_gen<-run-b - g_loss:0,10"]],
    ],
  );
});
