import assert from "node:assert/strict";
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { NashboardError } from "../src/errors.ts";
import { discoverRuns } from "../src/sources/discover.ts";
import { readRuns } from "../src/sources/run-source.ts";
import { TfEventsParser } from "../src/sources/tfevents.ts";
import { EventFileWriter } from "../src/sources/tfevents-writer.ts";
import { concatBytes, scalarRecord, versionRecord } from "./helpers/growing-file.ts";

const fixture = (p: string) => fileURLToPath(new URL(`./fixtures/${p}`, import.meta.url));
const TF =
  "tfevents/linslime_MYTTS__logs_ljs_base__events.out.tfevents.1731057626.linslime-Lenovo-Legion-R7000-2020.30734";
const root = mkdtempSync(join(tmpdir(), "nashboard-discover-"));
after(() => rmSync(root, { recursive: true, force: true }));

/** RVC / VITS `logs/<exp>/`: train.log, the event file, the empty eval writer, and the rest RVC keeps there. */
function rvcExperiment(logs: string, exp: string): string {
  const dir = join(logs, exp);
  mkdirSync(join(dir, "eval"), { recursive: true });
  mkdirSync(join(dir, "0_gt_wavs"));
  copyFileSync(fixture("real-logs/vits-family/linslime_MYTTS__ljs_base_train.log"), join(dir, "train.log"));
  copyFileSync(fixture(`${TF}.0`), join(dir, "events.out.tfevents.1731057626.linslime.30734.0"));
  copyFileSync(
    fixture(`${TF}.1`.replace("ljs_base__", "ljs_base_eval__")),
    join(dir, "eval/events.out.tfevents.1731057626.linslime.30734.1"),
  );
  writeFileSync(join(dir, "0_gt_wavs/0_0.wav"), new Uint8Array(64));
  writeFileSync(join(dir, "config.json"), '{"train": {"log_interval": 200}}');
  // RVC writes these next to train.log; they are not metric logs.
  writeFileSync(
    join(dir, "preprocess.log"),
    "start preprocess\n['a.py', 'b', '40000', '2']\n/x/1.wav->Suc.\n",
  );
  writeFileSync(join(dir, "extract_f0_feature.log"), "todo-f0-100\nf0ing,now-0,all-100,-/x/1.wav\n");
  return dir;
}

test("an RVC experiment folder is one run: train.log and its event files merged, eval/ inside it", async () => {
  const logs = join(root, "rvc/logs");
  rvcExperiment(logs, "ljs_base");
  const { discovery, runs } = await readRuns(logs);
  assert.deepEqual(
    runs.map((r) => r.id),
    ["ljs_base"],
  );
  const [run] = runs;
  assert.deepEqual(
    run.files.map((f) => [f.role, f.format]),
    [
      ["train-log", "rvc-log"],
      ["events", "tfevents"],
      ["eval-events", "tfevents"],
    ],
  );
  assert.equal(run.format, "rvc-log+tfevents");
  assert.deepEqual(discovery.skipped, []);
  assert.equal(run.hints.lossFamily, "lsgan");
  assert.equal(run.hints.discriminators, 6);
  // loss_disc is in train.log and (as loss/d/total) in the event file: one copy, train.log's.
  const disc = run.series.filter((s) => s.tag === "loss_disc");
  assert.equal(disc.length, 1);
  assert.match(disc[0].files[0], /train\.log$/);
  assert.ok(run.hints.notes?.some((n) => /left out, train\.log logs the same tags/.test(n)));
  // What only the event file has is kept from it, under canonical tags with the source's own tag.
  const dReal = run.series.filter((s) => s.tag.startsWith("d_real_k/"));
  assert.equal(dReal.length, 6);
  assert.equal(dReal[0].sourceTag, "loss/d_r/0");
  assert.ok(run.series.some((s) => s.tag === "grad_norm_d"));
  // Every tag once (no duplicate canonical series from two files).
  const keys = run.series.map((s) => `${s.tag}|${s.sourceTag}`);
  assert.equal(new Set(keys).size, keys.length);
});

test("a folder of trainer runs: one run per directory, metrics.jsonl's tags not counted twice", async () => {
  const runsDir = join(root, "trainer-runs");
  cpSync(fixture("nashboard-runs"), runsDir, { recursive: true });
  const { runs } = await readRuns(runsDir);
  assert.deepEqual(
    runs.map((r) => r.id),
    ["ring8-bce", "ring8-lsgan-resumed"],
  );
  for (const run of runs) {
    const disc = run.series.filter((s) => s.tag === "loss_disc");
    assert.equal(disc.length, 1, `${run.id}: one loss_disc series`);
    assert.equal(disc[0].steps.length, 20, `${run.id}: steps 10..200 every 10, once each`);
    assert.deepEqual([disc[0].steps[0], disc[0].steps.at(-1)], [10, 200]);
    assert.ok(disc[0].wallTimes, "metrics.jsonl has wall times");
    // evals.jsonl is read as eval/ tags and owns them; the event file's copies are left out.
    const jsd = run.series.filter((s) => s.tag === "eval/jsd");
    assert.equal(jsd.length, 1);
    assert.equal(jsd[0].sourceTag, "jsd");
    assert.deepEqual([...jsd[0].steps], [100, 200]);
    assert.equal(run.hints.discriminators, 1);
  }
  assert.equal(runs[0].hints.lossFamily, "bce");
  assert.equal(runs[1].hints.lossFamily, "lsgan");
  // The resumed run wrote one event file per session; both belong to it, in creation order.
  const events = runs[1].files.filter((f) => f.role === "events");
  assert.equal(events.length, 2);
  assert.ok(events[0].path < events[1].path);
  const nanKl = runs[0].series.find((s) => s.tag === "eval/reverse_kl")!;
  assert.ok(Number.isNaN(nanKl.values[0]), 'the trainer\'s "NaN" string is a NaN value');
});

test("nested directories of event files are runs named by their path, as in TensorBoard's logdir", async () => {
  const logdir = join(root, "tb");
  const events = (dir: string, name: string, step: number, tag = "loss/d/total") => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), concatBytes(versionRecord(), scalarRecord(step, { [tag]: step / 10 })));
  };
  events(logdir, "events.out.tfevents.1700000000.h.1.0", 1);
  events(join(logdir, "a/b"), "events.out.tfevents.1700000000.h.2.0", 2);
  events(join(logdir, "c"), "events.out.tfevents.1700000000.h.3.0", 3);
  events(join(logdir, "c/eval"), "events.out.tfevents.1700000000.h.3.1", 3, "eval/loss");
  events(join(logdir, ".hidden"), "events.out.tfevents.1700000000.h.4.0", 4);
  events(join(logdir, "node_modules/x"), "events.out.tfevents.1700000000.h.5.0", 5);
  writeFileSync(join(logdir, "a/export.csv"), "step,loss_disc\n1,0.5\n2,0.25\n");
  writeFileSync(join(logdir, "a/readme.txt"), "Runs of the 2024 sweep.\nSee the wiki.\n");
  const { runs } = await readRuns(logdir);
  assert.deepEqual(
    runs.map((r) => r.id),
    [".", "a/b", "a/export.csv", "c"],
  );
  const c = runs.find((r) => r.id === "c")!;
  assert.deepEqual(
    c.series.map((s) => s.tag),
    ["loss_disc", "eval/loss"],
    "c/eval's scalars are part of run c",
  );
  const csv = runs.find((r) => r.id === "a/export.csv")!;
  assert.equal(csv.format, "csv");
  assert.deepEqual([...csv.series[0].values], [0.5, 0.25]);
});

test("a file is one run; --format overrides detection; an unknown one is reported, not guessed", async () => {
  const tf = await readRuns(fixture(`${TF}.0`));
  assert.equal(tf.discovery.kind, "file");
  assert.equal(tf.runs.length, 1);
  assert.equal(tf.runs[0].format, "tfevents");
  // The same points as the parser given the whole file at once.
  const parser = new TfEventsParser("x");
  const bytes = readFileSync(fixture(`${TF}.0`));
  const direct = [...parser.push(bytes).points, ...parser.end(true).points];
  const total = tf.runs[0].series.reduce((n, s) => n + s.steps.length, 0);
  assert.equal(total, direct.length);
  const gen = tf.runs[0].series.find((s) => s.tag === "loss_gen")!;
  assert.equal(gen.sourceTag, "sum(loss/g/0..5)");

  const dir = join(root, "single");
  mkdirSync(dir);
  const odd = join(dir, "losses.dat");
  writeFileSync(odd, "step,loss_disc\n1,0.5\n");
  const forced = await readRuns(odd, { format: "csv" });
  assert.deepEqual([...forced.runs[0].series[0].values], [0.5]);

  const prose = join(dir, "notes.md");
  writeFileSync(prose, "# Notes\nNothing to see.\n");
  const unknown = await discoverRuns(prose);
  assert.deepEqual(unknown.runs, []);
  assert.deepEqual(
    unknown.skipped.map((s) => ({ path: s.path, reason: s.reason, format: s.detection?.format })),
    [{ path: prose, reason: "unknown-format", format: undefined }],
  );
  await assert.rejects(discoverRuns(join(dir, "missing")), NashboardError);
});

test("columns keep epochs, segments, wall times and lower bounds where the source knows them", async () => {
  const rvc = await readRuns(fixture("real-logs/Gabrysiewicz-S8P_RVC-README-full20epochs.log"));
  const kl = rvc.runs[0].series.find((s) => s.tag === "loss_kl")!;
  assert.equal(kl.steps[0], 0);
  assert.equal(kl.epochs?.[0], 1);
  assert.equal(kl.lowerBounds?.[0], 1, "loss_kl=9.000 is RVC's clamp: a lower bound");
  assert.equal(kl.lowerBounds?.[1], 0);
  assert.equal(kl.wallTimes, undefined, "console lines carry no time");

  const restarts = await readRuns(fixture("real-logs/vits-family/SKwths_so-vits-svc-dodo__32k_train.log"));
  const disc = restarts.runs[0].series.find((s) => s.tag === "loss_disc")!;
  assert.ok(disc.segments.at(-1)! > 0, "the restarts (config dumped again) are segments");
  assert.ok(disc.wallTimes && Number.isFinite(disc.wallTimes[0]), "train.log lines carry their time");
  for (let i = 1; i < disc.steps.length; i++) {
    if (disc.steps[i] < disc.steps[i - 1]) assert.ok(disc.segments[i] > disc.segments[i - 1]);
  }
});

test("a file given with the wrong --format reads as nothing, with problems, and does not throw", async () => {
  const { runs } = await readRuns(fixture("real-logs/RVC-WebUI-issue1464.log"), { format: "tfevents" });
  assert.equal(runs.length, 1);
  assert.equal(runs[0].series.length, 0);
  assert.ok(runs[0].problems.some((p) => p.fatal && p.offset === 0));
});

test("a file read in many pieces gives the same columns as its bytes parsed at once", async () => {
  // Over 2 MiB, so the file comes in several pieces (each read while the one before is parsed), and the
  // columns make room for the rest after the first one.
  const dir = join(root, "pieces");
  const writer = new EventFileWriter(dir, { flushBytes: 1 << 20, now: () => 1.7e9 });
  for (let step = 0; step < 30_000; step++) {
    const values: Record<string, number> = { "loss/d/total": Math.sin(step), "loss/g/total": Math.cos(step) };
    if (step % 7 === 0) values.lr = 1 / (1 + step);
    if (step % 1000 === 999) values["eval/jsd"] = Number.NaN;
    writer.addScalars(step, values, 1.7e9 + step / 4);
  }
  writer.close();
  const bytes = new Uint8Array(readFileSync(writer.path));
  assert.ok(bytes.length > 2 << 20, `${bytes.length} bytes`);
  const parser = new TfEventsParser(writer.path);
  const points = [...parser.push(bytes).points, ...parser.end(true).points];
  const { runs } = await readRuns(writer.path);
  assert.deepEqual(runs[0].problems, []);
  const series = runs[0].series;
  assert.deepEqual(new Set(series.map((s) => s.sourceTag)), new Set(points.map((p) => p.sourceTag)));
  for (const s of series) {
    const own = points.filter((p) => p.sourceTag === s.sourceTag);
    assert.deepEqual(
      [...s.steps],
      own.map((p) => p.step),
      s.sourceTag,
    );
    assert.deepEqual(
      [...s.values],
      own.map((p) => p.value),
      s.sourceTag,
    );
    assert.deepEqual(
      [...s.wallTimes!],
      own.map((p) => p.wallTime),
      s.sourceTag,
    );
    assert.equal(s.segments.at(-1), 0, s.sourceTag);
  }
});

test("a trainer run's records (monitor, control, report, result, config) are part of the run, not runs of their own", async () => {
  const dir = mkdtempSync(join(tmpdir(), "nashboard-records-"));
  try {
    writeFileSync(join(dir, "metrics.jsonl"), '{"step": 20, "loss_disc": 1.3, "loss_gen": 0.7}\n');
    writeFileSync(join(dir, "monitor.jsonl"), '{"type":"state","step":20,"from":"warmup","to":"balanced"}\n');
    writeFileSync(
      join(dir, "control.jsonl"),
      '{"step":20,"kind":"lr_change","param":"lr_d","from":0.001,"to":0.0008}\n',
    );
    // report.json as the trainer writes it (pretty-printed): its "loss_disc": lines once read as a log.
    const report = {
      equilibrium: { loss_disc: 2 * Math.LN2, loss_gen: Math.LN2 },
      curves: { loss_disc: [] },
    };
    writeFileSync(join(dir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(
      join(dir, "result.json"),
      `${JSON.stringify({ final: { loss_disc: 1.2, jsd: 0.1 } }, null, 2)}\n`,
    );
    writeFileSync(join(dir, "config.json"), `${JSON.stringify({ loss: "bce", lrD: 1e-3 }, null, 2)}\n`);
    const d = await discoverRuns(dir);
    assert.deepEqual(
      d.runs.map((r) => r.id),
      ["."],
    );
    assert.deepEqual(
      d.runs[0].files.map((f) => basename(f.path)),
      ["metrics.jsonl"],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
